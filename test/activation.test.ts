import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { erf, gelu, tensor } from "../src/index";
import { expectClose, fromRef } from "./helpers/close";
import { modelRef } from "./helpers/reference";
import { anyTensor, runs } from "./helpers/arbitraries";

describe("erf", () => {
  it("erf(x) is within 1e-7 of Python's float64 math.erf on a grid over [-10, 10] and beyond (measured max below 1e-15)", () => {
    const c = modelRef("erf");
    let worst = 0;
    c.x.forEach((x: number, i: number) => { worst = Math.max(worst, Math.abs(erf(x) - c.y[i])); });
    expect(worst).toBeLessThan(1e-7);
    expect(worst).toBeLessThan(1e-14); // what the series + continued fraction actually reach
  });

  it("erf is odd, erf(0) = 0, erf(±∞) = ±1, erf(NaN) = NaN", () => {
    expect(erf(0)).toBe(0);
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(Number.isNaN(erf(NaN))).toBe(true);
    fc.assert(fc.property(fc.double({ min: -20, max: 20, noNaN: true }), (x) => erf(-x) === -erf(x)), runs);
  });
});

describe("gelu", () => {
  // One float32 rounding of a float64 result: 1 ulp relative, plus 1e-7 absolute near 0 where the
  // relative error of the reference's own float32 input dominates.
  const TOL = { atol: 1e-7, rtol: 2e-7 };

  it("gelu(x) (exact, erf) matches PyTorch on [-10, 10] and ±30", () => {
    const c = modelRef("gelu");
    expectClose(gelu(fromRef(c.x)), c.none, TOL);
  });

  it("gelu(x, { approximate: 'tanh' }) matches PyTorch", () => {
    const c = modelRef("gelu");
    expectClose(gelu(fromRef(c.x), { approximate: "tanh" }), c.tanh, TOL);
  });

  it("gelu(1) = Φ(1) = 0.841345 and gelu(-1) = -0.158655 (hand-checked from the normal CDF)", () => {
    expectClose(gelu(tensor([1, -1, 0], [3])), [0.8413447460685429, -0.15865525393145707, 0], TOL);
  });

  it("gelu keeps NaN, gives NaN at -∞ and ∞ at ∞ as PyTorch does, and works in place", () => {
    for (const approximate of ["none", "tanh"] as const) {
      const y = gelu(tensor([NaN, -Infinity, Infinity], [3]), { approximate });
      expect(Number.isNaN(y.data[0]) && Number.isNaN(y.data[1])).toBe(true); // −∞·Φ(−∞) = −∞·0
      expect(y.data[2]).toBe(Infinity);
    }
    for (const approximate of ["none", "tanh"] as const) { // in place: the same values as out of place
      const x = tensor([-1.5, 0.25, 2], [3]), expected = gelu(x, { approximate }).data;
      expect(gelu(x, { approximate, out: x })).toBe(x);
      expect(Array.from(x.data)).toEqual(Array.from(expected));
    }
  });

  it("the two forms agree within 1e-3 everywhere (the tanh form is an approximation)", () => {
    fc.assert(fc.property(anyTensor(2, 8, 8), (x) => {
      const a = gelu(x).data, b = gelu(x, { approximate: "tanh" }).data;
      return a.every((v, i) => Math.abs(v - b[i]) < 1e-3);
    }), runs);
  });

  it("rejects an unknown approximation", () => {
    expect(() => gelu(tensor([1], [1]), { approximate: "fast" as "tanh" })).toThrow('gelu: approximate must be "none" or "tanh", got "fast"');
  });
});
