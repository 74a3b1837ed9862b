// Loading tiktoken's `.tiktoken` rank files: one `base64(token bytes) rank` per line.
import { checkOptions, describe } from "../internal/check";
import type { Ranks } from "./merge";
import { createBpeTokenizer, resolvePattern } from "./bpe";
import type { BpeTokenizer } from "./bpe";

/** Options of {@link BpeTokenizer.fromTiktoken}. @category 2 · Tokenizers */
export interface TiktokenOptions {
  /** The pre-tokenisation pattern: a RegExp source such as `PATTERNS.cl100k_base`, or a name of `PATTERNS` (`"cl100k_base"`). Default `PATTERNS.r50k_base` (GPT-2). */
  pattern?: string;
  /** Special tokens, text → id, e.g. `SPECIAL_TOKENS.r50k_base` (`{ "<|endoftext|>": 50256 }`). */
  specialTokens?: Record<string, number>;
}

/** @internal Parses a ranks file; errors name the line. */
export function parseTiktoken(text: string): Ranks {
  const fn = "BpeTokenizer.fromTiktoken";
  if (typeof text !== "string") throw new TypeError(`${fn}: ranksFileText must be a string, got ${describe(text)}`);
  const ranks: Ranks = new Map();
  const lineOfRank = new Map<number, number>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith("\r") ? lines[i].slice(0, -1) : lines[i];
    if (line === "") continue;
    const space = line.indexOf(" ");
    const b64 = line.slice(0, space), rankText = line.slice(space + 1);
    const rank = Number(rankText);
    if (space <= 0 || !/^\d+$/.test(rankText) || !Number.isSafeInteger(rank)) {
      throw new RangeError(`${fn}: line ${i + 1} is ${JSON.stringify(line.slice(0, 60))}, expected "<base64 bytes> <rank>"`);
    }
    let bytes: string;
    try {
      bytes = atob(b64);
    } catch {
      throw new RangeError(`${fn}: line ${i + 1} has ${JSON.stringify(b64.slice(0, 40))}, expected base64 token bytes`);
    }
    if (bytes.length === 0) throw new RangeError(`${fn}: line ${i + 1} has an empty token, expected at least one byte`);
    if (lineOfRank.has(rank)) throw new RangeError(`${fn}: line ${i + 1} repeats rank ${rank} (first on line ${lineOfRank.get(rank)}), expected each rank once`);
    if (ranks.has(bytes)) throw new RangeError(`${fn}: line ${i + 1} repeats the token bytes ${JSON.stringify(b64)} (rank ${ranks.get(bytes)} already), expected each token once`);
    ranks.set(bytes, rank);
    lineOfRank.set(rank, i + 1);
  }
  for (let b = 0; b < 256; b++) {
    if (!ranks.has(String.fromCharCode(b))) throw new RangeError(`${fn}: the ranks have no token for the single byte ${b}, expected all 256 bytes (byte-level BPE)`);
  }
  return ranks;
}

/**
 * Loads a tokenizer from a `.tiktoken` ranks file (`base64(token bytes) rank` per line), the format
 * OpenAI publishes. With GPT-2's ranks and pattern it gives exactly tiktoken's `r50k_base` ids.
 * @param ranksFileText - the file's text
 * @param options - `pattern` (default GPT-2's), `specialTokens`
 * @returns a {@link BpeTokenizer}
 * @throws RangeError for a malformed line (naming its number), a repeated rank or token, a missing
 *   single byte, or a special token id that collides with a rank
 * @category 2 · Tokenizers
 */
export function fromTiktoken(ranksFileText: string, options?: TiktokenOptions): BpeTokenizer {
  const fn = "BpeTokenizer.fromTiktoken";
  checkOptions(fn, options, ["pattern", "specialTokens"]);
  const ranks = parseTiktoken(ranksFileText);
  const pattern = resolvePattern(fn, options?.pattern);
  const specialTokens = options?.specialTokens ?? {};
  const used = new Set(ranks.values());
  for (const [text, id] of Object.entries(specialTokens)) {
    if (text === "") throw new RangeError(`${fn}: specialTokens has an empty text, expected a non-empty string`);
    if (!Number.isInteger(id) || id < 0) throw new RangeError(`${fn}: specialTokens[${JSON.stringify(text)}] is ${describe(id)}, expected a non-negative integer id`);
    if (used.has(id)) throw new RangeError(`${fn}: specialTokens[${JSON.stringify(text)}] is ${id}, which is already the rank of an ordinary token`);
    used.add(id);
  }
  return createBpeTokenizer({ ranks, specialTokens, pattern });
}
