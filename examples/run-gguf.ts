// Runs a GGUF file, the format of llama.cpp and the local-model world — a Llama (Llama 2, 3, 3.1
// and 3.2, SmolLM, TinyLlama, Mistral), Qwen2 or GPT-2 stored in F32, F16, BF16, Q8_0, Q4_0,
// Q4_1, Q5_0 or Q5_1, with its tokenizer (byte-level BPE or SentencePiece) — and streams the text it writes, then its
// speed and the memory it holds. Without a file it runs the character model trained here, exported
// to GGUF in Q8_0 first (its characters are not a BPE vocabulary: that file carries a placeholder,
// and the checkpoint's own characters tokenize).
// Run: npm run generate -- model.gguf ["a prompt"] [--tokens N] [--temperature T] [--kv-f16]
import { openAsBlob, readFileSync } from "node:fs";
import {
  CharTokenizer, createRng, generate, gptConfigFromMetadata, gptFromStateDict, loadGguf, loadSafetensors, modelFromGguf, modelToGguf,
  readGguf, residentParams, safetensorsMetadata, tokenizerFromGguf, wasmStatus, type Gguf,
} from "transformer-primitives";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const v = Number(args[at + 1]);
  if (!Number.isFinite(v) || v < 0) { console.error(`run-gguf: ${name} needs a number ≥ 0, got ${JSON.stringify(args[at + 1])}`); process.exit(2); }
  args.splice(at, 2);
  return v;
};
const maxNewTokens = option("--tokens", 64), temperature = option("--temperature", 0.8);
const kvAt = args.indexOf("--kv-f16"), kvCache = kvAt < 0 ? "f32" : "f16"; // keys and values cached in binary16: half the bytes
if (kvAt >= 0) args.splice(kvAt, 1);
const [file, promptArg] = args;

let gguf: Gguf, tokenizer: { encode(s: string): number[]; createDecoder(): { write(id: number): string; end(): string } };
if (file !== undefined) {
  // read a slice at a time straight into the kernels' memory: the file's bytes are never held beside the weights
  try { gguf = await readGguf(await openAsBlob(file)); } catch (e) { console.error(`run-gguf: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`); process.exit(2); }
  tokenizer = tokenizerFromGguf(gguf);
} else {
  const st = new Uint8Array(readFileSync(new URL("./assets/char-model.safetensors", import.meta.url)));
  const meta = safetensorsMetadata(st);
  const bytes = modelToGguf(gptFromStateDict(loadSafetensors(st), gptConfigFromMetadata(meta)), { type: "q8_0" });
  gguf = loadGguf(bytes);
  const chars = CharTokenizer.fromText(JSON.parse(meta.vocab));
  tokenizer = { encode: (s) => chars.encode(s), createDecoder: () => ({ write: (id) => chars.decode([id]), end: () => "" }) };
  console.log(`no file given: the character model, as a ${(bytes.length / 1e6).toFixed(2)} MB Q8_0 GGUF\n`);
}
const arch = gguf.metadata["general.architecture"]?.value;
const model = residentParams(modelFromGguf(gguf)); // its weights in the kernels' memory, read there by every step
const c = model.config;
const types = new Set(Object.values(gguf.tensors).map((t) => ("type" in t ? t.type : "f32")));
console.log(`${arch}: ${c.nLayer} layers, C = ${c.nEmbd}, ${c.nHead} heads, vocabulary ${c.vocabSize}, context ${c.blockSize}; weights ${[...types].join(", ")}`);
const prompt = promptArg ?? "The program ";
const ids = tokenizer.encode(prompt);
process.stdout.write(prompt);
const decoder = tokenizer.createDecoder();
const t0 = performance.now();
let first = 0, n = 0;
for (const id of generate(model, ids, { maxNewTokens, temperature, topK: 40, rng: createRng(1), kvCache })) {
  if (n++ === 0) first = performance.now() - t0;
  process.stdout.write(decoder.write(id));
}
process.stdout.write(decoder.end());
const total = performance.now() - t0;
console.log(`\n\n${ids.length} prompt tokens in ${first.toFixed(0)} ms (${(ids.length / (first / 1000)).toFixed(0)} tokens/s, the first new token included); ` +
  `${n - 1} more at ${((total - first) / Math.max(1, n - 1)).toFixed(1)} ms each`);
const s = wasmStatus();
console.log(`memory (KV cache ${kvCache}): ${(s.residentBytes / 1e6).toFixed(0)} MB resident in the kernels' memory (${(s.memoryBytes / 1e6).toFixed(0)} MB in all), process RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB now, ${((process.resourceUsage().maxRSS * 1024) / 1e6).toFixed(0)} MB at most`);
