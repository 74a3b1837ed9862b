// Every fast kernel against its plain reference, on random shapes that are not multiples of the
// unroll or strip width, T = 1, S ≠ T, masks, causal and fully masked rows.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createRng, randn } from "../src/index";
import { attentionForward, attentionForwardReference, expNonPositive } from "../src/kernels";
import { runs } from "./helpers/arbitraries";

describe("expNonPositive", () => {
  it("matches Math.exp to 1e-9 relative on [-103, 0], is 0 below and at -Infinity, NaN for NaN", () => {
    let worst = 0;
    for (let i = 0; i <= 100_000; i++) {
      const x = -103 * (i / 100_000);
      worst = Math.max(worst, Math.abs(expNonPositive(x) - Math.exp(x)) / Math.exp(x));
    }
    expect(worst).toBeLessThan(1e-9);
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-200)).toBe(0);
    expect(expNonPositive(-Infinity)).toBe(0);
    expect(Number.isNaN(expNonPositive(NaN))).toBe(true);
    expect(expNonPositive(1)).toBe(Math.E);
  });
});

describe("attentionForward (strips of 4) vs attentionForwardReference", () => {
  it("gives the same outputs and weights on random shapes, masks and causal settings", () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 13 }),
      fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 7 }), fc.boolean(), fc.boolean(), fc.nat(),
      (BH, T, S, D, Dv, causal, masked, seed) => {
        const rng = createRng(seed);
        const q = randn([BH, T, D], rng).data, k = randn([BH, S, D], rng).data, v = randn([BH, S, Dv], rng).data;
        let mask: Float32Array | null = null, offsets: Int32Array | null = null;
        if (masked) { // a [T, S] mask with some -Infinity entries, including a fully masked row
          mask = new Float32Array(T * S).map((_, i) => (rng.uniform() < 0.3 || Math.floor(i / S) === T - 1 ? -Infinity : rng.normal()));
          offsets = new Int32Array(BH * T).map((_, r) => (r % T) * S);
        }
        const a = new Float32Array(BH * T * Dv), b = new Float32Array(BH * T * Dv);
        const wa = new Float32Array(BH * T * S), wb = new Float32Array(BH * T * S);
        attentionForward(a, wa, q, k, v, mask, offsets, 1, BH, T, S, D, Dv, 0.5, causal);
        attentionForwardReference(b, wb, q, k, v, mask, offsets, 1, BH, T, S, D, Dv, 0.5, causal);
        for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > 1e-5 * (1 + Math.abs(b[i]))) return false;
        for (let i = 0; i < wa.length; i++) if (Math.abs(wa[i] - wb[i]) > 1e-6) return false;
        return true;
      }), runs);
  });

  it("keeps NaN to its own query row within a strip", () => {
    const T = 4, S = 4, D = 2;
    const q = new Float32Array(T * D).fill(0.5); q[2] = NaN; // row 1
    const k = new Float32Array(S * D).fill(1), v = new Float32Array(S * D).fill(2);
    const out = new Float32Array(T * D);
    attentionForward(out, null, q, k, v, null, null, 0, 1, T, S, D, D, 1, true);
    expect(Number.isNaN(out[2]) && Number.isNaN(out[3])).toBe(true);
    expect(Array.from(out.slice(4))).toEqual([2, 2, 2, 2]);
  });
});
