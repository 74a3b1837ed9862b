/**
 * SentencePiece-style BPE as llama.cpp runs it for `tokenizer.ggml.model` `"llama"` (Llama 2,
 * Mistral, TinyLlama): spaces become `▁` (a space put first), the text is cut into characters,
 * and the adjacent pair whose join is a token of the highest score merges first (ties: the
 * leftmost); a character no token holds falls back to its UTF-8 bytes (`<0xXX>` tokens).
 * @module
 */
import { checkOptions, describe } from "../internal/check";
import { type AllowedSpecial, type StreamingDecoder, specialSegments } from "./bpe";
import { Heap } from "../internal/heap";
import { escapeRegex } from "./patterns";

/** llama.cpp's token types (`llama_token_type`). */
const UNKNOWN = 2, CONTROL = 3, USER_DEFINED = 4, UNUSED = 5, BYTE = 6;
const SPACE = "\u2581";

/** What a SentencePiece vocabulary is made of, as a GGUF file holds it. */
export interface SentencePieceParts {
  tokens: readonly string[];
  scores: ArrayLike<number>;
  types: ArrayLike<number>;
  /** Put a space before the text (and after each special token), as SentencePiece's `add_dummy_prefix`. */
  addSpacePrefix: boolean;
}

/** A SentencePiece-style BPE tokenizer, with the encode/decode surface of {@link BpeTokenizer}. @category 2 · Tokenizers */
export interface SentencePieceTokenizer {
  /** One more than the largest id. */
  readonly vocabSize: number;
  /** Control and unknown tokens (`<s>`, `</s>`, `<unk>`): text → id. */
  readonly specialTokens: Readonly<Record<string, number>>;
  /** Text → ids; control tokens in the text are an error unless allowed (then their ids). */
  encode(text: string, options?: { allowedSpecial?: AllowedSpecial }): number[];
  /** Text → ids, control tokens' text encoded as plain text. */
  encodeOrdinary(text: string): number[];
  /** Ids → text (`▁` back to spaces, byte tokens to their bytes, the space put first taken off). */
  decode(ids: ArrayLike<number>): string;
  /** Ids → UTF-8 bytes. */
  decodeBytes(ids: ArrayLike<number>): Uint8Array;
  /** The bytes of one token. */
  tokenBytes(id: number): Uint8Array;
  /** A decoder for ids arriving one at a time. */
  createDecoder(): StreamingDecoder;
}

const utf8 = new TextEncoder();

/** @internal Builds the tokenizer; the parts are checked by the caller (tokenizerFromGguf). */
export function createSentencePieceTokenizer(parts: SentencePieceParts): SentencePieceTokenizer {
  const { tokens, scores, types, addSpacePrefix } = parts;
  const vocab = new Map<string, number>();
  const byteIds = new Int32Array(256).fill(-1);
  const specialTokens: Record<string, number> = {};
  const userDefined: string[] = [];
  const bytesOf: Uint8Array[] = [];
  tokens.forEach((t, id) => {
    const type = Number(types[id]);
    vocab.set(t, id); // as llama.cpp's token_to_id: every token, the last of a text winning
    if (type === BYTE) {
      const m = /^<0x([0-9A-Fa-f]{2})>$/.exec(t);
      if (m) byteIds[parseInt(m[1], 16)] = id;
      bytesOf[id] = m ? new Uint8Array([parseInt(m[1], 16)]) : utf8.encode(t);
      return;
    }
    bytesOf[id] = type === CONTROL || type === UNKNOWN || type === UNUSED ? new Uint8Array(0) : utf8.encode(t.replaceAll(SPACE, " "));
    if (type === CONTROL || type === UNKNOWN) specialTokens[t] = id; // parsed out of the text only with allowedSpecial (llama.cpp's parse_special)
    else if (type === USER_DEFINED) userDefined.push(t);
  });
  const specialIds = new Map(Object.entries(specialTokens));
  const userRegex = userDefined.length ? new RegExp(userDefined.sort((a, b) => b.length - a.length).map(escapeRegex).join("|"), "g") : null;

  /** The ids of one stretch of raw text (spaces already `▁`): llama.cpp's llm_tokenizer_spm. */
  function encodeText(text: string, out: number[]): void {
    const chars = Array.from(text);
    const n = chars.length;
    if (n === 0) return;
    const sym = chars.slice(), prev = Int32Array.from({ length: n }, (_, i) => i - 1), next = Int32Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : -1));
    // bigrams by score, then by the leftmost left symbol
    type Bigram = { left: number; right: number; score: number; text: string };
    const heap = new Heap<Bigram>((a, b) => a.score > b.score || (a.score === b.score && a.left < b.left));
    const tryAdd = (left: number, right: number) => {
      if (left < 0 || right < 0) return;
      const t = sym[left] + sym[right], id = vocab.get(t);
      if (id === undefined) return;
      heap.push({ left, right, score: Number(scores[id]), text: t });
    };
    for (let i = 1; i < n; i++) tryAdd(i - 1, i);
    const alive = new Uint8Array(n).fill(1);
    while (heap.size > 0) {
      const b = heap.pop();
      if (!alive[b.left] || !alive[b.right] || sym[b.left] + sym[b.right] !== b.text) continue; // a side merged since
      sym[b.left] = b.text;
      alive[b.right] = 0;
      next[b.left] = next[b.right];
      if (next[b.right] >= 0) prev[next[b.right]] = b.left;
      tryAdd(prev[b.left], b.left);
      tryAdd(b.left, next[b.left]);
    }
    for (let i = 0; i >= 0; i = next[i]) emit(sym[i]);
    /** A symbol's token (every merged symbol is one), or a character's UTF-8 bytes as byte tokens. */
    function emit(text: string) {
      const id = vocab.get(text);
      if (id !== undefined) out.push(id);
      else for (const byte of utf8.encode(text)) {
        if (byteIds[byte] < 0) throw new RangeError(`SentencePieceTokenizer: ${JSON.stringify(text)} is in no token and the vocabulary has no <0x${byte.toString(16).toUpperCase().padStart(2, "0")}> byte token`);
        out.push(byteIds[byte]);
      }
    }
  }

  /** Raw text between special tokens: user-defined tokens matched whole, the rest through encodeText; the space prefix where llama.cpp puts it. */
  function encodeRaw(text: string, prefix: boolean, out: number[]): void {
    if (text === "") return; // no space prefix for nothing
    const escaped = (s: string) => s.replaceAll(" ", SPACE);
    let first = prefix && addSpacePrefix;
    const raw = (s: string) => { encodeText(escaped(first ? ` ${s}` : s), out); first = false; };
    if (userRegex === null) return raw(text);
    userRegex.lastIndex = 0;
    let last = 0, m: RegExpExecArray | null;
    while ((m = userRegex.exec(text)) !== null) {
      if (m.index > last) raw(text.slice(last, m.index));
      out.push(vocab.get(m[0])!);
      last = m.index + m[0].length;
    }
    if (last < text.length) raw(text.slice(last));
  }

  function checkText(fn: string, text: unknown): asserts text is string {
    if (typeof text !== "string") throw new TypeError(`${fn}: text must be a string, got ${describe(text)}`);
  }

  function encodeOrdinary(text: string): number[] {
    checkText("SentencePieceTokenizer.encodeOrdinary", text);
    const out: number[] = [];
    encodeRaw(text, true, out);
    return out;
  }

  function encode(text: string, options?: { allowedSpecial?: AllowedSpecial }): number[] {
    const fn = "SentencePieceTokenizer.encode";
    checkOptions(fn, options, ["allowedSpecial"]);
    checkText(fn, text);
    const out: number[] = [];
    let afterSpecial = true; // llama.cpp puts the space prefix before the first text and after each special token
    for (const [start, end, special] of specialSegments(fn, text, specialIds, options?.allowedSpecial)) {
      if (special >= 0) out.push(special);
      else encodeRaw(text.slice(start, end), afterSpecial, out);
      afterSpecial = special >= 0;
    }
    return out;
  }

  function checkIds(fn: string, ids: ArrayLike<number>): void {
    if (ids == null || typeof ids === "string" || typeof ids.length !== "number") throw new TypeError(`${fn}: ids must be an array of token ids, got ${describe(ids)}`);
    for (let i = 0; i < ids.length; i++) {
      if (!Number.isInteger(ids[i]) || ids[i] < 0 || ids[i] >= tokens.length) throw new RangeError(`${fn}: ids[${i}] is ${describe(ids[i])}, expected an id in [0, ${tokens.length})`);
    }
  }

  function decodeBytes(ids: ArrayLike<number>): Uint8Array {
    checkIds("SentencePieceTokenizer.decodeBytes", ids);
    const parts: Uint8Array[] = [];
    let n = 0;
    for (let i = 0; i < ids.length; i++) { parts.push(bytesOf[ids[i]]); n += bytesOf[ids[i]].length; }
    const out = new Uint8Array(n);
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    return out;
  }

  const dropPrefix = (text: string) => (addSpacePrefix && text.startsWith(" ") ? text.slice(1) : text);

  function decode(ids: ArrayLike<number>): string {
    return dropPrefix(new TextDecoder("utf-8", { ignoreBOM: true }).decode(decodeBytes(ids)));
  }

  function tokenBytes(id: number): Uint8Array {
    checkIds("SentencePieceTokenizer.tokenBytes", [id]);
    return bytesOf[id].slice();
  }

  function createDecoder(): StreamingDecoder {
    const d = new TextDecoder("utf-8", { ignoreBOM: true });
    let started = false;
    const first = (s: string) => {
      if (started || s === "") return s;
      started = true;
      return dropPrefix(s);
    };
    return {
      write(ids) {
        const list = typeof ids === "number" ? [ids] : ids;
        return first(d.decode(decodeBytes(list), { stream: true }));
      },
      end: () => first(d.decode()),
    };
  }

  return { vocabSize: tokens.length, specialTokens, encode, encodeOrdinary, decode, decodeBytes, tokenBytes, createDecoder };
}
