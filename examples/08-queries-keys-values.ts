// Lesson 8 — queries, keys and values: three learned projections of x. A query asks, a key answers
// "how well do I match?", a value is what gets passed along. GPT-2 fuses them into one matrix c_attn.
// Run: npx tsx examples/08-queries-keys-values.ts
import { createRng, formatTensor, projectQKV, randn, scaledDotProductAttention, zeros } from "transformer-primitives";

const T = 4, C = 8, rng = createRng(8);
const x = randn([T, C], rng);
const cAttn = { weight: randn([3 * C, C], rng, 0.4), bias: zeros([3 * C]) }; // [3C, C]: q rows, then k, then v

const { q, k, v } = projectQKV(x, cAttn.weight, cAttn.bias);
console.log(`x [${x.shape}] → c_attn [${cAttn.weight.shape}] → q, k, v each [${q.shape}]`);
console.log(formatTensor(q, { precision: 2, label: "q [T, C] =" }));
console.log(formatTensor(k, { precision: 2, label: "k [T, C] =" }));
console.log(formatTensor(v, { precision: 2, label: "v [T, C] =" }));
const { output, weights } = scaledDotProductAttention(q, k, v, { returnWeights: true });
console.log(formatTensor(weights, { precision: 2, label: "\nsoftmax(q·kᵀ/√C) [T, T] =" }));
console.log(formatTensor(output, { precision: 2, label: "output = weights·v [T, C] =" }));
