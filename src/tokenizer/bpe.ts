/**
 * Byte-level BPE tokenizers (lesson 2), GPT-2 style: text → pieces (a regex) → UTF-8 bytes →
 * merged by rank → ids; and back.
 * @module
 */
import { checkOptions, describe } from "../internal/check";
import { bytePairMerge, type Ranks } from "./merge";
import { pairMerge, pairMerges } from "./merge-pairs";
import { binaryToBytes, charAt, utf8Binary } from "./utf8";
import { PATTERNS, escapeRegex, forEachPiece } from "./patterns";

/** Which special tokens `encode` may turn into their ids: `"all"` or a set of their texts. @category 2 · Tokenizers */
export type AllowedSpecial = "all" | ReadonlySet<string>;

/** Turns ids into text incrementally, emitting only complete characters. @category 2 · Tokenizers */
export interface StreamingDecoder {
  /** Adds one id (or several) and returns the text that is now complete (possibly ""). */
  write(ids: number | ArrayLike<number>): string;
  /** Ends the stream: returns what is left, with U+FFFD for an incomplete character. */
  end(): string;
}

/** A byte-level BPE tokenizer. Its methods do not depend on `this`: destructure freely. @category 2 · Tokenizers */
export interface BpeTokenizer {
  /** One more than the largest id (ordinary and special). */
  readonly vocabSize: number;
  /** The pre-tokenisation pattern (a `RegExp` source, used with the `gu` flags). */
  readonly pattern: string;
  /** Special tokens: text → id. */
  readonly specialTokens: Readonly<Record<string, number>>;
  /**
   * The merges in order: merge i joins tokens `left` and `right`. For a tokenizer made by
   * {@link trainBpe}, merge i creates id 256 + i. For one loaded from a tokenizer.json, its listed
   * merges. For one loaded from ranks, it is derived on first access: for each multi-byte token in
   * rank order, the last pair BPE joins to build it.
   */
  readonly merges: ReadonlyArray<readonly [left: number, right: number]>;
  /** Encodes text; special-token text throws unless allowed (tiktoken's default). */
  encode(text: string, options?: { allowedSpecial?: AllowedSpecial }): number[];
  /** Encodes text, treating special-token text as plain text (tiktoken's `encode_ordinary`). */
  encodeOrdinary(text: string): number[];
  /**
   * Ids and, per token, its UTF-16 span `[start, end)` in the text. The spans cover the text in
   * order without gaps or overlaps. Where a token ends inside a character (byte-level BPE can split
   * a character's UTF-8 bytes), the character belongs to the token holding its first byte; a token
   * made only of a character's later bytes gets an empty span at the character's end. Lone
   * surrogates are encoded as U+FFFD but still span their one code unit.
   */
  encodeWithOffsets(text: string, options?: { allowedSpecial?: AllowedSpecial }): { ids: number[]; offsets: [number, number][] };
  /** Ids → text (bytes decoded as UTF-8; a byte sequence cut mid-character becomes U+FFFD). */
  decode(ids: ArrayLike<number>): string;
  /** Ids → the raw bytes. */
  decodeBytes(ids: ArrayLike<number>): Uint8Array;
  /** The bytes of one token. */
  tokenBytes(id: number): Uint8Array;
  /** A decoder for ids arriving one at a time (streamed generation). */
  createDecoder(): StreamingDecoder;
  /**
   * This tokenizer as a Hugging Face `tokenizer.json` (its text): a byte-level BPE model whose
   * merges give the same ids in `tokenizers` (`encode(text, add_special_tokens=False)` equals
   * `encode(text, { allowedSpecial: "all" })`), the pre-tokenizer as a `Split` of this pattern
   * (GPT-2's as `ByteLevel`), special tokens as special added tokens. Loads back with
   * `BpeTokenizer.fromHuggingFace`.
   */
  toHuggingFace(): string;
  /**
   * The ordinary tokens as a `.tiktoken` ranks file (`base64(bytes) id` per line). The pattern and
   * special tokens are not part of the format: pass them to `BpeTokenizer.fromTiktoken` again.
   * @throws RangeError for a tokenizer loaded from a tokenizer.json (its listed merges, NFC
   *   normalizer or non-special added tokens are not expressible as ranks)
   */
  toTiktoken(): string;
}

/** @internal What a tokenizer is made of. */
export interface BpeParts {
  /** Ordinary tokens: bytes (binary string) → id. Every single byte must be present. */
  ranks: Ranks;
  specialTokens: Record<string, number>;
  pattern: string;
  /** The merges, when known (trainBpe); otherwise derived lazily. */
  merges?: [number, number][];
  /** id → bytes for every ordinary id, when some ids share bytes with a lower id (training can make those). */
  tokenBytes?: string[];
  /**
   * Hugging Face's BPE model instead of tiktoken's ranks: only these merges (left, right, in
   * priority order) join parts; with `ignoreMerges`, a piece that is a whole token is that token.
   */
  listedMerges?: ListedMerges;
  /** Text is put in Unicode NFC before it is cut (Qwen2's normalizer). */
  nfc?: boolean;
  /** Each digit is a piece of its own before the pattern cuts the rest (SmolLM's `Digits` pre-tokenizer). */
  isolateDigits?: boolean;
  /** Tokens matched as whole tokens wherever they occur, before pre-tokenisation, in every encode (Hugging Face's non-special added tokens): text → id. */
  addedTokens?: Record<string, number>;
}

/** Hugging Face's BPE model: merges (left, right → result) in priority order, and `ignore_merges`. */
export interface ListedMerges {
  merges: [left: number, right: number, result: number][];
  ignoreMerges: boolean;
}

const CACHE_LIMIT = 100_000;

/** A piece's ids under Hugging Face's BPE model. */
function listedMergePiece(ranks: Ranks, listed: ListedMerges): (bytes: string) => number | number[] {
  const byteIds = new Int32Array(256);
  for (let b = 0; b < 256; b++) byteIds[b] = ranks.get(String.fromCharCode(b))!;
  const table = pairMerges(listed.merges, byteIds);
  return (bytes) => {
    if (listed.ignoreMerges) { // Llama 3: a piece that is a whole vocabulary entry is that token
      const id = ranks.get(bytes);
      if (id !== undefined) return id;
    }
    const ids = pairMerge(table, bytes);
    return ids.length === 1 ? ids[0] : ids;
  };
}

/** @internal Builds a tokenizer from its parts; validation of the parts is the caller's. */
export function createBpeTokenizer(parts: BpeParts): BpeTokenizer {
  const { ranks, pattern } = parts;
  const specialTokens = { ...parts.specialTokens };
  const specialIds = new Map(Object.entries(specialTokens));
  const tokens: (string | undefined)[] = parts.tokenBytes ? [...parts.tokenBytes] : [];
  if (!parts.tokenBytes) for (const [bytes, id] of ranks) tokens[id] = bytes;
  for (const [text, id] of specialIds) tokens[id] = utf8Binary(text);
  const regex = new RegExp(pattern, "gu");
  const cache = new Map<string, number | number[]>();
  const textDecoder = new TextDecoder("utf-8", { ignoreBOM: true });
  let merges = parts.listedMerges ? parts.listedMerges.merges.map(([l, r]) => [l, r] as [number, number]) : parts.merges;
  const mergePiece = parts.listedMerges ? listedMergePiece(ranks, parts.listedMerges) : undefined;
  const nfc = parts.nfc === true, isolateDigits = parts.isolateDigits === true;
  const addedIds = new Map(Object.entries(parts.addedTokens ?? {}));
  for (const [text, id] of addedIds) tokens[id] = utf8Binary(text);
  const vocabSize = tokens.length;
  const addedRegex = addedIds.size > 0 ? new RegExp([...addedIds.keys()].sort((a, b) => b.length - a.length).map(escapeRegex).join("|"), "g") : null;

  function encodePiece(piece: string, out: number[]): void {
    const hit = cache.get(piece);
    if (hit !== undefined) {
      if (typeof hit === "number") out.push(hit);
      else for (let i = 0; i < hit.length; i++) out.push(hit[i]);
      return;
    }
    const bs = utf8Binary(piece);
    let value: number | number[];
    if (mergePiece) value = mergePiece(bs);
    else {
      const direct = ranks.get(bs);
      value = direct !== undefined ? direct : bytePairMerge(ranks, bs);
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(piece, value);
    if (typeof value === "number") out.push(value);
    else for (let i = 0; i < value.length; i++) out.push(value[i]);
  }

  /**
   * Calls `onText(from, to)` for each stretch of text[from, to) between added tokens and
   * `onAdded(id, at, end)` for each added token, in order (leftmost, then longest, match).
   */
  function forEachPart(text: string, from: number, to: number, onText: (from: number, to: number) => void, onAdded: (id: number, at: number, end: number) => void): void {
    if (addedRegex === null) {
      onText(from, to);
      return;
    }
    const segment = text.slice(from, to);
    addedRegex.lastIndex = 0;
    let last = 0, m: RegExpExecArray | null;
    while ((m = addedRegex.exec(segment)) !== null) {
      if (m.index > last) onText(from + last, from + m.index);
      onAdded(addedIds.get(m[0])!, from + m.index, from + m.index + m[0].length);
      last = m.index + m[0].length;
    }
    if (last < segment.length) onText(from + last, to);
  }

  /** Encodes the pieces of text[from, to) into out. */
  function encodeRange(text: string, from: number, to: number, out: number[]): void {
    forEachPart(text, from, to, (a, b) => {
      const segment = a === 0 && b === text.length ? text : text.slice(a, b);
      forEachPiece(regex, segment, (piece) => encodePiece(piece, out), isolateDigits);
    }, (id) => out.push(id));
  }

  function checkText(fn: string, text: unknown): asserts text is string {
    if (typeof text !== "string") throw new TypeError(`${fn}: text must be a string, got ${describe(text)}`);
  }

  const segments = (fn: string, text: string, allowedSpecial: AllowedSpecial | undefined) => specialSegments(fn, text, specialIds, allowedSpecial);

  function encodeOrdinary(text: string): number[] {
    checkText("BpeTokenizer.encodeOrdinary", text);
    if (nfc) text = text.normalize("NFC");
    const out: number[] = [];
    encodeRange(text, 0, text.length, out);
    return out;
  }

  function encode(text: string, options?: { allowedSpecial?: AllowedSpecial }): number[] {
    checkOptions("BpeTokenizer.encode", options, ["allowedSpecial"]);
    checkText("BpeTokenizer.encode", text);
    if (nfc) text = text.normalize("NFC");
    const out: number[] = [];
    for (const [start, end, special] of segments("BpeTokenizer.encode", text, options?.allowedSpecial)) {
      if (special >= 0) out.push(special);
      else encodeRange(text, start, end, out);
    }
    return out;
  }

  function encodeWithOffsets(text: string, options?: { allowedSpecial?: AllowedSpecial }) {
    checkOptions("BpeTokenizer.encodeWithOffsets", options, ["allowedSpecial"]);
    checkText("BpeTokenizer.encodeWithOffsets", text);
    if (nfc && text.normalize("NFC") !== text) throw new RangeError(`BpeTokenizer.encodeWithOffsets: text is not in NFC, which this tokenizer's normalizer needs (offsets would point into the normalized text); pass text.normalize("NFC")`);
    const ids: number[] = [];
    const offsets: [number, number][] = [];
    for (const [start, end, special] of segments("BpeTokenizer.encodeWithOffsets", text, options?.allowedSpecial)) {
      if (special >= 0) {
        ids.push(special);
        offsets.push([start, end]);
        continue;
      }
      forEachPart(text, start, end, (from, to) => forEachPiece(regex, text.slice(from, to), (piece, at) => {
        const p0 = from + at, p1 = p0 + piece.length;
        const before = ids.length;
        encodePiece(piece, ids);
        // u16At[b] = the UTF-16 offset of the first character whose first byte is at or after byte b
        const u16At: number[] = [];
        for (let i = p0; i < p1;) {
          const [nb, nu] = charAt(text, i);
          u16At.push(i);
          for (let k = 1; k < nb; k++) u16At.push(i + nu);
          i += nu;
        }
        u16At.push(p1);
        let b = 0;
        for (let t = before; t < ids.length; t++) {
          const len = tokens[ids[t]]!.length;
          offsets.push([u16At[b], u16At[b + len]]);
          b += len;
        }
      }, isolateDigits), (id, at, to) => {
        ids.push(id);
        offsets.push([at, to]);
      });
    }
    return { ids, offsets };
  }

  /** Ids as {@link checkIds} checks them (same message), plus ids inside the range that no token has. */
  function checkIdsFor(fn: string, ids: ArrayLike<number>, offset = 0, name = "ids"): void {
    if (ids == null || typeof ids === "string" || typeof ids.length !== "number") {
      throw new TypeError(`${fn}: ${name} must be an array of token ids (number[], Int32Array, Uint32Array), got ${describe(ids)}`);
    }
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      const at = name === "id" ? "id" : `${name}[${i + offset}]`;
      if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
        throw new RangeError(`${fn}: ${at} is ${describe(id)}, expected an integer id in [0, ${vocabSize}) (vocab size ${vocabSize})`);
      }
      if (tokens[id] === undefined) throw new RangeError(`${fn}: ${at} is ${id}, an id no token of this tokenizer has (vocab size ${vocabSize}, with gaps)`);
    }
  }

  // Decoding copies bytes into a reused buffer. Tokens of up to 8 bytes (nearly all) are written
  // as two little-endian 32-bit words whatever their length, then the write position advances by
  // the length: no per-byte loop, which measured ~1.6× faster. Longer tokens are copied whole.
  const length = new Uint32Array(vocabSize), word0 = new Uint32Array(vocabSize), word1 = new Uint32Array(vocabSize);
  const long: (Uint8Array | undefined)[] = new Array(vocabSize);
  for (let id = 0; id < vocabSize; id++) {
    const t = tokens[id];
    if (t === undefined) continue;
    length[id] = t.length;
    for (let k = 0; k < Math.min(8, t.length); k++) {
      if (k < 4) word0[id] |= t.charCodeAt(k) << (8 * k);
      else word1[id] |= t.charCodeAt(k) << (8 * (k - 4));
    }
    if (t.length > 8) long[id] = binaryToBytes(t);
  }
  let scratch = new Uint8Array(1 << 16);
  let view = new DataView(scratch.buffer);

  /**
   * The bytes of ids, in a scratch buffer reused between calls (copy it to keep it). Checks every
   * id in the same pass, before anything is returned.
   */
  function bytesOf(fn: string, ids: ArrayLike<number>): Uint8Array {
    if (ids == null || typeof ids === "string" || typeof ids.length !== "number") {
      throw new TypeError(`${fn}: ids must be an array of token ids (number[], Int32Array, Uint32Array), got ${describe(ids)}`);
    }
    let at = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!(id >= 0 && id < vocabSize) || !Number.isInteger(id) || tokens[id] === undefined) checkIdsFor(fn, [id], i);
      const n = length[id];
      if (at + Math.max(8, n) > scratch.length) {
        const grown = new Uint8Array(Math.max(scratch.length * 2, at + n + 8));
        grown.set(scratch.subarray(0, at));
        scratch = grown;
        view = new DataView(scratch.buffer);
      }
      if (n <= 8) {
        view.setUint32(at, word0[id], true);
        view.setUint32(at + 4, word1[id], true);
      } else scratch.set(long[id]!, at);
      at += n;
    }
    return scratch.subarray(0, at);
  }

  function decodeBytes(ids: ArrayLike<number>): Uint8Array {
    return bytesOf("BpeTokenizer.decodeBytes", ids).slice();
  }

  function decode(ids: ArrayLike<number>): string {
    return textDecoder.decode(bytesOf("BpeTokenizer.decode", ids));
  }

  function tokenBytes(id: number): Uint8Array {
    checkIdsFor("BpeTokenizer.tokenBytes", [id], 0, "id");
    return binaryToBytes(tokens[id]!);
  }

  function createDecoder(): StreamingDecoder {
    const stream = new TextDecoder("utf-8", { ignoreBOM: true });
    return {
      write(ids: number | ArrayLike<number>): string {
        const list = typeof ids === "number" ? [ids] : ids;
        return stream.decode(bytesOf("StreamingDecoder.write", list), { stream: true });
      },
      end(): string {
        return stream.decode();
      },
    };
  }

  function deriveMerges(): [number, number][] {
    const ordered = [...ranks.entries()].filter(([b]) => b.length > 1).sort((a, b) => a[1] - b[1]);
    const out: [number, number][] = [];
    for (const [bytes, rank] of ordered) {
      const below: Ranks = new Map();
      // BPE of the token's own bytes with only lower ranks: the last two parts are its merge
      for (let i = 0; i < bytes.length; i++) for (let j = i + 1; j <= bytes.length; j++) {
        const r = ranks.get(bytes.slice(i, j));
        if (r !== undefined && (r < rank || j - i === 1)) below.set(bytes.slice(i, j), r);
      }
      const parts = bytePairMerge(below, bytes);
      if (parts.length === 2) out.push([parts[0], parts[1]]);
    }
    return out;
  }

  function toTiktoken(): string {
    if (parts.listedMerges || nfc || addedIds.size > 0) throw new RangeError("BpeTokenizer.toTiktoken: this tokenizer was loaded from a tokenizer.json; its listed merges, normalizer and added tokens have no form in a ranks file (use toHuggingFace)");
    const lines: string[] = [];
    for (const [bytes, id] of [...ranks].sort((a, b) => a[1] - b[1])) lines.push(`${btoa(bytes)} ${id}`);
    return lines.join("\n") + "\n";
  }

  function toHuggingFace(): string {
    const unicode = byteLevelChars();
    const text = (bytes: string) => { let s = ""; for (let i = 0; i < bytes.length; i++) s += unicode[bytes.charCodeAt(i)]; return s; };
    const vocab: Record<string, number> = {};
    for (const [bytes, id] of [...ranks].sort((a, b) => a[1] - b[1])) vocab[text(bytes)] = id;
    const hfMerges = parts.listedMerges ? parts.listedMerges.merges : deriveMerges();
    const mergesOut = hfMerges.map(([l, r]) => [text(tokens[l]!), text(tokens[r]!)]);
    const addedOut = [...[...addedIds].map(([c, id]) => [c, id, false] as const), ...[...specialIds].map(([c, id]) => [c, id, true] as const)]
      .sort((a, b) => a[1] - b[1])
      .map(([content, id, special]) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special }));
    for (const { content, id } of addedOut) vocab[content] = id; // as GPT-2's file: tokenizers takes an added token's id from the vocabulary
    const byteLevel = (useRegex: boolean) => ({ type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: useRegex });
    const pre = isolateDigits ? { type: "Sequence", pretokenizers: [{ type: "Digits", individual_digits: true }, byteLevel(true)] }
      : pattern === PATTERNS.r50k_base ? byteLevel(true) : {
        type: "Sequence",
        pretokenizers: [{ type: "Split", pattern: { Regex: pattern }, behavior: "Isolated", invert: false }, byteLevel(false)],
      };
    return JSON.stringify({
      version: "1.0", truncation: null, padding: null, added_tokens: addedOut,
      normalizer: nfc ? { type: "NFC" } : null, pre_tokenizer: pre, post_processor: null, decoder: byteLevel(true),
      model: {
        type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null,
        fuse_unk: false, byte_fallback: false, ignore_merges: parts.listedMerges?.ignoreMerges ?? false, vocab, merges: mergesOut,
      },
    });
  }

  return {
    toHuggingFace,
    toTiktoken,
    vocabSize,
    pattern,
    specialTokens,
    get merges() {
      if (merges === undefined) merges = deriveMerges();
      return merges;
    },
    encode,
    encodeOrdinary,
    encodeWithOffsets,
    decode,
    decodeBytes,
    tokenBytes,
    createDecoder,
  };
}

export const DEFAULT_PATTERN = PATTERNS.r50k_base;

/** GPT-2's `bytes_to_unicode`: each byte as a printable character (bytes that are not get U+0100 onwards). */
export function byteLevelChars(): string[] {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const out: string[] = new Array(256);
  let n = 0;
  for (let b = 0; b < 256; b++) out[b] = String.fromCharCode(printable(b) ? b : 256 + n++);
  return out;
}

/**
 * A pre-tokenisation pattern option: a RegExp source, or the name of one of {@link PATTERNS}
 * ("r50k_base", …), checked to compile with the u flag. Names the function in its errors.
 */
export function resolvePattern(fn: string, pattern: unknown): string {
  if (pattern === undefined) return DEFAULT_PATTERN;
  if (typeof pattern !== "string") throw new TypeError(`${fn}: pattern must be a RegExp source string or a name of PATTERNS, got ${describe(pattern)}`);
  const source = Object.hasOwn(PATTERNS, pattern) ? PATTERNS[pattern as keyof typeof PATTERNS] : pattern;
  try {
    new RegExp(source, "gu");
  } catch (e) {
    throw new RangeError(`${fn}: pattern is not a valid RegExp with the u flag (${(e as Error).message})`);
  }
  return source;
}

/**
 * Splits text into [start, end, specialId | -1] segments by the special tokens allowedSpecial lets
 * through, throwing for a special token it does not (both tokenizers' encode).
 */
export function specialSegments(fn: string, text: string, specialIds: ReadonlyMap<string, number>, allowedSpecial: AllowedSpecial | undefined): [number, number, number][] {
  if (allowedSpecial !== undefined && allowedSpecial !== "all" && !(allowedSpecial instanceof Set)) {
    throw new TypeError(`${fn}: allowedSpecial must be "all" or a Set of special-token texts, got ${describe(allowedSpecial)}`);
  }
  if (specialIds.size === 0) {
    if (allowedSpecial instanceof Set && allowedSpecial.size > 0) {
      throw new RangeError(`${fn}: allowedSpecial has ${JSON.stringify([...allowedSpecial][0])}, but this tokenizer has no special tokens`);
    }
    return [[0, text.length, -1]];
  }
  let allowed: Set<string>;
  if (allowedSpecial === undefined) allowed = new Set();
  else if (allowedSpecial === "all") allowed = new Set(specialIds.keys());
  else if (allowedSpecial instanceof Set) {
    for (const s of allowedSpecial) {
      if (!specialIds.has(s)) throw new RangeError(`${fn}: allowedSpecial has ${JSON.stringify(s)}, expected special tokens of this tokenizer (${[...specialIds.keys()].join(", ")})`);
    }
    allowed = allowedSpecial as Set<string>;
  } else throw new TypeError(`${fn}: allowedSpecial must be "all" or a Set of special-token texts, got ${describe(allowedSpecial)}`);
  for (const s of specialIds.keys()) {
    if (allowed.has(s)) continue;
    const at = text.indexOf(s);
    if (at >= 0) {
      throw new RangeError(`${fn}: the text contains the special token ${JSON.stringify(s)} at index ${at}, which is not allowed; pass { allowedSpecial: new Set([${JSON.stringify(s)}]) } (or "all") to encode it as id ${specialIds.get(s)}, or use encodeOrdinary to encode it as plain text`);
    }
  }
  if (allowed.size === 0) return [[0, text.length, -1]];
  const re = new RegExp([...allowed].sort((a, b) => b.length - a.length).map(escapeRegex).join("|"), "g");
  const out: [number, number, number][] = [];
  let last = 0, m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m.index > last) out.push([last, m.index, -1]);
    out.push([m.index, m.index + m[0].length, specialIds.get(m[0])!]);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push([last, text.length, -1]);
  return out;
}
