// Lesson 6 — layer normalisation: each token's vector is shifted to mean 0 and scaled to variance 1,
// then stretched and shifted by learned weight (γ) and bias (β).
// Run: npx tsx examples/06-layer-norm.ts
import { createRng, formatTensor, layerNormWithStats, ones, randn, zeros } from "transformer-primitives";

const T = 4, C = 8;
const x = randn([T, C], createRng(6), 3);
for (let c = 0; c < C; c++) x.data[c] += 10; // token 0 sits far from 0

console.log(formatTensor(x, { precision: 2, label: "x [T, C] =" }));
const { output, mean, rstd } = layerNormWithStats(x, ones([C]), zeros([C]));
console.log(formatTensor(mean, { precision: 3, label: "\nmean per token [T] =" }));
console.log(formatTensor(rstd, { precision: 3, label: "rstd = 1/√(var + 1e-5) per token [T] =" }));
console.log(formatTensor(output, { precision: 2, label: "\nlayerNorm(x, γ = 1, β = 0) [T, C] =" }));
for (let t = 0; t < T; t++) {
  const row = Array.from(output.data.subarray(t * C, (t + 1) * C));
  const m = row.reduce((a, b) => a + b, 0) / C;
  const v = row.reduce((a, b) => a + (b - m) ** 2, 0) / C;
  console.log(`  token ${t}: mean ${m.toFixed(4)}, variance ${v.toFixed(4)}`);
}
