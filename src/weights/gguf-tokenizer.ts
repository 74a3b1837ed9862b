/**
 * Tokenizers in GGUF metadata (`tokenizer.ggml.*`): llama.cpp's byte-level BPE (`"gpt2"`), read as
 * a {@link BpeTokenizer} and written from one.
 * @module
 */
import type { BpeTokenizer } from "../tokenizer/bpe";
import { fromHuggingFace } from "../tokenizer/huggingface";
import { PATTERNS } from "../tokenizer/patterns";
import type { Gguf, GgufValue } from "./gguf";
import { type SentencePieceTokenizer, createSentencePieceTokenizer } from "../tokenizer/sentencepiece";

/** llama.cpp's token types (`llama_token_type`). */
const NORMAL = 1, CONTROL = 3, USER_DEFINED = 4, UNUSED = 5;

/**
 * The pre-tokenizers of llama.cpp's `tokenizer.ggml.pre` this reader knows, as the regex of a
 * Hugging Face `Split` (llama.cpp applies one regex for each of these), and whether a piece that is
 * a whole token skips the merges (llama.cpp's `ignore_merges` for Llama 3).
 */
const PRE: Record<string, { regex: string; ignoreMerges: boolean; digits?: true }> = {
  default: { regex: PATTERNS.r50k_base, ignoreMerges: false },
  "gpt-2": { regex: PATTERNS.r50k_base, ignoreMerges: false },
  "llama-bpe": { regex: PATTERNS.cl100k_base, ignoreMerges: true },
  "gpt-4o": { regex: PATTERNS.o200k_base, ignoreMerges: false },
  smollm: { regex: PATTERNS.r50k_base, ignoreMerges: false, digits: true }, // each digit cut off first, then GPT-2's
  qwen2: { regex: "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+", ignoreMerges: false },
};

/**
 * The tokenizer a GGUF file carries: `tokenizer.ggml.model` `"gpt2"` (byte-level BPE: GPT-2,
 * Llama 3, Qwen2, SmolLM, GPT-4o-style) with the pre-tokenizer `tokenizer.ggml.pre` names — `default`,
 * `gpt-2`, `llama-bpe`, `qwen2`, `smollm`, `gpt-4o` — its tokens, merges (in priority order) and token
 * types: control tokens (type 3) are special tokens, so `encode(text, { allowedSpecial: "all" })`
 * gives llama.cpp's `llama_tokenize(…, parse_special = true)` and `encodeOrdinary(text)` its
 * `parse_special = false`; user-defined tokens (type 4) are matched wherever they occur; unused
 * ones (type 5, the padding of a vocabulary with holes) are left out. Qwen2's NFC normalizer is not
 * applied (llama.cpp applies none). Another model or pre-tokenizer is an error naming it. `"llama"` (SentencePiece-style BPE: Llama 2, Mistral, TinyLlama) gives a
 * {@link SentencePieceTokenizer} that cuts as llama.cpp's `llm_tokenizer_spm` does: spaces as `▁`
 * with one put first (`tokenizer.ggml.add_space_prefix`, also after each special token), the pair
 * of highest score merged first, bytes for what no token holds; control and unknown tokens are its
 * special tokens.
 * @param gguf - a loaded GGUF file
 * @returns a {@link BpeTokenizer}, or a {@link SentencePieceTokenizer} for `"llama"`
 * @throws RangeError naming what it does not read
 * @category 25 · Quantized weights
 * @example
 * ```ts
 * const gguf = loadGguf(bytes);
 * const tok = tokenizerFromGguf(gguf), model = modelFromGguf(gguf);
 * for (const id of generate(model, tok.encode("Once upon a time"), { maxNewTokens: 20, temperature: 0 })) process.stdout.write(tok.decode([id]));
 * ```
 */
export function tokenizerFromGguf(gguf: Gguf): BpeTokenizer | SentencePieceTokenizer {
  const fn = "tokenizerFromGguf";
  const m = gguf?.metadata;
  if (m == null) throw new TypeError(`${fn}: expected a GGUF from loadGguf`);
  const model = m["tokenizer.ggml.model"];
  if (model?.type !== "string") throw new RangeError(`${fn}: the file has no tokenizer.ggml.model string`);
  if (model.value === "llama") return sentencePieceFrom(fn, m);
  if (model.value !== "gpt2") throw new RangeError(`${fn}: tokenizer.ggml.model is "${model.value}", expected "gpt2" (byte-level BPE) or "llama" (SentencePiece)`);
  const preValue = m["tokenizer.ggml.pre"];
  const preName = preValue === undefined ? "default" : preValue.type === "string" ? preValue.value : "";
  const pre = PRE[preName];
  if (pre === undefined) throw new RangeError(`${fn}: tokenizer.ggml.pre is ${JSON.stringify(preName)}, expected one of ${Object.keys(PRE).map((k) => `"${k}"`).join(", ")}`);
  const tokens = stringArray(fn, m, "tokenizer.ggml.tokens");
  const merges = m["tokenizer.ggml.merges"] === undefined ? [] : stringArray(fn, m, "tokenizer.ggml.merges");
  const typesValue = m["tokenizer.ggml.token_type"];
  const types = typesValue?.type === "array" && ArrayBuffer.isView(typesValue.value) ? (typesValue.value as Int32Array) : null;
  if (typesValue !== undefined && (types === null || types.length !== tokens.length)) throw new RangeError(`${fn}: tokenizer.ggml.token_type must be a numeric array of ${tokens.length} types`);
  const vocab: Record<string, number> = {};
  const added: { id: number; content: string; special: boolean; single_word: false; lstrip: false; rstrip: false; normalized: false }[] = [];
  tokens.forEach((token, id) => {
    const type = types ? Number(types[id]) : NORMAL;
    if (type === UNUSED) return;
    if (type === CONTROL || type === USER_DEFINED) added.push({ id, content: token, special: type === CONTROL, single_word: false, lstrip: false, rstrip: false, normalized: false });
    vocab[token] = id;
  });
  const byteLevel = { type: "ByteLevel", add_prefix_space: false, use_regex: true };
  const split = pre.digits ? { type: "Sequence", pretokenizers: [{ type: "Digits", individual_digits: true }, byteLevel] }
    : pre.regex === PATTERNS.r50k_base ? byteLevel
    : { type: "Sequence", pretokenizers: [{ type: "Split", pattern: { Regex: pre.regex }, behavior: "Isolated", invert: false }, { type: "ByteLevel", add_prefix_space: false, use_regex: false }] };
  return fromHuggingFace({
    added_tokens: added, normalizer: null, pre_tokenizer: split,
    model: { type: "BPE", vocab, merges, ignore_merges: pre.ignoreMerges, byte_fallback: false },
  });
}

/** `tokenizer.ggml.model` "llama": tokens with scores and types, byte fallback, the space prefix. */
function sentencePieceFrom(fn: string, m: Record<string, GgufValue>): SentencePieceTokenizer {
  const tokens = stringArray(fn, m, "tokenizer.ggml.tokens");
  const numbers = (key: string) => {
    const v = m[key];
    if (v?.type !== "array" || !ArrayBuffer.isView(v.value) || (v.value as Float32Array).length !== tokens.length) throw new RangeError(`${fn}: ${key} must be a numeric array of ${tokens.length} values (one a token)${v === undefined ? "; it is missing" : ""}`);
    return v.value as Float32Array;
  };
  const prefix = m["tokenizer.ggml.add_space_prefix"];
  if (prefix !== undefined && prefix.type !== "bool") throw new RangeError(`${fn}: tokenizer.ggml.add_space_prefix must be a bool, got ${prefix.type}`);
  return createSentencePieceTokenizer({ tokens, scores: numbers("tokenizer.ggml.scores"), types: numbers("tokenizer.ggml.token_type"), addSpacePrefix: prefix === undefined ? true : prefix.value });
}

function stringArray(fn: string, m: Record<string, GgufValue>, key: string): string[] {
  const v = m[key];
  if (v?.type !== "array" || v.itemType !== "string") throw new RangeError(`${fn}: ${key} must be an array of strings${v === undefined ? " (it is missing)" : `, got ${v.type}`}`);
  return v.value as string[];
}

/**
 * A byte-level BPE tokenizer as GGUF metadata (`tokenizer.ggml.*`, model `"gpt2"`), as llama.cpp's
 * converter writes one: tokens by id (holes in the ids filled with unused `[PAD<id>]` tokens),
 * merges in priority order, special tokens as control tokens, other added tokens as user-defined;
 * `tokenizer.ggml.pre` from its pattern (GPT-2's → `gpt-2`, with digits cut off first → `smollm`,
 * cl100k's → `llama-bpe`, o200k's → `gpt-4o`; another pattern is an error).
 * @param tok - the tokenizer
 * @param vocabSize - the model's vocabulary (at least the tokenizer's; ids above it are padding)
 */
export function ggufTokenizerMetadata(tok: BpeTokenizer, vocabSize: number): Record<string, GgufValue> {
  const fn = "modelToGguf";
  const pre = tok.pattern === PATTERNS.r50k_base ? "gpt-2" : tok.pattern === PATTERNS.cl100k_base ? "llama-bpe" : tok.pattern === PATTERNS.o200k_base ? "gpt-4o" : null;
  if (pre === null) throw new RangeError(`${fn}: the tokenizer's pattern has no llama.cpp pre-tokenizer name here (GPT-2's, cl100k's and o200k's do)`);
  if (tok.vocabSize > vocabSize) throw new RangeError(`${fn}: the tokenizer has ${tok.vocabSize} ids, more than the model's vocabSize ${vocabSize}`);
  const json = JSON.parse(tok.toHuggingFace()) as { model: { vocab: Record<string, number>; merges: [string, string][] }; added_tokens: { id: number; special: boolean }[]; pre_tokenizer: { pretokenizers?: { type: string }[] } };
  const name = json.pre_tokenizer.pretokenizers?.[0]?.type === "Digits" ? "smollm" : pre;
  const tokens = Array.from({ length: vocabSize }, (_, id) => `[PAD${id}]`);
  const types = new Int32Array(vocabSize).fill(UNUSED);
  for (const [token, id] of Object.entries(json.model.vocab)) { tokens[id] = token; types[id] = NORMAL; }
  for (const t of json.added_tokens) types[t.id] = t.special ? CONTROL : USER_DEFINED;
  return {
    "tokenizer.ggml.model": { type: "string", value: "gpt2" },
    "tokenizer.ggml.pre": { type: "string", value: name },
    "tokenizer.ggml.tokens": { type: "array", itemType: "string", value: tokens },
    "tokenizer.ggml.token_type": { type: "array", itemType: "i32", value: types },
    "tokenizer.ggml.merges": { type: "array", itemType: "string", value: json.model.merges.map(([a, b]) => `${a} ${b}`) },
  };
}
