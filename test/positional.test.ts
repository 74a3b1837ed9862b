import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { applyRope, createRng, randn, sinusoidalPositions, tensor, zeros } from "../src/index";
import { expectClose, fromRef } from "./helpers/close";
import { ref } from "./helpers/reference";
import { runs } from "./helpers/arbitraries";

// Angles and rotations in float64, one float32 rounding of O(1) results: 1e-6 absolute.
const TOL = { atol: 1e-6, rtol: 1e-6 };

describe("sinusoidalPositions", () => {
  it("sinusoidalPositions(2, 4) is [0,1,0,1; sin 1, cos 1, sin .01, cos .01] (hand-checked)", () => {
    expectClose(sinusoidalPositions(2, 4), [0, 1, 0, 1, Math.sin(1), Math.cos(1), Math.sin(0.01), Math.cos(0.01)], TOL);
  });

  it("sinusoidalPositions(T, C, { offset }) matches PyTorch", () => {
    const c = ref("sinusoidal");
    expectClose(sinusoidalPositions(c.T, c.C, { offset: c.offset }), c.y, TOL);
  });

  it("handles odd C, C = 1 and rejects bad sizes", () => {
    expectClose(sinusoidalPositions(2, 3), [0, 1, 0, Math.sin(1), Math.cos(1), Math.sin(1 / Math.pow(10000, 2 / 3))], TOL);
    expectClose(sinusoidalPositions(2, 1), [0, Math.sin(1)], TOL);
    expect(() => sinusoidalPositions(-1, 4)).toThrow("sinusoidalPositions: T must be an integer ≥ 0, got -1");
    expect(() => sinusoidalPositions(2, 4, { base: 0 })).toThrow("sinusoidalPositions: base must be a finite number > 0, got 0");
  });
});

describe("applyRope", () => {
  it("applyRope(x) at position 0 is the identity; at position 1 rotates pair 0 by 1 radian (hand-checked)", () => {
    const x = tensor([1, 0, 0, 0, 1, 0, 0, 0], [2, 4]); // T = 2, D = 4, pairs (0, 2) and (1, 3) in "half"
    const y = applyRope(x);
    expectClose(y.data.slice(0, 4), [1, 0, 0, 0], TOL);
    expectClose(y.data.slice(4), [Math.cos(1), 0, Math.sin(1), 0], TOL);
    const z = applyRope(x, { style: "interleaved" }); // pairs (0, 1) and (2, 3)
    expectClose(z.data.slice(4), [Math.cos(1), Math.sin(1), 0, 0], TOL);
  });

  it("applyRope(x, { offset, style }) matches PyTorch (Hugging Face rotate_half and the interleaved form)", () => {
    const c = ref("rope");
    expectClose(applyRope(fromRef(c.x), { offset: c.offset, style: "half" }), c.half, TOL);
    expectClose(applyRope(fromRef(c.x), { offset: c.offset, style: "interleaved" }), c.interleaved, TOL);
  });

  it("RoPE preserves each pair's norm", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.nat(100), fc.nat(), (T, half, offset, seed) => {
      const D = 2 * half, x = randn([T, D], createRng(seed));
      for (const style of ["half", "interleaved"] as const) {
        const y = applyRope(x, { offset, style });
        for (let t = 0; t < T; t++) for (let i = 0; i < half; i++) {
          const [a, b] = style === "half" ? [t * D + i, t * D + i + half] : [t * D + 2 * i, t * D + 2 * i + 1];
          const n0 = Math.hypot(x.data[a], x.data[b]), n1 = Math.hypot(y.data[a], y.data[b]);
          if (Math.abs(n0 - n1) > 1e-5 * (1 + n0)) return false;
        }
      }
      return true;
    }), runs);
  });

  it("the q·k product after RoPE depends only on the relative offset", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 8 }), fc.nat(50), fc.nat(50), fc.integer({ min: 0, max: 20 }), fc.nat(), (half, m, n, shift, seed) => {
      const D = 2 * half, rng = createRng(seed);
      const q = randn([1, D], rng), k = randn([1, D], rng);
      const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i], 0);
      const d1 = dot(applyRope(q, { offset: m }).data, applyRope(k, { offset: n }).data);
      const d2 = dot(applyRope(q, { offset: m + shift }).data, applyRope(k, { offset: n + shift }).data);
      return Math.abs(d1 - d2) <= 1e-4 * (1 + Math.abs(d1));
    }), runs);
  });

  it("applyRope(x, { out: x }) works in place; without out, x is untouched", () => {
    const x = randn([3, 4], createRng(1));
    const copy = x.data.slice();
    const y = applyRope(x, { offset: 2 });
    expect(x.data).toEqual(copy);
    expect(applyRope(x, { offset: 2, out: x })).toBe(x);
    expect(x.data).toEqual(y.data);
  });

  it("rejects odd D, unknown styles and negative offsets", () => {
    expect(() => applyRope(zeros([2, 5]))).toThrow("applyRope: x has shape [2, 5], expected an even head size D (the last axis), got D = 5");
    expect(() => applyRope(zeros([2, 4]), { style: "neox" as "half" })).toThrow('applyRope: style must be "half" or "interleaved", got "neox"');
    expect(() => applyRope(zeros([2, 4]), { offset: -1 })).toThrow("applyRope: offset must be an integer ≥ 0, got -1");
  });
});
