// Loading Hugging Face `tokenizer.json` files of byte-level BPE models (GPT-2, Llama 3, Qwen2, SmolLM).
import { describe } from "../internal/check";
import type { Ranks } from "./merge";
import { createBpeTokenizer, resolvePattern } from "./bpe";
import type { BpeTokenizer } from "./index";

const FN = "BpeTokenizer.fromHuggingFace";

/** GPT-2's `bytes_to_unicode`: each byte as a printable character (bytes that are not get U+0100 onwards). */
function byteToUnicode(): string[] {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const out: string[] = new Array(256);
  let n = 0;
  for (let b = 0; b < 256; b++) out[b] = String.fromCharCode(printable(b) ? b : 256 + n++);
  return out;
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

/** The pre-tokenisation pattern a tokenizer.json's `pre_tokenizer` describes; anything else is an error naming it. */
function patternOf(pre: unknown): string {
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
    return p;
  }
  if (kind(pre) === "Sequence") {
    const list = (pre as { pretokenizers?: unknown }).pretokenizers;
    if (!Array.isArray(list) || list.length !== 2 || kind(list[0]) !== "Split" || kind(list[1]) !== "ByteLevel") {
      throw new RangeError(`${FN}: pre_tokenizer Sequence of ${Array.isArray(list) ? list.map((p) => String(kind(p))).join(", ") : describe(list)} is not supported, expected [Split, ByteLevel]`);
    }
    const split = list[0] as { pattern?: { Regex?: unknown; String?: unknown }; behavior?: unknown; invert?: unknown };
    const isolated = split.behavior === "Isolated" && split.invert !== true;
    const removedInverted = split.behavior === "Removed" && split.invert === true;
    if (!isolated && !removedInverted) throw new RangeError(`${FN}: pre_tokenizer Split with behavior ${JSON.stringify(split.behavior)} and invert ${JSON.stringify(split.invert)} is not supported, expected "Isolated" (or "Removed" with invert: true)`);
    const regex = split.pattern?.Regex;
    if (typeof regex !== "string") throw new RangeError(`${FN}: pre_tokenizer Split has pattern ${JSON.stringify(split.pattern)}, expected { Regex: "…" }`);
    if (byteLevel(list[1] as Record<string, unknown>, false) !== null) throw new RangeError(`${FN}: pre_tokenizer ByteLevel after a Split must have use_regex: false`);
    return resolvePattern(FN, toJsPattern(regex));
  }
  throw new RangeError(`${FN}: pre_tokenizer ${JSON.stringify(kind(pre) ?? pre)} is not supported, expected ByteLevel or Sequence [Split, ByteLevel] (byte-level BPE)`);
}

/**
 * Loads a byte-level BPE tokenizer from a Hugging Face `tokenizer.json` (GPT-2, Llama 3, Qwen2,
 * SmolLM): `model.vocab`, `model.merges` (`"a b"` strings or pairs), the pre-tokenizer (`ByteLevel`,
 * or a `Sequence` of a `Split` regex and `ByteLevel`), an NFC normalizer (Qwen2), and `added_tokens`
 * — those marked `special` become special tokens, so `encode(text, { allowedSpecial: "all" })`
 * gives Hugging Face's `tokenizer.encode(text, add_special_tokens=False)`. The merges must be in the
 * order of the ids they create (true of every tokenizer made by byte-level BPE training).
 *
 * @param tokenizerJson - the file's text or its parsed object
 * @returns a {@link BpeTokenizer}
 * @throws RangeError naming the component that is not supported (another model type, normalizer or
 *   pre-tokenizer, byte fallback, a non-special added token outside the vocabulary), or a
 *   vocabulary that is not byte-level
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
  const pattern = patternOf(json.pre_tokenizer);
  const vocab = model.vocab as Record<string, unknown> | undefined;
  if (vocab == null || typeof vocab !== "object") throw new RangeError(`${FN}: model.vocab is ${describe(vocab)}, expected an object of token → id`);

  const toByte = byteToUnicode(), fromUnicode = new Map(toByte.map((ch, b) => [ch, b]));
  const ranks: Ranks = new Map();
  for (const [token, id] of Object.entries(vocab)) {
    if (!Number.isInteger(id) || (id as number) < 0) throw new RangeError(`${FN}: model.vocab[${JSON.stringify(token)}] is ${describe(id)}, expected a non-negative integer id`);
    const bytes = entryBytes(token, fromUnicode);
    if (bytes === undefined) throw new RangeError(`${FN}: model.vocab has ${JSON.stringify(token)}, which is not byte-level (a character no byte maps to)`);
    ranks.set(bytes, id as number);
  }
  for (let b = 0; b < 256; b++) if (!ranks.has(String.fromCharCode(b))) throw new RangeError(`${FN}: model.vocab has no token for the byte ${b} (${JSON.stringify(toByte[b])}), expected all 256 bytes (byte-level BPE)`);

  // merges in priority order: each must create a token of the vocabulary, with ids rising with priority
  const merges = model.merges;
  if (!Array.isArray(merges)) throw new RangeError(`${FN}: model.merges is ${describe(merges)}, expected a list`);
  let lastId = -1;
  merges.forEach((m, i) => {
    const pair = typeof m === "string" ? m.split(" ") : m;
    if (!Array.isArray(pair) || pair.length !== 2 || pair.some((p) => typeof p !== "string")) throw new RangeError(`${FN}: model.merges[${i}] is ${JSON.stringify(m)}, expected "a b" or ["a", "b"]`);
    const id = vocab[pair[0] + pair[1]];
    if (typeof id !== "number") throw new RangeError(`${FN}: model.merges[${i}] makes ${JSON.stringify(pair[0] + pair[1])}, which model.vocab does not have`);
    if (id <= lastId) throw new RangeError(`${FN}: model.merges[${i}] makes id ${id} after a merge made id ${lastId}: merges out of id order are not supported (ids here are merge priorities, as tiktoken's ranks)`);
    lastId = id;
  });

  const specialTokens: Record<string, number> = {};
  const added = (json.added_tokens ?? []) as { id?: unknown; content?: unknown; special?: unknown }[];
  if (!Array.isArray(added)) throw new RangeError(`${FN}: added_tokens is ${describe(added)}, expected a list`);
  for (const t of added) {
    if (typeof t.content !== "string" || !Number.isInteger(t.id)) throw new RangeError(`${FN}: added token ${JSON.stringify(t)} needs a string content and an integer id`);
    const inVocab = vocab[t.content] === t.id;
    if (t.special === true) {
      if (inVocab) { // a special token that is also a vocabulary entry: special only
        const bytes = entryBytes(t.content, fromUnicode);
        if (bytes !== undefined) ranks.delete(bytes);
      }
      specialTokens[t.content] = t.id as number;
    } else if (!inVocab) {
      throw new RangeError(`${FN}: added token ${JSON.stringify(t.content)} (id ${t.id as number}) is not special and not in the vocabulary: added tokens matched outside BPE are not supported`);
    }
  }
  const tokenizer = createBpeTokenizer({ ranks, specialTokens, pattern });
  if (normalizer == null) return tokenizer;
  // NFC (Qwen2): text is composed before it is cut and merged
  const nfc = (text: string) => (typeof text === "string" ? text.normalize("NFC") : text);
  const normalized = Object.defineProperties({}, Object.getOwnPropertyDescriptors(tokenizer)) as BpeTokenizer; // getters stay lazy (merges)
  return Object.assign(normalized, {
    encode: (text: string, options?: Parameters<BpeTokenizer["encode"]>[1]) => tokenizer.encode(nfc(text), options),
    encodeOrdinary: (text: string) => tokenizer.encodeOrdinary(nfc(text)),
    encodeWithOffsets: (text: string, options?: Parameters<BpeTokenizer["encodeWithOffsets"]>[1]) => {
      if (typeof text === "string" && text.normalize("NFC") !== text) throw new RangeError(`BpeTokenizer.encodeWithOffsets: text is not in NFC, which this tokenizer's normalizer needs (offsets would point into the normalized text); pass text.normalize("NFC")`);
      return tokenizer.encodeWithOffsets(text, options);
    },
  });
}
