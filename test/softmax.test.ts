import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ShapeError, crossEntropy, logSoftmax, softmax, tensor, zeros } from "../src/index";
import { expectClose, fromRef } from "./helpers/close";
import { ref } from "./helpers/reference";
import { anyTensor, runs } from "./helpers/arbitraries";

// Softmax against a float64 reference: each output is one exp and one division of float64 values
// rounded once to float32, so ~1 ulp (6e-8 relative) plus an atol for tiny probabilities.
const TOL = { atol: 1e-7, rtol: 2e-6 };
// logSoftmax: outputs of magnitude up to ~30 in float32: 2 ulp relative, and 1e-6 absolute near 0.
const LOG_TOL = { atol: 1e-6, rtol: 2e-7 };

describe("softmax", () => {
  it("softmax([1, 2, 3]) is [0.0900, 0.2447, 0.6652] (hand-checked)", () => {
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
    const s = e[0] + e[1] + e[2];
    expectClose(softmax(tensor([1, 2, 3], [3])), e.map((v) => v / s), TOL);
  });

  it("softmax(x) matches PyTorch, including rows with -Infinity entries", () => {
    const c = ref("softmax");
    expectClose(softmax(fromRef(c.x)), c.y, TOL);
    const y = softmax(fromRef(c.x));
    expect(y.data[2 * 7 + 1]).toBe(0);
  });

  it("softmax(x, { temperature }) matches PyTorch's softmax(x / temperature)", () => {
    const c = ref("softmax_temperature");
    expectClose(softmax(fromRef(c.x), { temperature: c.temperature }), c.y, TOL);
  });

  it("softmax(x) of rows scaled by 1e4 matches PyTorch without overflow", () => {
    const c = ref("softmax_large");
    expectClose(softmax(fromRef(c.x)), c.y, TOL);
  });

  it("softmax(x) of float32 extremes gives no NaN and puts the mass on the maximum", () => {
    const max = 3.4028234663852886e38;
    const y = softmax(tensor([max, -max, 0, max], [4]));
    expect(Array.from(y.data)).toEqual([0.5, 0, 0, 0.5]);
  });

  it("softmax(x) of a fully masked row gives zeros, not NaN", () => {
    const y = softmax(tensor([-Infinity, -Infinity, -Infinity, 1, 2, 3], [2, 3]));
    expect(Array.from(y.data.slice(0, 3))).toEqual([0, 0, 0]);
    expect(y.data[3] + y.data[4] + y.data[5]).toBeCloseTo(1, 6);
  });

  it("softmax(x) propagates NaN to its row only (wherever it stands in the row)", () => {
    for (const row of [[NaN, 1, 2], [1, NaN, 2], [-Infinity, NaN, -Infinity]]) {
      const y = softmax(tensor([...row, 0, 0, 0], [2, 3]));
      expect(Array.from(y.data.slice(0, 3)).every(Number.isNaN)).toBe(true);
      expectClose(y.data.slice(3), [1 / 3, 1 / 3, 1 / 3], TOL);
    }
  });

  it("softmax(x) of a row holding +Infinity is all NaN (∞ − ∞), as torch.softmax([inf, 1]) gives [nan, nan]", () => {
    for (const row of [[Infinity, 1, 2, 3], [1, Infinity, -Infinity, 2], [Infinity, Infinity, 0, 0]]) {
      const y = softmax(tensor([...row, 0, 0, 0, 0], [2, 4]));
      expect(Array.from(y.data.slice(0, 4)).every(Number.isNaN)).toBe(true);
      expectClose(y.data.slice(4), [0.25, 0.25, 0.25, 0.25], TOL);
    }
  });

  it("softmax(x) with one column is 1, and with an empty last axis is empty", () => {
    expect(Array.from(softmax(tensor([5, -7], [2, 1])).data)).toEqual([1, 1]);
    expect(softmax(zeros([3, 0])).shape).toEqual([3, 0]);
  });

  it("softmax(x) rows sum to 1 and lie in [0, 1]", () => {
    fc.assert(fc.property(anyTensor(2, 8, 50), (x) => {
      const y = softmax(x);
      const n = x.shape[1];
      for (let r = 0; r < x.shape[0]; r++) {
        let s = 0;
        for (let j = 0; j < n; j++) {
          const p = y.data[r * n + j];
          if (!(p >= 0 && p <= 1)) return false;
          s += p;
        }
        if (Math.abs(s - 1) > 1e-6 * n) return false;
      }
      return true;
    }), runs);
  });

  it("softmax(x) is invariant to adding a constant to a row", () => {
    fc.assert(fc.property(anyTensor(2, 8, 20), fc.integer({ min: -1000, max: 1000 }), (x, c) => {
      const shifted = { data: x.data.map((v) => v + c), shape: x.shape };
      const a = softmax(x).data, b = softmax(shifted).data;
      // the shift itself rounds each entry to float32 (ulp of 1000 ≈ 6e-5), so allow that much
      for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > 2e-4) return false;
      return true;
    }), runs);
  });

  it("softmax(x, { out: x }) works in place; softmax(x) leaves x untouched", () => {
    const x = tensor([1, 2, 3], [3]);
    const y = softmax(x);
    expect(Array.from(x.data)).toEqual([1, 2, 3]);
    const same = softmax(x, { out: x });
    expect(same).toBe(x);
    expect(Array.from(x.data)).toEqual(Array.from(y.data));
  });

  it("softmax rejects a scalar, a temperature ≤ 0 or NaN, and an out of the wrong shape", () => {
    expect(() => softmax(tensor([1], []))).toThrow(ShapeError);
    expect(() => softmax(tensor([1], []))).toThrow(/softmax: x has shape \[\] \(rank 0\), expected rank ≥ 1/);
    for (const t of [0, -1, NaN]) {
      expect(() => softmax(tensor([1, 2], [2]), { temperature: t })).toThrow(RangeError);
      expect(() => softmax(tensor([1, 2], [2]), { temperature: t })).toThrow(new RegExp(`softmax: temperature must be a finite number > 0, got ${t}`));
    }
    expect(() => softmax(tensor([1, 2], [2]), { out: zeros([3]) })).toThrow(/softmax: out has shape \[3\], expected \[2\]/);
  });
});

describe("logSoftmax", () => {
  it("logSoftmax(x) matches PyTorch", () => {
    const c = ref("softmax");
    expectClose(logSoftmax(fromRef(c.x)), c.logy, LOG_TOL);
    const l = ref("softmax_large");
    expectClose(logSoftmax(fromRef(l.x)), l.logy, { atol: 1e-6, rtol: 2e-7 });
  });

  it("logSoftmax(x) equals log(softmax(x)) where finite", () => {
    fc.assert(fc.property(anyTensor(2, 8, 10), (x) => {
      const a = logSoftmax(x).data, b = softmax(x).data;
      for (let i = 0; i < a.length; i++) {
        if (b[i] > 1e-30 && Math.abs(a[i] - Math.log(b[i])) > 1e-5 * Math.max(1, Math.abs(a[i]))) return false;
      }
      return true;
    }), runs);
  });

  it("logSoftmax(x) of a fully masked row is all -Infinity; NaN gives NaN", () => {
    const y = logSoftmax(tensor([-Infinity, -Infinity, 0, 0], [2, 2]));
    expect(Array.from(y.data)).toEqual([-Infinity, -Infinity, Math.fround(-Math.LN2), Math.fround(-Math.LN2)]);
    expect(Number.isNaN(logSoftmax(tensor([1, NaN], [2])).data[0])).toBe(true);
  });

  it("logSoftmax(x) keeps log N next to a huge max: seven −1e30 give −log 7 (not 0)", () => {
    const y = logSoftmax(tensor(Array(7).fill(-1e30), [7]));
    for (const v of y.data) expect(v).toBeCloseTo(-Math.log(7), 6);
    expect(crossEntropy(tensor([1e20, 1e20], [1, 2]), [0])).toBeCloseTo(Math.LN2, 12);
    expect(crossEntropy(tensor([-1e30, -1e30, -1e30], [1, 3]), [2])).toBeCloseTo(Math.log(3), 12);
  });

  it("logSoftmax(x) keeps precision where log(softmax(x)) underflows", () => {
    const y = logSoftmax(tensor([0, -200], [2]));
    expect(y.data[1]).toBeCloseTo(-200, 4);
  });
});

describe("softmax at extreme temperatures", () => {
  it("softmax(x, { temperature: 1e-39 }) is the one-hot of the max on every path (1/temperature overflows float32)", () => {
    const x = tensor(Array.from({ length: 4096 }, (_, i) => -i), [4096]);
    const y = softmax(x, { temperature: 1e-39 }).data;
    expect(y[0]).toBe(1);
    expect(y.subarray(1).every((v) => v === 0)).toBe(true);
  });
});
