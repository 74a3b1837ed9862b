// Learning BPE merges from text.
import { checkInteger, checkOptions, describe } from "../internal/check";
import { createBpeTokenizer, resolvePattern } from "./bpe";
import type { BpeTokenizer } from "./bpe";
import type { Ranks } from "./merge";
import { utf8Binary } from "./utf8";
import { forEachPiece } from "./patterns";
import { Heap } from "../internal/heap";

/** Options of {@link trainBpe}. @category 2 · Tokenizers */
export interface TrainBpeOptions {
  /** The pre-tokenisation pattern: a RegExp source, or a name of `PATTERNS`. Default GPT-2's (`PATTERNS.r50k_base`). */
  pattern?: string;
  /** Special-token texts: removed from the training text, given the last ids. */
  specialTokens?: readonly string[];
}

const K = 2 ** 21; // pair key = left·K + right (ids stay below 2²¹)

/**
 * Learns a byte-level BPE vocabulary from text, deterministically.
 *
 * Ids 0–255 are the bytes. Then, until `vocabSize` (minus special tokens) is reached: count the
 * adjacent pairs inside each pre-tokenised piece, weighted by how often the piece occurs
 * (overlapping positions count: "aaa" has two "aa"); take the most frequent pair; on a tie, the
 * pair whose `(bytes(left), bytes(right))` is smallest, comparing `bytes(left)` first, as unsigned
 * byte strings in lexicographic order (a proper prefix sorts first); the new token gets the next id;
 * apply the merge left to right, non-overlapping. Stops early when no pair is left. Pair counts
 * are updated incrementally (only pieces containing the merged pair are touched) and kept in a
 * priority queue, so a merge costs time in proportion to where the pair occurs, not to the text.
 *
 * The tokenizer encodes as tiktoken does: at each step it merges the adjacent pair whose
 * concatenation has the lowest id. Special tokens get the ids after the merges.
 *
 * @param text - the training text
 * @param vocabSize - the vocabulary size: 256 + merges + special tokens (an integer ≥ 256 + specials)
 * @param options - `pattern`, `specialTokens`
 * @returns a {@link BpeTokenizer} whose `merges[i]` created id 256 + i
 * @throws RangeError when vocabSize is not an integer ≥ 256 + the number of special tokens
 * @category 2 · Tokenizers
 * @example
 * ```ts
 * const tok = trainBpe("low lower lowest ".repeat(50), 260);
 * tok.merges.length; // 4
 * tok.encode(" lowest").length < " lowest".length; // true
 * ```
 */
export function trainBpe(text: string, vocabSize: number, options?: TrainBpeOptions): BpeTokenizer {
  const fn = "trainBpe";
  if (typeof text !== "string") throw new TypeError(`${fn}: text must be a string, got ${describe(text)}`);
  checkOptions(fn, options, ["pattern", "specialTokens"]);
  const specials = [...(options?.specialTokens ?? [])];
  for (const s of specials) if (typeof s !== "string" || s === "") throw new TypeError(`${fn}: specialTokens must be non-empty strings, got ${describe(s)}`);
  const repeated = specials.find((s, i) => specials.indexOf(s) !== i);
  if (repeated !== undefined) throw new RangeError(`${fn}: specialTokens has ${JSON.stringify(repeated)} twice, expected each special token once`);
  checkInteger(fn, "vocabSize", vocabSize, 256 + specials.length, K - 1);
  const pattern = resolvePattern(fn, options?.pattern);
  const regex = new RegExp(pattern, "gu");

  // Pieces and how often each occurs (special-token text is cut out first).
  const pieceCounts = new Map<string, number>();
  const addPieces = (segment: string) =>
    forEachPiece(regex, segment, (p) => pieceCounts.set(p, (pieceCounts.get(p) ?? 0) + 1));
  if (specials.length) {
    const re = new RegExp(specials.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
    for (const seg of text.split(re)) addPieces(seg);
  } else addPieces(text);

  const words: number[][] = [], counts: number[] = [];
  for (const [piece, c] of pieceCounts) {
    const bs = utf8Binary(piece);
    if (bs.length < 2) continue; // a single byte has no pair
    words.push(Array.from(bs, (ch) => ch.charCodeAt(0)));
    counts.push(c);
  }

  const bytes: string[] = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i));
  const pairCount = new Map<number, number>();
  const pairWords = new Map<number, number[]>();
  words.forEach((w, wi) => {
    for (let i = 0; i + 1 < w.length; i++) {
      const key = w[i] * K + w[i + 1];
      pairCount.set(key, (pairCount.get(key) ?? 0) + counts[wi]);
      let list = pairWords.get(key);
      if (!list) pairWords.set(key, (list = []));
      if (list[list.length - 1] !== wi) list.push(wi);
    }
  });

  // Max-heap of [count, key]: higher count first, then smaller (bytes(left), bytes(right)).
  const heap = new Heap<[count: number, key: number]>((x, y) => {
    if (x[0] !== y[0]) return x[0] > y[0];
    const xl = bytes[Math.floor(x[1] / K)], yl = bytes[Math.floor(y[1] / K)];
    if (xl !== yl) return xl < yl;
    return bytes[x[1] % K] < bytes[y[1] % K];
  });
  for (const [key, c] of pairCount) heap.push([c, key]);

  const merges: [number, number][] = [];
  const nMerges = vocabSize - 256 - specials.length;
  const seen = new Int32Array(words.length).fill(-1);
  const delta = new Map<number, number>();
  while (merges.length < nMerges && heap.size) {
    const [c, key] = heap.pop();
    if (c <= 0 || pairCount.get(key) !== c) continue; // stale entry
    const left = Math.floor(key / K), right = key % K;
    const id = 256 + merges.length;
    merges.push([left, right]);
    bytes.push(bytes[left] + bytes[right]);
    delta.clear();
    const bump = (k: number, d: number) => delta.set(k, (delta.get(k) ?? 0) + d);
    for (const wi of pairWords.get(key)!) {
      if (seen[wi] === id) continue;
      seen[wi] = id;
      const w = words[wi], wc = counts[wi];
      let found = false;
      for (let i = 0; i + 1 < w.length; i++) if (w[i] === left && w[i + 1] === right) { found = true; break; }
      if (!found) continue;
      for (let i = 0; i + 1 < w.length; i++) bump(w[i] * K + w[i + 1], -wc);
      const merged: number[] = [];
      for (let i = 0; i < w.length; i++) {
        if (i + 1 < w.length && w[i] === left && w[i + 1] === right) { merged.push(id); i++; }
        else merged.push(w[i]);
      }
      words[wi] = merged;
      for (let i = 0; i + 1 < merged.length; i++) {
        const k = merged[i] * K + merged[i + 1];
        bump(k, wc);
        if (merged[i] === id || merged[i + 1] === id) {
          let list = pairWords.get(k);
          if (!list) pairWords.set(k, (list = []));
          if (list[list.length - 1] !== wi) list.push(wi);
        }
      }
    }
    pairWords.delete(key);
    for (const [k, d] of delta) {
      if (d === 0) continue;
      const n = (pairCount.get(k) ?? 0) + d;
      if (n > 0) { pairCount.set(k, n); heap.push([n, k]); }
      else pairCount.delete(k);
    }
  }

  const ranks: Ranks = new Map();
  bytes.forEach((b, i) => { if (!ranks.has(b)) ranks.set(b, i); });
  const specialTokens: Record<string, number> = {};
  specials.forEach((s, i) => { specialTokens[s] = bytes.length + i; });
  return createBpeTokenizer({ ranks, specialTokens, pattern, merges, tokenBytes: bytes });
}
