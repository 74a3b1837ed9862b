// Lesson 5 — the input embedding: token embedding + position embedding, the first thing a GPT computes.
// Run: npx tsx examples/05-input-embedding.ts
import { createRng, embedPositions, embedTokens, formatTensor, inputEmbedding, randn } from "transformer-primitives";

const vocab = ["the", "cat", "sat", "down", "on", "a", "mat"];
const ids = ["the", "cat", "sat", "down"].map((w) => vocab.indexOf(w));
const C = 8, rng = createRng(5);
const wte = randn([vocab.length, C], rng, 0.5);
const wpe = randn([16, C], rng, 0.5);

const tok = embedTokens(ids, wte);
const pos = embedPositions(ids.length, wpe);
const x = inputEmbedding(ids, wte, wpe);
console.log(formatTensor(tok, { precision: 2, label: "tokens    [T, C] =" }));
console.log(formatTensor(pos, { precision: 2, label: "positions [T, C] =" }));
console.log(formatTensor(x, { precision: 2, label: "x = tokens + positions, [T, C] =" }));
console.log(`\ncheck: x[1, 0] = ${x.data[C].toFixed(4)} = ${tok.data[C].toFixed(4)} + ${pos.data[C].toFixed(4)}`);
console.log('"the" at position 0 and "the" at position 3 would now get different vectors.');
