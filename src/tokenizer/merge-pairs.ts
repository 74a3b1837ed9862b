// Byte-pair merging of one piece as Hugging Face's BPE model does it: start from single bytes;
// repeatedly apply the listed merge (left, right) of lowest priority (ties → leftmost) among the
// adjacent pairs, until no adjacent pair is a listed merge. Unlike tiktoken's ranks (merge.ts),
// only the listed pairs merge: a vocabulary entry no merge builds is never produced.

import { Heap } from "../internal/heap";

/** Ids below this bound can be packed as a pair key (left · 2²² + right stays an exact integer). */
export const PAIR_ID_LIMIT = 1 << 22;

/** The merges as a table: the pair (left, right) → its priority; priority i creates `result[i]`. */
export interface PairMerges {
  readonly priority: Map<number, number>;
  readonly result: Int32Array;
  /** The id of each single byte. */
  readonly byteIds: Int32Array;
}

const pairKey = (left: number, right: number) => left * PAIR_ID_LIMIT + right;

/** Builds the table from merges in priority order (a pair listed twice keeps its first priority). */
export function pairMerges(merges: readonly (readonly [left: number, right: number, result: number])[], byteIds: Int32Array): PairMerges {
  const priority = new Map<number, number>();
  const result = new Int32Array(merges.length);
  merges.forEach(([l, r, id], i) => {
    result[i] = id;
    const key = pairKey(l, r);
    if (!priority.has(key)) priority.set(key, i);
  });
  return { priority, result, byteIds };
}

const LONG = 128;

/** The token ids of one piece (a binary string, one char per byte). */
export function pairMerge(table: PairMerges, bs: string): number[] {
  const ids: number[] = new Array(bs.length);
  for (let i = 0; i < bs.length; i++) ids[i] = table.byteIds[bs.charCodeAt(i)];
  return bs.length > LONG ? mergeLong(table, ids) : mergeShort(table, ids);
}

function priorityOf(table: PairMerges, left: number, right: number): number {
  const p = table.priority.get(pairKey(left, right));
  return p === undefined ? Infinity : p;
}

/** O(n²) scan over the parts, for short pieces (nearly all). */
function mergeShort(table: PairMerges, ids: number[]): number[] {
  const pr: number[] = new Array(Math.max(0, ids.length - 1));
  for (let i = 0; i < ids.length - 1; i++) pr[i] = priorityOf(table, ids[i], ids[i + 1]);
  for (;;) {
    let min = Infinity, at = -1;
    for (let i = 0; i < pr.length; i++) if (pr[i] < min) { min = pr[i]; at = i; }
    if (at < 0) return ids;
    ids.splice(at, 2, table.result[min]);
    pr.splice(at, 1);
    if (at < ids.length - 1) pr[at] = priorityOf(table, ids[at], ids[at + 1]);
    if (at > 0) pr[at - 1] = priorityOf(table, ids[at - 1], ids[at]);
  }
}

/** O(n log n): parts as a linked list, candidate merges in a heap keyed by (priority, position). */
function mergeLong(table: PairMerges, ids: number[]): number[] {
  const n = ids.length;
  const next = new Int32Array(n), prev = new Int32Array(n), alive = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i++) { next[i] = i + 1; prev[i] = i - 1; }
  type Candidate = [priority: number, at: number];
  const heap = new Heap<Candidate>((a, b) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]));
  const consider = (at: number) => {
    if (at < 0 || next[at] >= n) return;
    const p = priorityOf(table, ids[at], ids[next[at]]);
    if (p !== Infinity) heap.push([p, at]);
  };
  for (let i = 0; i < n - 1; i++) consider(i);
  while (heap.size > 0) {
    const [p, at] = heap.pop();
    // stale: the part is gone, or the pair at `at` is no longer the one this candidate merges
    if (!alive[at] || next[at] >= n || priorityOf(table, ids[at], ids[next[at]]) !== p) continue;
    const right = next[at];
    ids[at] = table.result[p];
    alive[right] = 0;
    next[at] = next[right];
    if (next[at] < n) prev[next[at]] = at;
    consider(at);
    consider(prev[at]);
  }
  const out: number[] = [];
  for (let i = 0; i < n; i = next[i]) out.push(ids[i]);
  return out;
}
