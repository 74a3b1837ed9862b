// Lesson 3 — token embeddings: each token id picks one row of a learned table wte [V, C].
// Run: npx tsx examples/03-token-embeddings.ts
import { createRng, embedTokens, formatTensor, randn } from "transformer-primitives";

const vocab = ["the", "cat", "sat", "down", "on", "a", "mat"]; // V = 7
const sentence = ["the", "cat", "sat", "down"]; // T = 4
const ids = sentence.map((w) => vocab.indexOf(w));
const C = 8;

const wte = randn([vocab.length, C], createRng(3), 0.5); // learned in a real model; random here
console.log(`"${sentence.join(" ")}" → ids [${ids.join(", ")}]`);
console.log(formatTensor(wte, { precision: 2, label: "wte: one row per vocabulary word, [V, C] =" }));

const x = embedTokens(ids, wte);
console.log();
console.log(formatTensor(x, { precision: 2, label: "embedTokens(ids, wte): one row per token, [T, C] =" }));
sentence.forEach((w, t) => console.log(`  row ${t} ("${w}") is row ${ids[t]} of wte`));
