// Loading Hugging Face `tokenizer.json` files of byte-level BPE models (GPT-2, Llama 3, Qwen2, SmolLM).
import { describe } from "../internal/check";
import type { Ranks } from "./merge";
import { PAIR_ID_LIMIT } from "./merge-pairs";
import { byteLevelChars, createBpeTokenizer, resolvePattern } from "./bpe";
import type { BpeTokenizer } from "./bpe";

const FN = "BpeTokenizer.fromHuggingFace";

/** Whether added_tokens lists `content` with `id`. */
function isAddedToken(added: unknown, content: string, id: number): boolean {
  return Array.isArray(added) && added.some((t) => t != null && t.content === content && t.id === id);
}

/** The byte string (one char per byte) of a vocabulary entry, or undefined if a character is not a byte's. */
function entryBytes(token: string, fromUnicode: Map<string, number>): string | undefined {
  let bytes = "";
  for (const ch of token) {
    const b = fromUnicode.get(ch);
    if (b === undefined) return undefined;
    bytes += String.fromCharCode(b);
  }
  return bytes;
}

// The Rust/Oniguruma syntax of tokenizer.json patterns, for JavaScript: inline case-insensitive
// groups spelt out letter by letter, and \s as tiktoken's White_Space class (see patterns.ts).
const WS = "\\t-\\r \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";
function toJsPattern(source: string): string {
  let out = "", inClass = false, insensitive = 0, depth = 0;
  const insensitiveAt: number[] = [];
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === "\\") {
      const next = source[i + 1];
      if (next === "s") out += inClass ? WS : `[${WS}]`;
      else if (next === "S" && !inClass) out += `[^${WS}]`;
      else out += ch + next;
      i++;
      continue;
    }
    if (!inClass && source.startsWith("(?i:", i)) {
      out += "(?:";
      insensitiveAt.push(depth++);
      insensitive++;
      i += 3;
      continue;
    }
    if (ch === "[" && !inClass) inClass = true;
    else if (ch === "]" && inClass) inClass = false;
    else if (!inClass && ch === "(") depth++;
    else if (!inClass && ch === ")") {
      depth--;
      if (insensitiveAt[insensitiveAt.length - 1] === depth) { insensitiveAt.pop(); insensitive--; }
    }
    if (insensitive > 0 && !inClass && /[a-zA-Z]/.test(ch)) out += `[${ch.toLowerCase()}${ch.toUpperCase()}]`;
    else out += ch;
  }
  return out;
}

/**
 * The pre-tokenisation a tokenizer.json's `pre_tokenizer` describes: its pattern, and whether each
 * digit is cut off first (SmolLM's `Digits`); anything else is an error naming it.
 */
function patternOf(pre: unknown): { pattern: string; isolateDigits: boolean } {
  const kind = (p: unknown) => (p != null && typeof p === "object" ? (p as { type?: unknown }).type : undefined);
  const byteLevel = (p: Record<string, unknown>, regexAllowed: boolean): string | null => {
    if (p.add_prefix_space === true) throw new RangeError(`${FN}: pre_tokenizer ByteLevel with add_prefix_space: true is not supported`);
    if (p.use_regex === false) return null;
    if (!regexAllowed) throw new RangeError(`${FN}: pre_tokenizer ByteLevel with use_regex after a Split is not supported`);
    return resolvePattern(FN, "r50k_base"); // ByteLevel's own regex is GPT-2's
  };
  if (kind(pre) === "ByteLevel") {
    const p = byteLevel(pre as Record<string, unknown>, true);
    if (p === null) throw new RangeError(`${FN}: pre_tokenizer ByteLevel with use_regex: false and no Split is not supported`);
    return { pattern: p, isolateDigits: false };
  }
  if (kind(pre) === "Sequence") {
    const list = (pre as { pretokenizers?: unknown }).pretokenizers;
    if (Array.isArray(list) && list.length === 2 && kind(list[0]) === "Digits" && kind(list[1]) === "ByteLevel") { // SmolLM
      if ((list[0] as { individual_digits?: unknown }).individual_digits !== true) throw new RangeError(`${FN}: pre_tokenizer Digits without individual_digits: true is not supported`);
      const p = byteLevel(list[1] as Record<string, unknown>, true);
      if (p === null) throw new RangeError(`${FN}: pre_tokenizer ByteLevel after Digits must have use_regex: true`);
      return { pattern: p, isolateDigits: true };
    }
    if (!Array.isArray(list) || list.length !== 2 || kind(list[0]) !== "Split" || kind(list[1]) !== "ByteLevel") {
      throw new RangeError(`${FN}: pre_tokenizer Sequence of ${Array.isArray(list) ? list.map((p) => String(kind(p))).join(", ") : describe(list)} is not supported, expected [Split, ByteLevel] or [Digits, ByteLevel]`);
    }
    const split = list[0] as { pattern?: { Regex?: unknown; String?: unknown }; behavior?: unknown; invert?: unknown };
    const isolated = split.behavior === "Isolated" && split.invert !== true;
    const removedInverted = split.behavior === "Removed" && split.invert === true;
    if (!isolated && !removedInverted) throw new RangeError(`${FN}: pre_tokenizer Split with behavior ${JSON.stringify(split.behavior)} and invert ${JSON.stringify(split.invert)} is not supported, expected "Isolated" (or "Removed" with invert: true)`);
    const regex = split.pattern?.Regex;
    if (typeof regex !== "string") throw new RangeError(`${FN}: pre_tokenizer Split has pattern ${JSON.stringify(split.pattern)}, expected { Regex: "…" }`);
    if (byteLevel(list[1] as Record<string, unknown>, false) !== null) throw new RangeError(`${FN}: pre_tokenizer ByteLevel after a Split must have use_regex: false`);
    return { pattern: resolvePattern(FN, toJsPattern(regex)), isolateDigits: false };
  }
  throw new RangeError(`${FN}: pre_tokenizer ${JSON.stringify(kind(pre) ?? pre)} is not supported, expected ByteLevel or Sequence [Split, ByteLevel] (byte-level BPE)`);
}

/**
 * Loads a byte-level BPE tokenizer from a Hugging Face `tokenizer.json` (GPT-2, Llama 3, Qwen2,
 * SmolLM): `model.vocab`, `model.merges` (`"a b"` strings or pairs; their order is their priority,
 * and only listed pairs merge, as in `tokenizers`), `model.ignore_merges` (a piece that is a whole
 * vocabulary entry is that token: Llama 3), the pre-tokenizer (`ByteLevel`, or a `Sequence` of a
 * `Split` regex and `ByteLevel`, or SmolLM's `Digits` and `ByteLevel`), an NFC normalizer (Qwen2), and `added_tokens` — those marked
 * `special` become special tokens, so `encode(text, { allowedSpecial: "all" })` gives Hugging Face's
 * `tokenizer.encode(text, add_special_tokens=False)`; the others are matched as whole tokens
 * wherever they occur, in every encode. Truncation, padding and the post-processor (BOS/EOS
 * insertion) are the caller's job and are not read.
 *
 * @param tokenizerJson - the file's text or its parsed object
 * @returns a {@link BpeTokenizer}
 * @throws RangeError naming the component that is not supported (another model type, normalizer or
 *   pre-tokenizer, byte fallback, `continuing_subword_prefix`/`end_of_word_suffix`, an added token
 *   with `lstrip`/`rstrip`/`single_word`, an added token whose id the vocabulary gives to another
 *   token), a vocabulary that is not byte-level or gives one id to two tokens, a merge of tokens
 *   the vocabulary lacks, or an added token with empty content
 * @category 2 · Tokenizers
 * @example
 * ```ts
 * const tok = BpeTokenizer.fromHuggingFace(readFileSync("tokenizer.json", "utf8"));
 * tok.encode("Hello world", { allowedSpecial: "all" });
 * ```
 */
export function fromHuggingFace(tokenizerJson: string | object): BpeTokenizer {
  let json: Record<string, unknown>;
  if (typeof tokenizerJson === "string") {
    try { json = JSON.parse(tokenizerJson); } catch (e) { throw new TypeError(`${FN}: tokenizerJson is not JSON (${(e as Error).message})`); }
  } else json = tokenizerJson as Record<string, unknown>;
  if (json == null || typeof json !== "object" || Array.isArray(json)) throw new TypeError(`${FN}: tokenizerJson must be a tokenizer.json object or its text, got ${describe(json)}`);
  const model = json.model as Record<string, unknown> | undefined;
  if (model == null || model.type !== "BPE") throw new RangeError(`${FN}: model type ${JSON.stringify(model?.type)} is not supported, expected "BPE"`);
  if (model.byte_fallback === true) throw new RangeError(`${FN}: model.byte_fallback: true (SentencePiece-style BPE, e.g. Llama 2) is not supported; byte-level BPE is`);
  const normalizer = json.normalizer as { type?: unknown } | null | undefined;
  if (normalizer != null && normalizer.type !== "NFC") throw new RangeError(`${FN}: normalizer ${JSON.stringify(normalizer.type)} is not supported, expected none or NFC`);
  const { pattern, isolateDigits } = patternOf(json.pre_tokenizer);
  const vocab = model.vocab as Record<string, unknown> | undefined;
  if (vocab == null || typeof vocab !== "object") throw new RangeError(`${FN}: model.vocab is ${describe(vocab)}, expected an object of token → id`);

  for (const key of ["continuing_subword_prefix", "end_of_word_suffix"] as const) {
    if (model[key] != null && model[key] !== "") throw new RangeError(`${FN}: model.${key} ${JSON.stringify(model[key])} is not supported (byte-level BPE has none)`);
  }
  if (model.ignore_merges !== undefined && typeof model.ignore_merges !== "boolean") throw new RangeError(`${FN}: model.ignore_merges is ${describe(model.ignore_merges)}, expected true or false`);
  const ignoreMerges = model.ignore_merges === true;

  const toByte = byteLevelChars(), fromUnicode = new Map(toByte.map((ch, b) => [ch, b]));
  const ranks: Ranks = new Map();
  const tokenOfId = new Map<number, string>();
  for (const [token, id] of Object.entries(vocab)) {
    if (!Number.isInteger(id) || (id as number) < 0) throw new RangeError(`${FN}: model.vocab[${JSON.stringify(token)}] is ${describe(id)}, expected a non-negative integer id`);
    if ((id as number) >= PAIR_ID_LIMIT) throw new RangeError(`${FN}: model.vocab[${JSON.stringify(token)}] is ${id as number}, expected an id below ${PAIR_ID_LIMIT}`);
    const other = tokenOfId.get(id as number);
    if (other !== undefined) throw new RangeError(`${FN}: model.vocab gives id ${id as number} to both ${JSON.stringify(other)} and ${JSON.stringify(token)}, expected one token per id`);
    tokenOfId.set(id as number, token);
    const bytes = entryBytes(token, fromUnicode);
    if (bytes === undefined) {
      if (isAddedToken(json.added_tokens, token, id as number)) continue; // e.g. GPT-2's <|endoftext|>, listed in the vocabulary too
      throw new RangeError(`${FN}: model.vocab has ${JSON.stringify(token)}, which is not byte-level (a character no byte maps to)`);
    }
    ranks.set(bytes, id as number);
  }
  for (let b = 0; b < 256; b++) if (!ranks.has(String.fromCharCode(b))) throw new RangeError(`${FN}: model.vocab has no token for the byte ${b} (${JSON.stringify(toByte[b])}), expected all 256 bytes (byte-level BPE)`);

  // merges in priority order (the first listed merges first, as Hugging Face's BPE model): each joins two tokens of the vocabulary into a third
  const merges = model.merges;
  if (!Array.isArray(merges)) throw new RangeError(`${FN}: model.merges is ${describe(merges)}, expected a list`);
  const listed: [number, number, number][] = merges.map((m, i) => {
    const pair = typeof m === "string" ? m.split(" ") : m;
    if (!Array.isArray(pair) || pair.length !== 2 || pair.some((p) => typeof p !== "string")) throw new RangeError(`${FN}: model.merges[${i}] is ${JSON.stringify(m)}, expected "a b" or ["a", "b"]`);
    const [left, right, made] = [vocab[pair[0]], vocab[pair[1]], vocab[pair[0] + pair[1]]];
    if (typeof left !== "number" || typeof right !== "number") throw new RangeError(`${FN}: model.merges[${i}] joins ${JSON.stringify(typeof left !== "number" ? pair[0] : pair[1])}, which model.vocab does not have`);
    if (typeof made !== "number") throw new RangeError(`${FN}: model.merges[${i}] makes ${JSON.stringify(pair[0] + pair[1])}, which model.vocab does not have`);
    return [left, right, made];
  });
  const specialTokens: Record<string, number> = {};
  const addedTokens: Record<string, number> = {};
  const added = json.added_tokens ?? [];
  if (!Array.isArray(added)) throw new RangeError(`${FN}: added_tokens is ${describe(added)}, expected a list`);
  const addedIdsSeen = new Map<number, string>();
  for (const t of added as Record<string, unknown>[]) {
    if (t == null || typeof t !== "object" || typeof t.content !== "string" || !Number.isInteger(t.id) || (t.id as number) < 0) throw new RangeError(`${FN}: added token ${JSON.stringify(t)} needs a string content and a non-negative integer id`);
    const content = t.content, id = t.id as number;
    if (content === "") throw new RangeError(`${FN}: added token id ${id} has empty content, expected the token's text`);
    for (const flag of ["lstrip", "rstrip", "single_word"] as const) {
      if (t[flag] !== undefined && t[flag] !== false) throw new RangeError(`${FN}: added token ${JSON.stringify(content)} has ${flag}: ${JSON.stringify(t[flag])}, which is not supported (only false)`);
    }
    if (t.normalized !== undefined && typeof t.normalized !== "boolean") throw new RangeError(`${FN}: added token ${JSON.stringify(content)} has normalized: ${describe(t.normalized)}, expected true or false`);
    if (normalizer != null && content.normalize("NFC") !== content) throw new RangeError(`${FN}: added token ${JSON.stringify(content)} is not in NFC, which the normalizer would change: not supported`);
    const vocabToken = tokenOfId.get(id);
    if (vocabToken !== undefined && vocabToken !== content) throw new RangeError(`${FN}: added token ${JSON.stringify(content)} has id ${id}, which model.vocab gives to ${JSON.stringify(vocabToken)}: not supported (decode could not tell them apart)`);
    const again = addedIdsSeen.get(id);
    if (again !== undefined) throw new RangeError(`${FN}: added tokens ${JSON.stringify(again)} and ${JSON.stringify(content)} both have id ${id}, expected one token per id`);
    if (Object.hasOwn(specialTokens, content) || Object.hasOwn(addedTokens, content)) throw new RangeError(`${FN}: added token ${JSON.stringify(content)} is listed twice`);
    addedIdsSeen.set(id, content);
    const bytes = entryBytes(content, fromUnicode);
    // an added token that is also a vocabulary entry is matched whole only (a single byte stays: BPE needs every byte)
    if (vocabToken !== undefined && bytes !== undefined && bytes.length > 1) ranks.delete(bytes);
    if (t.special === true) specialTokens[content] = id;
    else addedTokens[content] = id;
  }
  return createBpeTokenizer({
    ranks, specialTokens, pattern, addedTokens, nfc: normalizer != null, isolateDigits,
    listedMerges: { merges: listed, ignoreMerges },
  });
}
