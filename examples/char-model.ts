// A character-level GPT trained from scratch by this library (npm run train -- chars: 3,000 AdamW steps
// on ../shared/corpus/english.txt, on one thread) writes text. Its vocabulary is stored in the
// checkpoint's metadata, so the tokenizer is rebuilt from it.
// Run: npx tsx examples/char-model.ts ["a prompt"] [temperature]
import { readFileSync } from "node:fs";
import { CharTokenizer, createRng, generate, gptConfigFromMetadata, gptFromStateDict, loadSafetensors, safetensorsMetadata } from "transformer-primitives";

const bytes = new Uint8Array(readFileSync(new URL("./assets/char-model.safetensors", import.meta.url)));
const meta = safetensorsMetadata(bytes);
const params = gptFromStateDict(loadSafetensors(bytes), gptConfigFromMetadata(meta));
const tokenizer = CharTokenizer.fromText(JSON.parse(meta.vocab));
const prompt = process.argv[2] ?? "The program ";
const temperature = Number(process.argv[3] ?? 0.8);
const c = params.config;
console.log(`${c.nLayer} layers × ${c.nHead} heads, C = ${c.nEmbd}, context ${c.blockSize}, ${c.vocabSize} characters;`);
console.log(`trained by ${meta.trained_by} for ${meta.step} steps: validation loss ${meta.validation_loss} nats per character.\n`);
const ids = tokenizer.encode(prompt);
const out = generate(params, ids, { maxNewTokens: 300, temperature, topK: 40, rng: createRng(1) });
console.log(prompt + tokenizer.decode([...out]));
