// The modern decoder's attention variants (issue 10): grouped-query and multi-query attention,
// sliding windows and ALiBi, each checked against its plain definition — k/v expanded by
// Hugging Face's repeat_kv, an explicit band mask, an explicit additive bias — on every kernel.
import { afterEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  alibiSlopes, createKVCache, createRng, multiHeadAttention, randn, scaledDotProductAttention, useWasm, zeros, type Tensor,
} from "../src/index";
import { attentionForward, attentionForwardReference, attentionForwardWasm, type AttentionVariant } from "../src/kernels";
import { expectClose } from "./helpers/close";

const wasmWanted = process.env.TP_KERNELS !== "js";
afterEach(() => useWasm(wasmWanted));
const runs = { numRuns: 60, seed: 20261201 };

/** Hugging Face's repeat_kv: [B, Hkv, S, D] → [B, Hkv·n, S, D], each k/v head repeated n times. */
function repeatKv(x: Tensor, n: number): Tensor {
  const [Hkv, S, D] = x.shape.slice(-3);
  const B = x.data.length / (Hkv * S * D);
  const data = new Float32Array(x.data.length * n);
  for (let b = 0; b < B; b++) for (let h = 0; h < Hkv * n; h++) {
    data.set(x.data.subarray((b * Hkv + Math.floor(h / n)) * S * D, (b * Hkv + Math.floor(h / n) + 1) * S * D), (b * Hkv * n + h) * S * D);
  }
  return { data, shape: [...x.shape.slice(0, -3), Hkv * n, S, D] };
}

/** An additive mask [H, T, S]: −∞ outside the causal band of width w, plus −slope_h·(i − j). */
function explicitMask(H: number, T: number, S: number, window: number, slopes: Float32Array | null): Tensor {
  const data = new Float32Array(H * T * S);
  for (let h = 0; h < H; h++) for (let t = 0; t < T; t++) for (let s = 0; s < S; s++) {
    const i = t + S - T, at = (h * T + t) * S + s;
    if (s > i || (window > 0 && s <= i - window)) data[at] = -Infinity;
    else if (slopes) data[at] = -slopes[h] * (i - s);
  }
  return { data, shape: [H, T, S] };
}

const shapes = fc.record({
  B: fc.integer({ min: 1, max: 2 }), Hkv: fc.integer({ min: 1, max: 3 }), n: fc.integer({ min: 1, max: 3 }),
  T: fc.integer({ min: 1, max: 9 }), extra: fc.integer({ min: 0, max: 5 }), d4: fc.integer({ min: 1, max: 3 }),
  window: fc.integer({ min: 0, max: 6 }), alibi: fc.boolean(), seed: fc.nat(),
});

describe("grouped-query attention, sliding window and ALiBi equal their plain definitions", () => {
  for (const path of ["WebAssembly", "JavaScript"] as const) {
    it(`scaledDotProductAttention (${path} kernels) = ordinary attention on repeat_kv(k, v) with the window and ALiBi as an explicit mask`, () => {
      useWasm(path === "WebAssembly");
      fc.assert(fc.property(shapes, ({ B, Hkv, n, T, extra, d4, window, alibi, seed }) => {
        const H = Hkv * n, S = T + extra, D = 4 * d4, rng = createRng(seed);
        const q = randn([B, H, T, D], rng), k = randn([B, Hkv, S, D], rng), v = randn([B, Hkv, S, D], rng);
        const slopes = alibi ? alibiSlopes(H) : null;
        const got = scaledDotProductAttention(q, k, v, { causal: true, window: window || undefined, alibi });
        const mask = explicitMask(H, T, S, window, slopes);
        const want = scaledDotProductAttention(q, repeatKv(k, n), repeatKv(v, n), { mask });
        expectClose(got.output, want.output, { atol: 2e-6, rtol: 2e-5 });
      }), runs);
    });
  }

  it("the three kernels agree on every variant: reference, JavaScript strips and WebAssembly", () => {
    fc.assert(fc.property(shapes, ({ B, Hkv, n, T, extra, d4, window, alibi, seed }) => {
      const H = Hkv * n, S = T + extra, D = 4 * d4, rng = createRng(seed), BH = B * H;
      const q = randn([BH, T, D], rng).data, k = randn([B * Hkv, S, D], rng).data, v = randn([B * Hkv, S, D], rng).data;
      const variant: AttentionVariant = { group: n, window, slopes: alibi ? alibiSlopes(H) : null };
      const ref = new Float32Array(BH * T * D), strips = new Float32Array(BH * T * D), simd = new Float32Array(BH * T * D);
      attentionForwardReference(ref, null, q, k, v, null, null, 0, BH, T, S, D, D, 0.4, true, S, variant);
      attentionForward(strips, null, q, k, v, null, null, 0, BH, T, S, D, D, 0.4, true, S, variant);
      useWasm(true);
      expect(attentionForwardWasm(simd, q, k, v, BH, T, S, D, D, 0.4, true, S, variant)).toBe(true);
      expectClose(strips, ref, { atol: 1e-6, rtol: 1e-6 });
      expectClose(simd, ref, { atol: 2e-6, rtol: 2e-5 });
    }), runs);
  });

  it("multi-query attention with H = 1 is single-head attention", () => {
    const rng = createRng(1), q = randn([1, 5, 8], rng), k = randn([1, 7, 8], rng), v = randn([1, 7, 8], rng);
    const a = scaledDotProductAttention(q, k, v, { causal: true }).output;
    const b = scaledDotProductAttention({ data: q.data, shape: [5, 8] }, { data: k.data, shape: [7, 8] }, { data: v.data, shape: [7, 8] }, { causal: true }).output;
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });

  it("alibiSlopes: the geometric slopes for a power of two, BLOOM's interleaving otherwise", () => {
    expect(Array.from(alibiSlopes(8))).toEqual([1 / 2, 1 / 4, 1 / 8, 1 / 16, 1 / 32, 1 / 64, 1 / 128, 1 / 256]);
    // H = 12: the 8 slopes of H = 8, then 2^(−i/2) for i = 1, 3, 5, 7 (every other slope of H = 16)
    expect(Array.from(alibiSlopes(12))).toEqual([...Array.from(alibiSlopes(8)), ...[1, 3, 5, 7].map((i) => Math.fround(2 ** (-i / 2)))]);
    expect(Array.from(alibiSlopes(1))).toEqual([1 / 256]);
  });
});

describe("multiHeadAttention with nKvHead, window and a KV cache", () => {
  const C = 12, H = 6, Hkv = 2, D = C / H, rng = createRng(7);
  const params = { cAttn: { weight: randn([C + 2 * Hkv * D, C], rng, 0.4), bias: randn([C + 2 * Hkv * D], rng, 0.1) }, cProj: { weight: randn([C, C], rng, 0.4), bias: zeros([C]) } };
  const x = randn([9, C], rng);

  it("token by token over a grouped KV cache (H / Hkv = 3 times smaller) equals the full sequence, with a window of 3 and ALiBi", () => {
    const opts = { nHead: H, nKvHead: Hkv, window: 3, alibi: true };
    const full = multiHeadAttention(x, params, opts).output;
    const cache = createKVCache({ nHead: H, nKvHead: Hkv, headSize: D, capacity: 9 });
    expect(cache.k.length).toBe(Hkv * 9 * D);
    for (let t = 0; t < 9; t++) {
      const step = multiHeadAttention({ data: x.data.slice(t * C, (t + 1) * C), shape: [1, C] }, params, { ...opts, cache }).output;
      expectClose(step.data, full.data.subarray(t * C, (t + 1) * C), { atol: 1e-6, rtol: 1e-5 });
    }
  });

  it("a tap shows k and v with Hkv heads, and the weights with the window applied", () => {
    const taps = new Map<string, Tensor>();
    multiHeadAttention(x, params, { nHead: H, nKvHead: Hkv, window: 2, tap: (name, t) => taps.set(name, t) });
    expect(taps.get("k")!.shape).toEqual([Hkv, 9, D]);
    const w = taps.get("weights")!;
    expect(w.shape).toEqual([H, 9, 9]);
    for (let h = 0; h < H; h++) for (let t = 0; t < 9; t++) for (let s = 0; s < 9; s++) {
      if (s > t || s <= t - 2) expect(w.data[(h * 9 + t) * 9 + s]).toBe(0);
    }
  });
});

describe("bad input", () => {
  const q = zeros([4, 3, 4]), k = zeros([2, 3, 4]);
  it("k/v heads that do not divide q's, nKvHead that does not divide nHead", () => {
    expect(() => scaledDotProductAttention(q, zeros([3, 3, 4]), zeros([3, 3, 4]))).toThrow("scaledDotProductAttention: k has 3 heads, which does not divide q's 4 heads, expected a divisor of 4");
    const params = { cAttn: { weight: zeros([16, 8]) }, cProj: { weight: zeros([8, 8]) } };
    expect(() => multiHeadAttention(zeros([2, 8]), params, { nHead: 4, nKvHead: 3 })).toThrow("multiHeadAttention: nKvHead = 3 does not divide nHead = 4, expected a divisor of 4");
    expect(() => multiHeadAttention(zeros([2, 8]), params, { nHead: 4, nKvHead: 1 })).toThrow("multiHeadAttention: params.cAttn.weight has shape [16, 8], expected [12, 8] ([(H + 2·Hkv)·D, C]: q's 8 rows, then k's and v's 2 each)");
    expect(() => createKVCache({ nHead: 4, nKvHead: 3, headSize: 2, capacity: 2 })).toThrow("createKVCache: nKvHead = 3 does not divide nHead = 4");
  });

  it("a window that is not a positive integer, or without causal; ALiBi slopes of the wrong length", () => {
    expect(() => scaledDotProductAttention(q, k, k, { causal: true, window: 0 })).toThrow("scaledDotProductAttention: window must be an integer ≥ 1, got 0");
    expect(() => scaledDotProductAttention(q, k, k, { causal: true, window: 1.5 })).toThrow("window must be an integer ≥ 1, got 1.5");
    expect(() => scaledDotProductAttention(q, k, k, { window: 2 })).toThrow("scaledDotProductAttention: window = 2 needs causal: true");
    expect(() => scaledDotProductAttention(q, k, k, { alibi: new Float32Array(3) })).toThrow("scaledDotProductAttention: alibi has 3 slopes, expected 4 (one per query head)");
    expect(() => scaledDotProductAttention(q, k, k, { alibi: [1, 2, 3, 4] as never })).toThrow("alibi must be true, false or a Float32Array");
    expect(() => alibiSlopes(0)).toThrow("alibiSlopes: H must be an integer ≥ 1, got 0");
  });
});
