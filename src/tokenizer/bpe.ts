/**
 * Byte-level BPE tokenizers (lesson 2), GPT-2 style: text → pieces (a regex) → UTF-8 bytes →
 * merged by rank → ids; and back.
 * @module
 */
import { checkOptions, describe } from "../internal/check";
import { bytePairMerge, type Ranks } from "./merge";
import { binaryToBytes, charAt, utf8Binary } from "./utf8";
import { PATTERNS, forEachPiece } from "./patterns";

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
   * {@link trainBpe}, merge i creates id 256 + i. For a loaded one, it is derived on first access:
   * for each multi-byte token in rank order, the last pair BPE joins to build it.
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
}

const CACHE_LIMIT = 100_000;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** @internal Builds a tokenizer from its parts; validation of the parts is the caller's. */
export function createBpeTokenizer(parts: BpeParts): BpeTokenizer {
  const { ranks, pattern } = parts;
  const specialTokens = { ...parts.specialTokens };
  const specialIds = new Map(Object.entries(specialTokens));
  const tokens: (string | undefined)[] = parts.tokenBytes ? [...parts.tokenBytes] : [];
  if (!parts.tokenBytes) for (const [bytes, id] of ranks) tokens[id] = bytes;
  for (const [text, id] of specialIds) tokens[id] = utf8Binary(text);
  const vocabSize = tokens.length;
  const regex = new RegExp(pattern, "gu");
  const cache = new Map<string, number | number[]>();
  const textDecoder = new TextDecoder("utf-8", { ignoreBOM: true });
  let merges = parts.merges;

  function encodePiece(piece: string, out: number[]): void {
    const hit = cache.get(piece);
    if (hit !== undefined) {
      if (typeof hit === "number") out.push(hit);
      else for (let i = 0; i < hit.length; i++) out.push(hit[i]);
      return;
    }
    const bs = utf8Binary(piece);
    const direct = ranks.get(bs);
    const value = direct !== undefined ? direct : bytePairMerge(ranks, bs);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(piece, value);
    if (typeof value === "number") out.push(value);
    else for (let i = 0; i < value.length; i++) out.push(value[i]);
  }

  /** Encodes the pieces of text[from, to) into out. */
  function encodeRange(text: string, from: number, to: number, out: number[]): void {
    const segment = from === 0 && to === text.length ? text : text.slice(from, to);
    forEachPiece(regex, segment, (piece) => encodePiece(piece, out));
  }

  function checkText(fn: string, text: unknown): asserts text is string {
    if (typeof text !== "string") throw new TypeError(`${fn}: text must be a string, got ${describe(text)}`);
  }

  /** Splits text into [start, end, specialId | -1] segments, throwing for disallowed specials. */
  function segments(fn: string, text: string, allowedSpecial: AllowedSpecial | undefined): [number, number, number][] {
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

  function encodeOrdinary(text: string): number[] {
    checkText("BpeTokenizer.encodeOrdinary", text);
    const out: number[] = [];
    encodeRange(text, 0, text.length, out);
    return out;
  }

  function encode(text: string, options?: { allowedSpecial?: AllowedSpecial }): number[] {
    checkOptions("BpeTokenizer.encode", options, ["allowedSpecial"]);
    checkText("BpeTokenizer.encode", text);
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
    const ids: number[] = [];
    const offsets: [number, number][] = [];
    for (const [start, end, special] of segments("BpeTokenizer.encodeWithOffsets", text, options?.allowedSpecial)) {
      if (special >= 0) {
        ids.push(special);
        offsets.push([start, end]);
        continue;
      }
      forEachPiece(regex, text.slice(start, end), (piece, at) => {
        const p0 = start + at, p1 = p0 + piece.length;
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

  return {
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
