// Lesson 10 — causal masking: while predicting the next word, a token may not look at the words
// after it. Adding -Infinity to those scores makes softmax give them exactly zero weight.
// Run: npx tsx examples/10-causal-masking.ts
import { applyMask, attentionScores, causalMask, createRng, formatTensor, randn, softmax } from "transformer-primitives";

const words = ["the", "cat", "sat", "down"];
const T = 4, D = 8, rng = createRng(10);
const q = randn([T, D], rng), k = randn([T, D], rng);

const mask = causalMask(T);
console.log(formatTensor(mask, { precision: 0, label: "causalMask(4): 0 = may look, -inf = may not, [T, T] =" }));
const scores = attentionScores(q, k);
console.log(formatTensor(scores, { precision: 2, label: "\nscores [T, T] =" }));
const masked = applyMask(scores, mask);
console.log(formatTensor(masked, { precision: 2, label: "\nscores + mask [T, T] =" }));
const weights = softmax(masked);
console.log(formatTensor(weights, { precision: 2, label: "\nsoftmax(scores + mask): zero above the diagonal, [T, T] =" }));
words.forEach((w, t) => console.log(`  "${w}" sees: ${words.slice(0, t + 1).join(", ")}`));
console.log(formatTensor(causalMask(2, 4), { precision: 0, label: "\nwith a KV cache, causalMask(2, 4) aligns the 2 new queries to the end, [T, S] =" }));
