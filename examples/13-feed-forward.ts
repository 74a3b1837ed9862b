// Lesson 13 — the feed-forward network: each token on its own goes C → 4C → GELU → C.
// Attention moves information between tokens; the MLP processes it within each token.
// Run: npx tsx examples/13-feed-forward.ts
import { createRng, formatTensor, gelu, mlp, randn, tensor, zeros } from "transformer-primitives";

const xs = tensor([-3, -1, -0.5, 0, 0.5, 1, 3], [7]);
console.log(formatTensor(xs, { precision: 2, label: "x =" }));
console.log(formatTensor(gelu(xs), { precision: 4, label: "gelu(x) exact = x·Φ(x) =" }));
console.log(formatTensor(gelu(xs, { approximate: "tanh" }), { precision: 4, label: "gelu(x) tanh (GPT-2) =" }));

const T = 4, C = 8, rng = createRng(13);
const params = {
  cFc: { weight: randn([4 * C, C], rng, 0.3), bias: zeros([4 * C]) },
  cProj: { weight: randn([C, 4 * C], rng, 0.3), bias: zeros([C]) },
};
const x = randn([T, C], rng);
const y = mlp(x, params, {
  tap: (name, t) => console.log(`  mlp.${name.padEnd(4)} [${t.shape}]`),
});
console.log(formatTensor(y, { precision: 3, label: "\nmlp(x) [T, C] =" }));
