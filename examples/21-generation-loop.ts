// Lesson 20, by hand — the loop inside `generate`: a KV cache so each step runs one token, a workspace
// so each step allocates nothing, and logits for the last position only.
// Run: npx tsx examples/21-generation-loop.ts
import { readFileSync } from "node:fs";
import {
  argmax, createGptCache, createGptWorkspace, generate, gptForward, gptConfigFromMetadata, gptFromStateDict, loadSafetensors, safetensorsMetadata,
} from "transformer-primitives";

const bytes = new Uint8Array(readFileSync(new URL("./assets/sort-model.safetensors", import.meta.url)));
const params = gptFromStateDict(loadSafetensors(bytes), gptConfigFromMetadata(safetensorsMetadata(bytes)));
const letters = ["A", "B", "C"];
const prompt = [..."CBABAC"].map((ch) => letters.indexOf(ch));

const cache = createGptCache(params.config); // keys and values of every position seen so far
const workspace = createGptWorkspace(params.config, { tokens: prompt.length }); // every activation buffer, once
let logits = gptForward(params, prompt, { cache, workspace, logits: "last" }); // [1, V]: the prompt, once
const out: number[] = [];
for (let step = 0; step < 6; step++) {
  const next = argmax(logits.data); // greedy; sampleToken(logits.data, { temperature, topK, rng }) to sample
  out.push(next);
  if (step < 5) logits = gptForward(params, [next], { cache, workspace, logits: "last" }); // one token: O(T) work, no new arrays
}
console.log(`by hand:    ${out.map((i) => letters[i]).join("")} (cache holds ${cache.length} positions)`);
console.log(`generate(): ${[...generate(params, prompt, { maxNewTokens: 6, temperature: 0 })].map((i) => letters[i]).join("")}`);
const { x, ln, qkv, q, k, v, heads, merged, proj, fc } = workspace;
const floats = [x, ln, qkv, q, k, v, heads, merged, proj, fc, workspace.logits].reduce((n, a) => n + a.length, 0);
console.log(`workspace:  ${floats * 4} bytes for up to ${workspace.tokens} tokens, reused by every call`);
