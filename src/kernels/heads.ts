// Moving heads between the channel layout [T, H·D] and the head layout [H, T, D]: each head is T
// runs of D floats, read one stride apart and written another.
import { moveRowsWasm } from "./wasm";

let runs = new Float64Array(5 * 64); // the runs of one call, reused (a generation step moves heads at every layer)

/** Room for n runs, run i at runs[5i …] = [first float in src, src stride, first float in dst, dst stride, rows]. */
function runsFor(n: number): Float64Array {
  if (runs.length < 5 * n) runs = new Float64Array(5 * n);
  return runs;
}

/** Run i: its first float in src, src stride, first float in dst, dst stride, rows. */
function put(r: Float64Array, i: number, from: number, fromStride: number, to: number, toStride: number, rows: number): void {
  r[5 * i] = from;
  r[5 * i + 1] = fromStride;
  r[5 * i + 2] = to;
  r[5 * i + 3] = toStride;
  r[5 * i + 4] = rows;
}

/**
 * `count` runs of `width` floats copied from src to dst (as runsFor lays them out). In WebAssembly
 * where both arrays live in its memory (a training step's store), else here.
 */
function moveRows(dst: Float32Array, src: Float32Array, width: number, r: Float64Array, count: number): void {
  if (moveRowsWasm(dst, src, width, r, count)) return;
  for (let i = 0; i < 5 * count; i += 5) {
    for (let row = 0, from = r[i], to = r[i + 2]; row < r[i + 4]; row++, from += r[i + 1], to += r[i + 3]) {
      for (let j = 0; j < width; j++) dst[to + j] = src[from + j];
    }
  }
}

/**
 * Splits a fused projection qkv `[T, 3C]` (C = H·D) into heads: q `[H, T, D]`, and keys and values
 * written at rows `at … at + T − 1` of k and v `[H, kvRows, D]` — a KV cache's layout, or kvRows = T.
 * @category Kernels
 * @example
 * ```ts
 * splitQkvForward(q, cache.k, cache.v, qkv, T, H, D, cache.capacity, cache.length);
 * ```
 */
export function splitQkvForward(
  q: Float32Array, k: Float32Array, v: Float32Array, qkv: Float32Array,
  T: number, H: number, D: number, kvRows: number, at: number,
): void {
  const C = H * D, r = runsFor(H);
  for (let part = 0; part < 3; part++) {
    for (let h = 0; h < H; h++) put(r, h, part * C + h * D, 3 * C, part === 0 ? h * T * D : (h * kvRows + at) * D, D, T);
    moveRows(part === 0 ? q : part === 1 ? k : v, qkv, D, r, H);
  }
}

/**
 * Splits one projection x `[T, H·D]` into heads, written at rows `at … at + T − 1` of out
 * `[H, rows, D]` (a KV cache's layout, or rows = T and at = 0): what a model with separate q, k and v
 * projections (Llama) needs.
 * @category Kernels
 * @example
 * ```ts
 * splitHeadsForward(cache.k, kProj, T, Hkv, D, cache.capacity, cache.length);
 * ```
 */
export function splitHeadsForward(out: Float32Array, x: Float32Array, T: number, H: number, D: number, rows: number, at: number): void {
  const r = runsFor(H);
  for (let h = 0; h < H; h++) put(r, h, h * D, H * D, (h * rows + at) * D, D, T);
  moveRows(out, x, D, r, H);
}

/**
 * Merges heads back into channels: out[b, t, h·D + d] = x[b, h, t, d], x `[B, H, T, D]`, out `[B, T, H·D]`.
 * @category Kernels
 * @example
 * ```ts
 * mergeHeadsForward(merged, heads, 1, H, T, D);
 * ```
 */
export function mergeHeadsForward(out: Float32Array, x: Float32Array, B: number, H: number, T: number, D: number): void {
  const C = H * D, r = runsFor(B * H);
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) put(r, b * H + h, (b * H + h) * T * D, D, b * T * C + h * D, C, T);
  moveRows(out, x, D, r, B * H);
}

/**
 * The backward pass of {@link splitQkvForward} (no cache, kvRows = T): gathers the gradients of q, k
 * and v `[H, T, D]` back into the fused layout, dqkv `[T, 3C]` (written, not added).
 * @category Kernels
 * @example
 * ```ts
 * splitQkvBackward(dqkv, dq, dk, dv, T, H, D);
 * ```
 */
export function splitQkvBackward(
  dqkv: Float32Array, dq: Float32Array, dk: Float32Array, dv: Float32Array, T: number, H: number, D: number,
): void {
  const C = H * D, r = runsFor(H);
  for (let part = 0; part < 3; part++) {
    for (let h = 0; h < H; h++) put(r, h, h * T * D, D, part * C + h * D, 3 * C, T);
    moveRows(dqkv, part === 0 ? dq : part === 1 ? dk : dv, D, r, H);
  }
}

/**
 * The backward pass of {@link mergeHeadsForward}: splits dy `[B, T, H·D]` into heads, dx `[B, H, T, D]` (written).
 * @category Kernels
 * @example
 * ```ts
 * mergeHeadsBackward(dheads, dmerged, B, H, T, D);
 * ```
 */
export function mergeHeadsBackward(dx: Float32Array, dy: Float32Array, B: number, H: number, T: number, D: number): void {
  const C = H * D, r = runsFor(B * H);
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) put(r, b * H + h, b * T * C + h * D, C, (b * H + h) * T * D, D, T);
  moveRows(dx, dy, D, r, B * H);
}
