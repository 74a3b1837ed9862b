// Lesson 20 — the complete pipeline: text → tokens → model → logits → token → text, repeated.
// Here with the real sort model; `npm run demo` prints every stage in detail.
// Run: npx tsx examples/20-complete-pipeline.ts
import { readFileSync } from "node:fs";
import { generate, gptConfigFromMetadata, gptFromStateDict, loadSafetensors, safetensorsMetadata } from "transformer-primitives";

const letters = ["A", "B", "C"];
const encode = (s: string) => [...s].map((ch) => letters.indexOf(ch));
const decode = (ids: number[]) => ids.map((i) => letters[i]).join("");

const bytes = new Uint8Array(readFileSync(new URL("./assets/sort-model.safetensors", import.meta.url)));
const params = gptFromStateDict(loadSafetensors(bytes), gptConfigFromMetadata(safetensorsMetadata(bytes)));

for (const text of ["CBABAC", "CCCAAA", "BACBAC", "ABCABC"]) {
  const out = [...generate(params, encode(text), { maxNewTokens: 6, temperature: 0 })];
  console.log(`${text} → ${decode(out)}`);
}
