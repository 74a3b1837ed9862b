// The models the playground can walk: the sort model, the character model, and one the visitor
// brings — a safetensors checkpoint (nanoGPT / Hugging Face GPT-2 / Hugging Face Llama names, the
// config from config.json or from the file's metadata) with its tokenizer.json, or a GGUF file.
// Everything here is the library's public API; it runs in the model Worker and in Node's tests.
import {
  BpeTokenizer, CharTokenizer, createGptCache, createLlamaCache, gptConfigFromMetadata, gptForward, gptFromStateDict, llamaConfigFromHf,
  llamaForward, llamaFromStateDict, loadGguf, loadSafetensors, modelFromGguf, readGguf, readSafetensors, residentParams, safetensorsMetadata,
  tokenizerFromGguf, type CausalLMParams, type Gguf, type GptConfig, type GptParams, type LlamaConfig, type LlamaParams, type Tap, type Tensor, type Weight,
} from "../../src/index";
import { SORT_MODEL_LETTERS, sortModel } from "../../src/pretrained/index";

/** A file's bytes, by name (the shipped character model, and the tests). */
export interface PickedFile { name: string; bytes: Uint8Array }

/** A file the visitor picked or dropped, as the browser gives it (never uploaded): read in the Worker, the weights a chunk at a time. */
export interface PickedBlob { name: string; blob: Blob }

/** What the walk needs of a tokenizer: ids, and each id's piece of text. */
export interface WalkTokenizer {
  kind: string;
  vocabSize: number;
  encode(text: string): number[];
  /** The text of one token as the tokenizer stores it (spaces and newlines made visible by the page). */
  piece(id: number): string;
  decode(ids: readonly number[]): string;
}

/** A model ready to walk: its parameters, its tokenizer, and how to run one forward. */
export interface PlaygroundModel {
  name: string;
  family: "gpt" | "llama";
  params: CausalLMParams;
  tokenizer: WalkTokenizer;
  /** A sentence to start from. */
  sample: string;
  /** Why this text cannot be walked (null when it can). */
  check(text: string): string | null;
  /** Greedy tokens the header shows as the model's answer. */
  answerTokens: number;
  forward(ids: readonly number[], options: { tap?: Tap; cache?: unknown }): Tensor;
  createCache(): unknown;
  /** A Llama's first token when its config names one (prepended to the text, as Hugging Face does). */
  bos: number | null;
}

const utf8 = new TextDecoder("utf-8", { fatal: false });

function familyOf(params: CausalLMParams): Pick<PlaygroundModel, "family" | "forward" | "createCache"> {
  if ("intermediateSize" in params.config) {
    const p = params as LlamaParams<Weight>;
    return { family: "llama", forward: (ids, o) => llamaForward(p, ids, o as never), createCache: () => createLlamaCache(p.config) };
  }
  const p = params as GptParams<Weight>;
  return { family: "gpt", forward: (ids, o) => gptForward(p, ids, o as never), createCache: () => createGptCache(p.config) };
}

function charTokenizer(chars: CharTokenizer): WalkTokenizer {
  return {
    kind: `characters (${chars.vocabSize})`, vocabSize: chars.vocabSize,
    encode: (text) => chars.encode(text), piece: (id) => chars.chars[id] ?? `#${id}`, decode: (ids) => chars.decode(ids),
  };
}

function bpeTokenizer(kind: string, tok: { vocabSize: number; encode(text: string, o?: object): number[]; tokenBytes(id: number): Uint8Array; decode(ids: ArrayLike<number>): string }): WalkTokenizer {
  return {
    kind: `${kind} (${tok.vocabSize.toLocaleString("en")} tokens)`, vocabSize: tok.vocabSize,
    encode: (text) => tok.encode(text, { allowedSpecial: "all" }),
    piece: (id) => { try { return utf8.decode(tok.tokenBytes(id)); } catch { return `#${id}`; } },
    decode: (ids) => tok.decode(ids),
  };
}

function charCheck(chars: CharTokenizer, blockSize: number) {
  return (text: string): string | null => {
    const missing = [...new Set([...text].filter((ch) => !chars.chars.includes(ch)))];
    if (missing.length) return `the model has never seen ${missing.map((ch) => JSON.stringify(ch)).join(", ")}: it knows ${chars.vocabSize} characters`;
    if (text.length === 0) return "type some text to walk";
    if ([...text].length > blockSize) return `${[...text].length} characters: the model reads at most ${blockSize}`;
    return null;
  };
}

function lengthCheck(tokenizer: WalkTokenizer, blockSize: number, bos: number | null) {
  return (text: string): string | null => {
    if (text.length === 0) return "type some text to walk";
    const n = tokenizer.encode(text).length + (bos === null ? 0 : 1);
    return n > blockSize ? `${n} tokens: the model reads at most ${blockSize}` : null;
  };
}

/** minGPT's gpt-nano trained to sort six letters from A, B, C (the library's `sortModel()`). */
export function sortPlaygroundModel(): PlaygroundModel {
  const params = sortModel();
  const chars = CharTokenizer.fromText(SORT_MODEL_LETTERS.join(""));
  return {
    name: "nano-sort (3 layers × 3 heads, sorts six letters)", ...familyOf(params), params, tokenizer: charTokenizer(chars), sample: "CBABAC", answerTokens: 6, bos: null,
    check: (text) => {
      const bad = [...text].find((ch) => !SORT_MODEL_LETTERS.includes(ch));
      if (bad !== undefined) return `"${bad}" is not a letter the model knows: six letters from A, B, C, please`;
      return text.length === 6 ? null : `${text.length} of 6 letters: six letters from A, B, C, please`;
    },
  };
}

/** The files of one model, by role, every wrong combination refused with what to add or remove. */
function parts<F extends { name: string }>(files: readonly F[]): { gguf?: F; weights?: F; config?: F; tokenizer?: F } {
  if (files.length === 0) throw new Error("no file was given: pick a .safetensors (with its config.json and tokenizer.json) or a .gguf");
  const by = (test: (name: string) => boolean) => files.filter((f) => test(f.name.toLowerCase()));
  const ggufs = by((n) => n.endsWith(".gguf")), weights = by((n) => n.endsWith(".safetensors"));
  const configs = by((n) => n.endsWith("config.json") && !n.endsWith("tokenizer_config.json")), tokenizers = by((n) => n.endsWith("tokenizer.json"));
  const unknown = files.filter((f) => !ggufs.includes(f) && !weights.includes(f) && !configs.includes(f) && !tokenizers.includes(f) && !f.name.toLowerCase().endsWith(".json"));
  if (unknown.length) throw new Error(`${unknown.map((f) => f.name).join(", ")}: not a file the playground reads (.safetensors, config.json, tokenizer.json or .gguf)`);
  if (ggufs.length > 1 || weights.length > 1) throw new Error(`pick one model at a time: got ${[...ggufs, ...weights].map((f) => f.name).join(", ")}`);
  if (ggufs.length === 1) {
    if (weights.length) throw new Error(`pick either a .gguf or a .safetensors, not both`);
    return { gguf: ggufs[0] };
  }
  if (weights.length === 0) throw new Error(`no weights among ${files.map((f) => f.name).join(", ")}: add the model's .safetensors (or pick a .gguf)`);
  return { weights: weights[0], config: configs[0], tokenizer: tokenizers[0] };
}

/**
 * A model from the files' bytes: one `.gguf`, or one `.safetensors` with a `config.json` (or the
 * config in its metadata) and a `tokenizer.json` (or a character vocabulary in its metadata).
 * Throws an Error that says what is missing or wrong; nothing is kept from a failed load.
 */
export function modelFromFiles(files: readonly PickedFile[]): PlaygroundModel {
  const p = parts(files);
  if (p.gguf) return fromGguf(p.gguf.name, loadGguf(p.gguf.bytes));
  const w = p.weights!;
  return fromSafetensors(w.name, loadSafetensors(w.bytes), safetensorsMetadata(w.bytes), p.config, p.tokenizer);
}

/**
 * The same from the files the visitor picked, as {@link modelFromFiles} reads bytes, but the weights
 * read from the file a chunk at a time straight into the kernels' memory (readGguf /
 * readSafetensors): a big model is never held twice, not even while it loads.
 */
export async function modelFromBlobs(files: readonly PickedBlob[]): Promise<PlaygroundModel> {
  const p = parts(files);
  const bytes = async (f: PickedBlob | undefined) => f && { name: f.name, bytes: new Uint8Array(await f.blob.arrayBuffer()) };
  if (p.gguf) return fromGguf(p.gguf.name, await readGguf(p.gguf.blob));
  const w = p.weights!.blob;
  const length = w.size < 8 ? 0 : Number(new DataView(await w.slice(0, 8).arrayBuffer()).getBigUint64(0, true));
  const meta = safetensorsMetadata(new Uint8Array(await w.slice(0, 8 + Math.min(length, w.size)).arrayBuffer())); // the header alone
  return fromSafetensors(p.weights!.name, await readSafetensors(w), meta, await bytes(p.config), await bytes(p.tokenizer));
}

function fromGguf(name: string, gguf: Gguf): PlaygroundModel {
  const params = modelFromGguf(gguf);
  const tok = tokenizerFromGguf(gguf);
  const f = familyOf(params);
  const kind = "encodeWithOffsets" in tok ? "byte-level BPE from the GGUF" : "SentencePiece from the GGUF";
  const tokenizer = bpeTokenizer(kind, tok);
  const bos = f.family === "llama" ? (params as LlamaParams<Weight>).config.bosTokenId ?? null : null;
  return { name, ...f, params, tokenizer, sample: "The capital of France is", answerTokens: 6, bos, check: lengthCheck(tokenizer, params.config.blockSize, bos) };
}

function json(file: PickedFile): Record<string, unknown> {
  try { return JSON.parse(utf8.decode(file.bytes)); } catch (e) { throw new Error(`${file.name} is not JSON: ${(e as Error).message}`); }
}

/** A Hugging Face GPT-2 config.json as this library's GptConfig. */
function gptConfigFromHf(c: Record<string, unknown>, name: string): GptConfig {
  const need = (key: string, ...alts: string[]) => {
    for (const k of [key, ...alts]) if (typeof c[k] === "number") return c[k] as number;
    throw new Error(`${name} has no ${[key, ...alts].join(" or ")}: is it a GPT-2 config.json?`);
  };
  return {
    vocabSize: need("vocab_size"), blockSize: need("n_positions", "n_ctx"), nLayer: need("n_layer"), nHead: need("n_head"), nEmbd: need("n_embd"),
    ...(typeof c.layer_norm_epsilon === "number" ? { eps: c.layer_norm_epsilon } : {}),
    ...(c.activation_function === "gelu" ? { gelu: "none" as const } : { gelu: "tanh" as const }), // gelu_new: the tanh form
  };
}

function fromSafetensors(name: string, record: Record<string, Tensor>, meta: Record<string, string>, configFile: PickedFile | undefined, tokenizerFile: PickedFile | undefined): PlaygroundModel {
  let params: CausalLMParams;
  if (configFile) {
    const c = json(configFile);
    const llamaLike = typeof c.intermediate_size === "number" || ["llama", "qwen2", "mistral"].includes(String(c.model_type));
    params = llamaLike ? llamaFromStateDict(record, llamaConfigFromHf(c)) : gptFromStateDict(record, gptConfigFromHf(c, configFile.name));
  } else if (meta.config !== undefined) {
    // this library's config under "config": a Llama's has an intermediateSize, a GPT's has none
    let config: unknown;
    try { config = JSON.parse(meta.config); } catch { throw new Error(`${name}'s metadata.config is not JSON`); }
    params = config != null && typeof config === "object" && "intermediateSize" in config
      ? llamaFromStateDict(record, config as LlamaConfig)
      : gptFromStateDict(record, gptConfigFromMetadata(meta));
  } else {
    throw new Error(`${name} carries no config in its metadata: add the model's config.json`);
  }
  const f = familyOf(params);
  const bos = f.family === "llama" ? (params as LlamaParams<Weight>).config.bosTokenId ?? null : null;
  const blockSize = params.config.blockSize;
  if (tokenizerFile) {
    const tokenizer = bpeTokenizer("byte-level BPE from tokenizer.json", BpeTokenizer.fromHuggingFace(utf8.decode(tokenizerFile.bytes)));
    if (tokenizer.vocabSize > params.config.vocabSize) throw new Error(`${tokenizerFile.name} has ${tokenizer.vocabSize} tokens but ${name} embeds ${params.config.vocabSize}: they are not one model's files`);
    return { name, ...f, params, tokenizer, sample: "The capital of France is", answerTokens: 6, bos, check: lengthCheck(tokenizer, blockSize, bos) };
  }
  if (meta.vocab !== undefined) {
    const chars = CharTokenizer.fromText(JSON.parse(meta.vocab));
    if (chars.vocabSize !== params.config.vocabSize) throw new Error(`${name}'s vocabulary has ${chars.vocabSize} characters but the model embeds ${params.config.vocabSize}`);
    const sample = [..."The program"].every((ch) => chars.chars.includes(ch)) ? "The program" : chars.chars.slice(0, Math.min(8, blockSize)).join("");
    return { name, ...f, params, tokenizer: charTokenizer(chars), sample, answerTokens: 12, bos: null, check: charCheck(chars, blockSize) };
  }
  throw new Error(`no tokenizer for ${name}: add its tokenizer.json`);
}

/**
 * The same model with its weights copied into the kernels' memory where that memory is shared (a
 * Worker of a cross-origin-isolated page, Node): held once there, read where they are; the copy the
 * loader made is dropped with this model's old parameters. Elsewhere the model is returned as it is.
 */
export function residentModel(model: PlaygroundModel): PlaygroundModel {
  const params = residentParams(model.params);
  return params === model.params ? model : { ...model, params, ...familyOf(params) };
}

/** The character model this library trained (examples/assets/char-model.safetensors). */
export function charPlaygroundModel(bytes: Uint8Array): PlaygroundModel {
  const model = modelFromFiles([{ name: "char-model.safetensors", bytes }]);
  return { ...model, name: "the character model (4 layers × 4 heads, trained here on English)", sample: "The program is" };
}
