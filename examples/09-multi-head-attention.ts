// Lesson 9 — multi-head attention: split the C channels into H heads of D = C/H channels; each head
// attends on its own (its own pattern), then the heads are merged and projected by c_proj.
// Run: npx tsx examples/09-multi-head-attention.ts
import {
  createRng, formatTensor, mergeHeads, multiHeadAttention, projectQKV, randn, scaledDotProductAttention, splitHeads, zeros,
} from "transformer-primitives";

const T = 4, C = 8, H = 2, rng = createRng(9);
const x = randn([T, C], rng);
const params = {
  cAttn: { weight: randn([3 * C, C], rng, 0.4), bias: zeros([3 * C]) },
  cProj: { weight: randn([C, C], rng, 0.4), bias: zeros([C]) },
};

// Step by step:
const { q, k, v } = projectQKV(x, params.cAttn.weight, params.cAttn.bias);
const qh = splitHeads(q, H), kh = splitHeads(k, H), vh = splitHeads(v, H);
console.log(`q [T, C] = [${q.shape}] → splitHeads → [H, T, D] = [${qh.shape}]`);
const { output: heads, weights } = scaledDotProductAttention(qh, kh, vh, { causal: true, returnWeights: true });
console.log(formatTensor(weights, { precision: 2, label: "weights per head [H, T, T] =" }));
const merged = mergeHeads(heads);
console.log(`heads [${heads.shape}] → mergeHeads → [${merged.shape}] → c_proj → [${merged.shape}]`);

// All of it in one call:
const { output } = multiHeadAttention(x, params, { nHead: H });
console.log(formatTensor(output, { precision: 3, label: "\nmultiHeadAttention(x, params, { nHead: 2 }) [T, C] =" }));
