// No function mutates its inputs: every public op is called on random inputs and every input
// buffer is compared with a copy taken before the call.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as tp from "../src/index";
import type { Tensor } from "../src/index";
import { runs } from "./helpers/arbitraries";

function tensor1(row: Float32Array): Tensor {
  return { data: row, shape: [row.length] };
}

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
      // the model half: activations, the MLP, the block, the model, sampling, and every backward pass
      tp.gelu(x);
      tp.gelu(x, { approximate: "tanh" });
      const fc4 = tp.randn([4 * C, C], rng), fcb = tp.randn([4 * C], rng), pr4 = tp.randn([C, 4 * C], rng), lnw = tp.ones([C]);
      const block = { ln1: { weight: lnw, bias: b }, attn: { cAttn: { weight: W, bias: Wb }, cProj: { weight: P, bias: Pb } }, ln2: { weight: w, bias: b }, mlp: { cFc: { weight: fc4, bias: fcb }, cProj: { weight: pr4, bias: Pb } } };
      all.push(fc4, fcb, pr4, lnw);
      const extra = snapshot([fc4, fcb, pr4, lnw]);
      before.push(...extra);
      tp.mlp(x, block.mlp);
      tp.transformerBlock(x, block, { nHead: H, tap: () => {} });
      const params = { config: { vocabSize: V, blockSize: T + 2, nLayer: 1, nHead: H, nEmbd: C }, wte, wpe, h: [block], lnF: { weight: w, bias: b } } as unknown as tp.GptParams;
      const logits = tp.gptForward(params, ids, { tap: () => {} });
      all.push(logits);
      before.push(logits.data.slice());
      const row = logits.data.slice(0, V), rowBefore = row.slice();
      tp.topK(tensor1(row), 2);
      tp.topP(tensor1(row), 0.5);
      tp.minP(tensor1(row), 0.1);
      tp.sampleToken(row, { temperature: 0.7, topK: 3, topP: 0.9, rng });
      tp.argmax(row);
      expect(row).toEqual(rowBefore);
      [...tp.generate(params, ids.slice(0, 2), { maxNewTokens: 2, temperature: 0 })];
      tp.crossEntropy(logits, ids);
      tp.crossEntropyBackward(logits, ids);
      tp.gptLossAndGrads(params, ids, ids);
      tp.softmaxBackward(x, tp.softmax(x));
      tp.logSoftmaxBackward(x, tp.logSoftmax(x));
      tp.geluBackward(x, x);
      tp.linearBackward(tp.linear(x, P), x, P);
      tp.layerNormBackward(x, x, w);
      tp.rmsNormBackward(x, x, w);
      tp.attentionBackward(q, q, k, v, { causal: true, mask });
      tp.embeddingBackward(x, ids, V);
      const after = snapshot(all);
      for (let i = 0; i < all.length; i++) expect(after[i]).toEqual(before[i]);
      expect(ids).toEqual(idsBefore);
    }), { ...runs, numRuns: 30 });
  });
});
