// Lesson 12 — the projection layer: after attention, the heads' outputs are concatenated and mixed
// by one more linear layer, c_proj [C, C], so the heads' findings can be combined.
// Run: npx tsx examples/12-projection.ts
import { createRng, formatTensor, linear, mergeHeads, randn, scaledDotProductAttention, zeros } from "transformer-primitives";

const H = 2, T = 4, D = 4, C = H * D, rng = createRng(12);
const q = randn([H, T, D], rng), k = randn([H, T, D], rng), v = randn([H, T, D], rng);
const { output: heads } = scaledDotProductAttention(q, k, v, { causal: true }); // [H, T, D]
const merged = mergeHeads(heads); // [T, C]: head 0 in columns 0–3, head 1 in columns 4–7
console.log(formatTensor(merged, { precision: 2, label: "merged heads [T, C] =" }));

const cProj = { weight: randn([C, C], rng, 0.4), bias: zeros([C]) };
const y = linear(merged, cProj.weight, cProj.bias); // y = merged · Wᵀ + b
console.log(formatTensor(y, { precision: 2, label: "\nc_proj(merged) = merged·Wᵀ + b, [T, C] =" }));
console.log(`\nEvery output channel now mixes all ${H} heads: W is [out, in] = [${cProj.weight.shape}], PyTorch's nn.Linear layout.`);
