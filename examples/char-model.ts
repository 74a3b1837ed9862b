// A character-level GPT trained from scratch by this library (npm run train -- chars: 3,000 AdamW steps
// on ../shared/corpus/english.txt, on one thread) writes text. Its vocabulary is stored in the
// checkpoint's metadata, so the tokenizer is rebuilt from it.
// Run: npx tsx examples/char-model.ts [--model FILE] ["a prompt"] [temperature]
// (--model: a checkpoint from npm run train -- chars; default the one shipped in examples/assets)
import { readFileSync } from "node:fs";
import { CharTokenizer, createRng, generate, gptConfigFromMetadata, gptFromStateDict, loadSafetensors, safetensorsMetadata } from "transformer-primitives";

const args = process.argv.slice(2);
const at = args.indexOf("--model");
const modelFile = at >= 0 ? args[at + 1] : undefined;
if (at >= 0 && (modelFile === undefined || modelFile.startsWith("--"))) {
  console.error("char-model: --model needs a file, e.g. --model checkpoints/char-model.safetensors (from npm run train -- chars)");
  process.exit(2);
}
const positional = at >= 0 ? [...args.slice(0, at), ...args.slice(at + 2)] : args;
let bytes: Uint8Array;
try {
  bytes = new Uint8Array(readFileSync(modelFile ?? new URL("./assets/char-model.safetensors", import.meta.url)));
} catch (e) {
  console.error(`char-model: cannot read the model file ${modelFile} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  process.exit(2);
}
const meta = safetensorsMetadata(bytes);
const params = gptFromStateDict(loadSafetensors(bytes), gptConfigFromMetadata(meta));
const tokenizer = CharTokenizer.fromText(JSON.parse(meta.vocab));
const prompt = positional[0] ?? "The program ";
const temperature = Number(positional[1] ?? 0.8);
const c = params.config;
console.log(`${c.nLayer} layers × ${c.nHead} heads, C = ${c.nEmbd}, context ${c.blockSize}, ${c.vocabSize} characters;`);
console.log(`trained by ${meta.trained_by} for ${meta.step} steps: validation loss ${meta.validation_loss} nats per character.\n`);
const ids = tokenizer.encode(prompt);
const out = generate(params, ids, { maxNewTokens: 300, temperature, topK: 40, rng: createRng(1) });
console.log(prompt + tokenizer.decode([...out]));
