// Lesson 7 — self-attention: every token looks at every token, scores them by dot product, turns the
// scores into weights with softmax, and takes the weighted average of their vectors.
// Run: npx tsx examples/07-self-attention.ts
import { attentionScores, createRng, formatTensor, randn, scaledDotProductAttention, softmax } from "transformer-primitives";

const words = ["the", "cat", "sat", "down"];
const T = 4, C = 8;
const x = randn([T, C], createRng(7));

// The simplest attention uses x itself as queries, keys and values (no learned projections yet).
const scores = attentionScores(x, x); // x·xᵀ / √C
console.log(formatTensor(scores, { precision: 2, label: "scores = x·xᵀ/√C, [T, T] =" }));
const weights = softmax(scores);
console.log(formatTensor(weights, { precision: 2, label: "\nweights = softmax(scores), rows sum to 1, [T, T] =" }));
const { output } = scaledDotProductAttention(x, x, x);
console.log(formatTensor(output, { precision: 2, label: "\noutput = weights·x, [T, C] =" }));
words.forEach((w, t) => {
  const row = Array.from(weights.data.subarray(t * T, (t + 1) * T));
  const best = row.indexOf(Math.max(...row));
  console.log(`  "${w}" attends most to "${words[best]}" (${(row[best] * 100).toFixed(0)}%)`);
});
