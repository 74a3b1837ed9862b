// No function mutates its inputs: every public op is called on random inputs and every input
// buffer is compared with a copy taken before the call.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as tp from "../src/index";
import type { Tensor } from "../src/index";
import { runs } from "./helpers/arbitraries";

function snapshot(ts: Tensor[]): Float32Array[] {
  return ts.map((t) => t.data.slice());
}

describe("purity", () => {
  it("no op mutates its inputs", () => {
    fc.assert(fc.property(fc.nat(), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 }), (seed, H, T) => {
      const rng = tp.createRng(seed);
      const D = 2, C = H * D, V = 7;
      const x = tp.randn([T, C], rng), w = tp.randn([C], rng), b = tp.randn([C], rng);
      const wte = tp.randn([V, C], rng), wpe = tp.randn([T + 2, C], rng);
      const W = tp.randn([3 * C, C], rng), Wb = tp.randn([3 * C], rng), P = tp.randn([C, C], rng), Pb = tp.randn([C], rng);
      const q = tp.randn([H, T, D], rng), k = tp.randn([H, T, D], rng), v = tp.randn([H, T, D], rng);
      const mask = tp.causalMask(T);
      const ids = Array.from({ length: T }, (_, i) => (i * 3) % V);
      const all = [x, w, b, wte, wpe, W, Wb, P, Pb, q, k, v, mask];
      const before = snapshot(all);
      const idsBefore = ids.slice();
      tp.softmax(x, { temperature: 0.5 });
      tp.logSoftmax(x);
      tp.layerNorm(x, w, b);
      tp.layerNormWithStats(x, w, b);
      tp.rmsNorm(x, w);
      tp.linear(x, P, Pb);
      tp.matmul(x, P);
      tp.projectQKV(x, W, Wb);
      tp.mergeHeads(tp.splitHeads(x, H));
      tp.applyMask(tp.attentionScores(q, k), mask);
      tp.scaledDotProductAttention(q, k, v, { causal: true, mask, returnWeights: true });
      tp.multiHeadAttention(x, { cAttn: { weight: W, bias: Wb }, cProj: { weight: P, bias: Pb } }, { nHead: H, returnWeights: true, tap: () => {} });
      tp.embedTokens(ids, wte);
      tp.embedPositions(T, wpe, { offset: 1 });
      tp.inputEmbedding(ids, wte, wpe, { offset: 2 });
      tp.applyRope(q, { offset: 3 });
      tp.formatTensor(x);
      const after = snapshot(all);
      for (let i = 0; i < all.length; i++) expect(after[i]).toEqual(before[i]);
      expect(ids).toEqual(idsBefore);
    }), { ...runs, numRuns: 30 });
  });
});
