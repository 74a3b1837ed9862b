import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  ShapeError, attentionScores, causalMask, createKVCache, createRng, multiHeadAttention, paddingMask, randn,
  scaledDotProductAttention, tensor, zeros, type Tensor,
} from "../src/index";
import { expectClose, fromRef } from "./helpers/close";
import { ref } from "./helpers/reference";
import { runs } from "./helpers/arbitraries";

// Scores and outputs are short float64 sums of float32 products, rounded once; weights are exp
// ratios. The multi-head case chains three projections with O(1) values: 2e-6 absolute covers the
// float32 rounding of each intermediate (≈ 1e-7 each) and still catches a wrong scale (×√D) or a
// missing mask (weights change by ≥ 1e-2).
const TOL = { atol: 2e-6, rtol: 2e-6 };

function mhaParams(c: Record<string, any>) {
  return {
    cAttn: { weight: fromRef(c.cAttnWeight), bias: fromRef(c.cAttnBias) },
    cProj: { weight: fromRef(c.cProjWeight), bias: fromRef(c.cProjBias) },
  };
}

function randomParams(C: number, seed: number) {
  const rng = createRng(seed);
  return {
    cAttn: { weight: randn([3 * C, C], rng, 0.5), bias: randn([3 * C], rng, 0.1) },
    cProj: { weight: randn([C, C], rng, 0.5), bias: randn([C], rng, 0.1) },
  };
}

describe("attentionScores", () => {
  it("attentionScores(q, k) is q·kᵀ/√D (hand-checked)", () => {
    const q = tensor([1, 2], [1, 2]), k = tensor([3, 4, 5, 6], [2, 2]);
    expectClose(attentionScores(q, k), [11 / Math.SQRT2, 17 / Math.SQRT2], TOL);
  });

  it("attentionScores(q, k, { scale }) matches PyTorch with S ≠ T", () => {
    const c = ref("sdpa_scale");
    expectClose(attentionScores(fromRef(c.q), fromRef(c.k), { scale: c.scale }), c.scores, TOL);
  });

  it("attentionScores matches PyTorch's per-head scores of the multi-head case", () => {
    const c = ref("mha");
    expectClose(attentionScores(fromRef(c.qh), fromRef(c.kh)), c.scores, TOL);
  });
});

describe("scaledDotProductAttention", () => {
  it("attends uniformly when all scores are equal (hand-checked)", () => {
    const q = zeros([1, 2]), k = zeros([3, 2]), v = tensor([1, 2, 3, 4, 5, 6], [3, 2]);
    const { output, weights } = scaledDotProductAttention(q, k, v, { returnWeights: true });
    expectClose(output, [3, 4], TOL);
    expectClose(weights!, [1 / 3, 1 / 3, 1 / 3], TOL);
  });

  it("cross-attention shapes (S ≠ T, Dv ≠ D) with a padding mask match PyTorch", () => {
    const c = ref("sdpa_cross_padding");
    const r = scaledDotProductAttention(fromRef(c.q), fromRef(c.k), fromRef(c.v), { mask: paddingMask(c.valid), returnWeights: true });
    expectClose(r.output, c.out, TOL);
    expectClose(r.weights!, c.weights, TOL);
  });

  it("causal with S > T is aligned to the end, like a KV cache, and matches PyTorch", () => {
    const c = ref("sdpa_causal_kv");
    const q = fromRef(c.q), k = fromRef(c.k), v = fromRef(c.v);
    const a = scaledDotProductAttention(q, k, v, { causal: true, returnWeights: true });
    expectClose(a.output, c.out, TOL);
    expectClose(a.weights!, c.weights, TOL);
    const b = scaledDotProductAttention(q, k, v, { mask: causalMask(3, 5) });
    expectClose(b.output, c.out, TOL);
  });

  it("an explicit scale matches PyTorch", () => {
    const c = ref("sdpa_scale");
    const r = scaledDotProductAttention(fromRef(c.q), fromRef(c.k), fromRef(c.v), { scale: c.scale, returnWeights: true });
    expectClose(r.output, c.out, TOL);
    expectClose(r.weights!, c.weights, TOL);
  });

  it("a fully masked query row gives a zero output row and zero weights", () => {
    const rng = createRng(1);
    const q = randn([2, 3, 4], rng), k = randn([2, 3, 4], rng), v = randn([2, 3, 4], rng);
    const mask = tensor([-Infinity, -Infinity, -Infinity, 0, 0, 0, 0, 0, 0], [3, 3]);
    const r = scaledDotProductAttention(q, k, v, { mask, returnWeights: true });
    for (const h of [0, 1]) {
      expect(Array.from(r.output.data.slice(h * 12, h * 12 + 4))).toEqual([0, 0, 0, 0]);
      expect(Array.from(r.weights!.data.slice(h * 9, h * 9 + 3))).toEqual([0, 0, 0]);
    }
    // causal with S < T: the first T − S queries see nothing
    const c = scaledDotProductAttention(q, randn([2, 1, 4], rng), randn([2, 1, 4], rng), { causal: true });
    expect(Array.from(c.output.data.slice(0, 8))).toEqual(new Array(8).fill(0));
  });

  it("NaN in a query gives NaN in that query's output only", () => {
    const q = tensor([NaN, 0, 1, 0], [2, 2]), k = tensor([1, 0, 0, 1], [2, 2]), v = tensor([1, 2, 3, 4], [2, 2]);
    const r = scaledDotProductAttention(q, k, v);
    expect(Number.isNaN(r.output.data[0]) && Number.isNaN(r.output.data[1])).toBe(true);
    expect(Number.isFinite(r.output.data[2])).toBe(true);
  });

  it("T = 1 and D = 1 work", () => {
    const r = scaledDotProductAttention(tensor([2], [1, 1]), tensor([1, 3], [2, 1]), tensor([10, 20], [2, 1]));
    const p = 1 / (1 + Math.exp(4)); // weights exp(2), exp(6)
    expectClose(r.output, [10 * p + 20 * (1 - p)], TOL);
  });

  it("unmasked attention is equivariant to permuting keys and values together", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 6 }), fc.nat(),
      (T, S, D, seed) => {
        const rng = createRng(seed);
        const q = randn([2, T, D], rng), k = randn([2, S, D], rng), v = randn([2, S, D], rng);
        const perm = Array.from({ length: S }, (_, i) => i).sort(() => rng.uniform() - 0.5);
        const permute = (x: Tensor) => {
          const y = zeros(x.shape);
          for (let h = 0; h < 2; h++) for (let s = 0; s < S; s++) y.data.set(x.data.subarray((h * S + perm[s]) * D, (h * S + perm[s] + 1) * D), (h * S + s) * D);
          return y;
        };
        const a = scaledDotProductAttention(q, k, v).output.data;
        const b = scaledDotProductAttention(q, permute(k), permute(v)).output.data;
        return a.every((x, i) => Math.abs(x - b[i]) <= 1e-5 * (1 + Math.abs(x)));
      }), runs);
  });

  it("rejects q/k head sizes that differ, k/v lengths that differ, and a mask that does not broadcast", () => {
    const q = zeros([2, 3, 4]);
    expect(() => scaledDotProductAttention(q, zeros([2, 3, 5]), zeros([2, 3, 4]))).toThrow(ShapeError);
    expect(() => scaledDotProductAttention(q, zeros([2, 3, 5]), zeros([2, 3, 4]))).toThrow("scaledDotProductAttention: k has shape [2, 3, 5], expected [2, S, 4] (q's leading axes and head size D = 4; q has shape [2, 3, 4])");
    expect(() => scaledDotProductAttention(q, zeros([2, 3, 4]), zeros([2, 6, 4]))).toThrow("scaledDotProductAttention: v has shape [2, 6, 4], expected [2, 3, Dv] (the same 3 keys as k, shape [2, 3, 4])");
    expect(() => scaledDotProductAttention(q, zeros([3, 3, 4]), zeros([3, 3, 4]))).toThrow("scaledDotProductAttention: k has 3 heads, which does not divide q's 2 heads, expected a divisor of 2");
    expect(() => scaledDotProductAttention(q, q, q, { mask: zeros([3, 2]) })).toThrow("scaledDotProductAttention: mask has shape [3, 2], expected a shape broadcastable to [2, 3, 3] ([..., H, T, S], the shape of the attention weights)");
    expect(() => scaledDotProductAttention(q, q, q, { scale: NaN })).toThrow("scaledDotProductAttention: scale must be a finite number, got NaN");
    expect(() => scaledDotProductAttention(zeros([4]), q, q)).toThrow("scaledDotProductAttention: q has shape [4] (rank 1), expected rank ≥ 2 [..., H, T, D]");
  });
});

describe("multiHeadAttention", () => {
  it("multiHeadAttention(x) matches PyTorch at every intermediate (batched, causal)", () => {
    const c = ref("mha");
    const seen: Record<string, Tensor> = {};
    const r = multiHeadAttention(fromRef(c.x), mhaParams(c), {
      nHead: c.nHead, returnWeights: true, tap: (name, t) => { seen[name] = { data: t.data.slice(), shape: t.shape }; },
    });
    expectClose(seen.q, c.qh, TOL);
    expectClose(seen.k, c.kh, TOL);
    expectClose(seen.v, c.vh, TOL);
    expectClose(seen.scores, c.masked, TOL);
    expectClose(seen.weights, c.weights, TOL);
    expectClose(seen.heads, c.heads, TOL);
    expectClose(seen.merged, c.merged, TOL);
    expectClose(seen.out, c.out, TOL);
    expectClose(r.output, c.out, TOL);
    expectClose(r.weights!, c.weights, TOL);
  });

  it("without a tap or returnWeights it returns only the output", () => {
    const c = ref("mha");
    const r = multiHeadAttention(fromRef(c.x), mhaParams(c), { nHead: c.nHead });
    expect(r.weights).toBeUndefined();
    expectClose(r.output, c.out, TOL);
  });

  it("causal output at position t does not change when inputs after t change", () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 7 }), fc.integer({ min: 1, max: 3 }), fc.nat(), (T, H, seed) => {
      const C = H * 2, rng = createRng(seed);
      const params = randomParams(C, seed + 1);
      const x = randn([T, C], rng);
      const t = Math.floor(rng.uniform() * T);
      const x2 = { data: x.data.slice(), shape: x.shape };
      for (let i = (t + 1) * C; i < T * C; i++) x2.data[i] = rng.normal() * 5;
      const a = multiHeadAttention(x, params, { nHead: H }).output.data;
      const b = multiHeadAttention(x2, params, { nHead: H }).output.data;
      for (let i = 0; i < (t + 1) * C; i++) if (a[i] !== b[i]) return false;
      return true;
    }), runs);
  });

  it("with a KV cache, feeding tokens one by one gives the full causal result", () => {
    const rng = createRng(7), T = 6, C = 8, H = 2;
    const params = randomParams(C, 3);
    const x = randn([T, C], rng);
    const full = multiHeadAttention(x, params, { nHead: H, returnWeights: true });
    const cache = createKVCache({ nHead: H, headSize: C / H, capacity: T });
    const first = multiHeadAttention({ data: x.data.slice(0, 2 * C), shape: [2, C] }, params, { nHead: H, cache });
    expectClose(first.output.data, full.output.data.slice(0, 2 * C), { atol: 1e-6, rtol: 1e-6 });
    for (let t = 2; t < T; t++) {
      const step = multiHeadAttention({ data: x.data.slice(t * C, (t + 1) * C), shape: [1, C] }, params, { nHead: H, cache, returnWeights: true });
      expect(step.weights!.shape).toEqual([H, 1, t + 1]);
      expectClose(step.output.data, full.output.data.slice(t * C, (t + 1) * C), { atol: 1e-6, rtol: 1e-6 });
    }
    expect(cache.length).toBe(T);
    expect(() => multiHeadAttention(zeros([1, C]), params, { nHead: H, cache })).toThrow("multiHeadAttention: cache has 0 free positions (capacity 6, length 6), expected at least 1 for the 1 new tokens");
  });

  it("non-causal with a padding mask ignores the padded positions", () => {
    const rng = createRng(2), C = 4;
    const params = randomParams(C, 9);
    const x = randn([3, C], rng);
    const y = { data: x.data.slice(), shape: x.shape };
    y.data.fill(100, 2 * C); // change the padded token
    const mask = paddingMask([1, 1, 0]);
    const a = multiHeadAttention(x, params, { nHead: 2, causal: false, mask }).output.data;
    const b = multiHeadAttention(y, params, { nHead: 2, causal: false, mask }).output.data;
    expect(Array.from(a.slice(0, 2 * C))).toEqual(Array.from(b.slice(0, 2 * C)));
  });

  it("rejects an nEmbd not divisible by nHead, wrong parameter shapes and a mismatched cache", () => {
    const params = randomParams(6, 1);
    expect(() => multiHeadAttention(zeros([2, 6]), params, { nHead: 4 })).toThrow("multiHeadAttention: nHead = 4 does not divide C = 6 (the last axis of x), expected a divisor of 6");
    expect(() => multiHeadAttention(zeros([2, 6]), { cAttn: params.cAttn, cProj: { weight: zeros([6, 5]) } }, { nHead: 2 })).toThrow("multiHeadAttention: params.cProj.weight has shape [6, 5], expected [6, 6] ([C, C])");
    expect(() => multiHeadAttention(zeros([2, 6]), params, { nHead: 2, cache: createKVCache({ nHead: 3, headSize: 2, capacity: 4 }) })).toThrow("multiHeadAttention: cache holds batch 1, 3 k/v heads of size 2 for 3 query heads, expected batch 1, 2 k/v heads of size 3 for 2 (from x, nHead and nKvHead)");
    expect(() => multiHeadAttention(zeros([6]), params, { nHead: 2 })).toThrow(ShapeError);
  });
});

describe("multiHeadAttention with a cache and bad input", () => {
  it("leaves the cache untouched when it throws (a mask that does not broadcast)", () => {
    const C = 4, params = {
      cAttn: { weight: randn([3 * C, C], createRng(1)) },
      cProj: { weight: randn([C, C], createRng(2)) },
    };
    const cache = createKVCache({ nHead: 2, headSize: 2, capacity: 8 });
    multiHeadAttention(randn([2, C], createRng(3)), params, { nHead: 2, cache });
    const k = cache.k.slice();
    expect(() => multiHeadAttention(randn([1, C], createRng(4)), params, { nHead: 2, cache, mask: zeros([1, 5]) })).toThrow(/mask has shape \[1, 5\], expected a shape broadcastable to \[2, 1, 3\]/);
    expect(cache.length).toBe(2);
    expect(cache.k).toEqual(k);
  });
});

describe("types: returnWeights: true gives weights that are not optional", () => {
  it("scaledDotProductAttention and multiHeadAttention (checked by the typecheck; the values by the tests above)", () => {
    const rng = createRng(8);
    const q = randn([1, 2, 4], rng);
    const withWeights = scaledDotProductAttention(q, q, q, { returnWeights: true });
    expect(withWeights.weights.shape).toEqual([1, 2, 2]); // no `!`: the overload says it is there
    const without = scaledDotProductAttention(q, q, q);
    // @ts-expect-error without returnWeights the weights are optional (and absent)
    expect(() => without.weights.shape).toThrow(TypeError);
    const x = randn([3, 4], rng);
    const attn = { cAttn: { weight: randn([12, 4], rng) }, cProj: { weight: randn([4, 4], rng) } };
    expect(multiHeadAttention(x, attn, { nHead: 2, returnWeights: true }).weights.shape).toEqual([2, 3, 3]);
  });
});
