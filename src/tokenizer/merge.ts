// Byte-pair merging of one piece, as tiktoken does it: start from single bytes; repeatedly merge the
// adjacent pair whose concatenation has the lowest rank (ties → leftmost) until no pair is a token.

import { Heap } from "../internal/heap";

/** Ranks of token byte strings (binary strings, one char per byte). */
export type Ranks = Map<string, number>;

/** Pieces longer than this use the heap; shorter ones a plain scan (faster for short pieces). */
const LONG = 128;

/** The token ids of one piece (given as a binary string). Every single byte must be a token. */
export function bytePairMerge(ranks: Ranks, bs: string): number[] {
  return bs.length > LONG ? mergeLong(ranks, bs) : mergeShort(ranks, bs);
}

function rankOr(ranks: Ranks, s: string): number {
  const r = ranks.get(s);
  return r === undefined ? Infinity : r;
}

/** O(n²) scan: part boundaries in `pos`, pair ranks in `pr` (pr[i] joins parts i and i+1). */
function mergeShort(ranks: Ranks, bs: string): number[] {
  const n = bs.length;
  const pos: number[] = new Array(n + 1);
  for (let i = 0; i <= n; i++) pos[i] = i;
  const pr: number[] = new Array(n - 1);
  for (let i = 0; i < n - 1; i++) pr[i] = rankOr(ranks, bs.slice(i, i + 2));
  let parts = n;
  for (;;) {
    let min = Infinity, at = -1;
    for (let i = 0; i < parts - 1; i++) {
      if (pr[i] < min) {
        min = pr[i];
        at = i;
      }
    }
    if (at < 0) break;
    pos.splice(at + 1, 1);
    pr.splice(at, 1);
    parts--;
    if (at < parts - 1) pr[at] = rankOr(ranks, bs.slice(pos[at], pos[at + 2]));
    if (at > 0) pr[at - 1] = rankOr(ranks, bs.slice(pos[at - 1], pos[at + 1]));
  }
  const ids: number[] = new Array(parts);
  for (let i = 0; i < parts; i++) ids[i] = ranks.get(bs.slice(pos[i], pos[i + 1]))!;
  return ids;
}

/**
 * O(n log n): parts as a linked list over byte positions, candidate pairs in a min-heap keyed by
 * (rank, start). A popped pair is used only if both its parts still exist unchanged.
 */
function mergeLong(ranks: Ranks, bs: string): number[] {
  const n = bs.length;
  const next = new Int32Array(n + 1), prev = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
  }
  type Pair = [rank: number, start: number, mid: number, end: number];
  const heap = new Heap<Pair>((a, b) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]));
  const consider = (start: number, mid: number, end: number) => {
    const r = ranks.get(bs.slice(start, end));
    if (r !== undefined) heap.push([r, start, mid, end]);
  };
  for (let i = 0; i < n - 1; i++) consider(i, i + 1, i + 2);
  const alive = new Uint8Array(n + 1).fill(1);
  while (heap.size > 0) {
    const [, start, mid, end] = heap.pop();
    if (!alive[start] || !alive[mid] || next[start] !== mid || next[mid] !== end) continue;
    alive[mid] = 0;
    next[start] = end;
    if (end <= n) prev[end] = start;
    if (end < n) consider(start, end, next[end]);
    if (start > 0) consider(prev[start], start, end);
  }
  const ids: number[] = [];
  for (let i = 0; i < n; i = next[i]) ids.push(ranks.get(bs.slice(i, next[i]))!);
  return ids;
}
