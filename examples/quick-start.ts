// The README's quick start: ids → inputEmbedding → layerNorm → multiHeadAttention (causal),
// printing the attention weights. Run: npx tsx examples/quick-start.ts
import { createRng, formatTensor, inputEmbedding, layerNorm, multiHeadAttention, ones, randn, zeros } from "transformer-primitives";

const rng = createRng(0);
const V = 7, C = 8, H = 2, blockSize = 16;
const ids = [0, 1, 2, 3];                                   // "the cat sat down"
const wte = randn([V, C], rng, 0.5), wpe = randn([blockSize, C], rng, 0.5);

const x = inputEmbedding(ids, wte, wpe);                    // [T, C]
const h = layerNorm(x, ones([C]), zeros([C]));              // [T, C]
const attn = {
  cAttn: { weight: randn([3 * C, C], rng, 0.5), bias: zeros([3 * C]) },  // q, k, v fused: [3C, C]
  cProj: { weight: randn([C, C], rng, 0.5), bias: zeros([C]) },
};
const { output, weights } = multiHeadAttention(h, attn, { nHead: H, returnWeights: true }); // causal by default
console.log(formatTensor(weights, { precision: 2, label: "attention weights [H, T, T] =" }));
console.log(formatTensor(output, { precision: 3, label: "output [T, C] =" }));
