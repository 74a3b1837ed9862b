/**
 * Tokenizers (lesson 2): character-level, and byte-level BPE — trained here or loaded from
 * tiktoken rank files (GPT-2, GPT-4, GPT-4o) or Hugging Face tokenizer.json files.
 * @module
 */
import { fromTiktoken } from "./tiktoken";
import { fromHuggingFace } from "./huggingface";
import type { BpeTokenizer as Bpe } from "./bpe";

export type { StreamingDecoder, AllowedSpecial } from "./bpe";
export type { SentencePieceTokenizer } from "./sentencepiece";
/**
 * A byte-level BPE tokenizer: `encode`, `encodeOrdinary`, `encodeWithOffsets`, `decode`,
 * `decodeBytes`, `tokenBytes`, `createDecoder`, `merges`, `vocabSize`, `pattern`, `specialTokens`.
 * Its methods do not depend on `this`: destructure freely.
 * @category 2 · Tokenizers
 */
export interface BpeTokenizer extends Bpe {}
export type { TiktokenOptions } from "./tiktoken";
export type { TrainBpeOptions } from "./train";
export { trainBpe } from "./train";
export { CharTokenizer } from "./char";
export { PATTERNS, SPECIAL_TOKENS } from "./patterns";

/**
 * Byte-level BPE tokenizers: `BpeTokenizer.fromTiktoken(ranksFileText, { pattern, specialTokens })`
 * loads OpenAI's rank files; `BpeTokenizer.fromHuggingFace(tokenizerJson)` a Hugging Face
 * `tokenizer.json` (GPT-2, Llama 3, Qwen2, SmolLM); {@link trainBpe} learns one from text.
 * @category 2 · Tokenizers
 * @example
 * ```ts
 * // the rank file's text: fetched in a browser, read from disk in Node (gpt-tokenizer ships it)
 * const ranks = await (await fetch("/r50k_base.tiktoken")).text();
 * const gpt2 = BpeTokenizer.fromTiktoken(ranks, {
 *   pattern: PATTERNS.r50k_base, specialTokens: SPECIAL_TOKENS.r50k_base,
 * });
 * gpt2.encode("Hello world"); // [15496, 995]
 * ```
 */
export const BpeTokenizer = { fromTiktoken, fromHuggingFace };
