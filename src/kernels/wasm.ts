// The WebAssembly SIMD path. The module is assembled from src/wasm/kernels.wat at build time and
// inlined as base64, twice: as written, and with its multiply-adds fused (relaxed SIMD's
// f32x4.relaxed_madd, one FMA instruction where the CPU has one). The fused one is used where the
// engine validates it (Node 22+, current browsers), the plain one elsewhere (Node 20). It is
// instantiated synchronously on first use: about 6 kB, far under the 8 MB that current browsers
// allow synchronous compilation on the main thread (older Chrome versions allowed only 4 kB). Where
// WebAssembly or its SIMD is missing, or after useWasm(false), every op runs its JavaScript kernel.
import { KERNELS_FMA_WASM, KERNELS_WASM } from "../wasm/generated";

/** The little of the WebAssembly API used here (the library's TypeScript lib has no DOM types). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

interface LinearModule {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  linear(x: number, w: number, b: number, out: number, M: number, K: number, N: number, panel: number): void;
  linearRow(x: number, w: number, b: number, out: number, K: number, N: number): void;
  softmax(x: number, out: number, rows: number, n: number, invT: number): void;
  matmulPacked(a: number, b: number, c: number, M: number, N: number, K: number): void;
  packPanels(src: number, dst: number, K: number, N: number): void;
  columnSums(src: number, dst: number, M: number, N: number): void;
  packColumns(src: number, dst: number, K: number, N: number): void;
  packRows(src: number, dst: number, M: number, K: number, group: number): void;
  geluTanh(x: number, out: number, n: number): void;
  geluTanhBackward(dx: number, dy: number, x: number, n: number): void;
  adamw(p: number, g: number, m: number, v: number, n: number, keep: number, b1: number, b2: number, eps: number, stepSize: number, bc2Sqrt: number): void;
  attention(q: number, k: number, v: number, out: number, sc: number, T: number, S: number, D: number, Dv: number, scale: number, causal: number, window: number, slope: number): void;
  attentionBackward(q: number, k: number, v: number, dout: number, dq: number, dk: number, dv: number, sc: number, T: number, S: number, D: number, Dv: number, scale: number, causal: number): void;
}

let module: LinearModule | null | undefined; // undefined: not tried yet
let fused = false; // whether the module in use fuses multiply-adds
let enabled = true;

function load(): LinearModule | null {
  if (module !== undefined) return module;
  module = null;
  try {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (api !== undefined && typeof atob === "function") {
      const decode = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      for (const [b64, fma] of [[KERNELS_FMA_WASM, true], [KERNELS_WASM, false]] as const) {
        const bytes = decode(b64);
        if (!api.validate(bytes)) continue;
        module = new api.Instance(new api.Module(bytes)).exports as LinearModule;
        fused = fma;
        break;
      }
    }
  } catch {
    module = null;
  }
  return module;
}

/**
 * Turns the WebAssembly SIMD kernels on (the default where supported) or off (pure JavaScript
 * everywhere). Results agree within float32 rounding: the SIMD kernels accumulate in float32 (as
 * PyTorch does), the JavaScript ones in float64.
 * @param on - false forces the JavaScript kernels
 * @category Kernels
 * @example
 * ```ts
 * useWasm(false); // e.g. to compare the two paths, or where WebAssembly is not allowed
 * ```
 */
export function useWasm(on: boolean): void {
  enabled = !!on;
}

/**
 * Whether the WebAssembly SIMD kernels can run here, whether they are switched on, whether they
 * fuse multiply-adds (relaxed SIMD: one rounding instead of two, and faster where the CPU has FMA),
 * how many bytes of weights are pinned in the module's memory ({@link pinWeights}; `generate` pins a
 * model while it runs and releases it when it ends), and the size of that memory (which WebAssembly
 * can grow but never shrink: released bytes are reused by later calls).
 * @category Kernels
 * @example
 * ```ts
 * wasmStatus(); // { available: true, enabled: true, fusedMultiplyAdd: false, pinnedBytes: 0, memoryBytes: … } in Node 20; fusedMultiplyAdd: true in Node 22+ and current browsers
 * ```
 */
export function wasmStatus(): { available: boolean; enabled: boolean; fusedMultiplyAdd: boolean; pinnedBytes: number; memoryBytes: number } {
  const wasm = load();
  const available = wasm !== null;
  return { available, enabled, fusedMultiplyAdd: available && fused, pinnedBytes: pinnedEnd * 4, memoryBytes: wasm ? wasm.memory.buffer.byteLength : 0 };
}

/**
 * Rows below which linear stays in JavaScript: copying W into WebAssembly memory would cost more than it saves.
 * @example
 * ```ts
 * linear(x, w); // runs in WebAssembly when x has at least WASM_MIN_ROWS rows
 * ```
 */
export const WASM_MIN_ROWS = 16;
const PANEL = 64;

/**
 * x·Wᵀ + b in WebAssembly SIMD (x [M, K], w [N, K], b [N] or null). Copies the operands into the
 * module's memory, zero-padded to its tile sizes, and the result back; W is not copied when it is
 * pinned ({@link pinWeights}) and in use ({@link withPinnedWeights}). Returns false (and does
 * nothing) where the module is unavailable or switched off.
 * @category Kernels
 * @example
 * ```ts
 * if (!linearForwardWasm(out, x, w, b, M, K, N)) linearForward(out, x, w, b, M, K, N);
 * ```
 */
export function linearForwardWasm(
  out: Float32Array, x: Float32Array, w: Float32Array, b: Float32Array | null,
  M: number, K: number, N: number,
): boolean {
  const wasm = enabled ? load() : null;
  if (wasm === null) return false;
  const pin = pinnedCopy(w, N, K);
  if (!pin && M >= PACKED_MIN_ROWS) return linearPacked(wasm, out, x, w, b, M, K, N);
  const Kp = (K + 3) & ~3, Mp = (M + 1) & ~1, Np = (N + 3) & ~3;
  const xRel = 0, wRel = Mp * Kp, bRel = wRel + (pin ? 0 : Np * Kp), oRel = bRel + Np;
  const base = scratch(wasm, (oRel + Mp * Np) * 4);
  if (base < 0) return false;
  const f = heap(wasm);
  const xOff = base + xRel, wOff = pin ? pin.offset : base + wRel, bOff = base + bRel, oOff = base + oRel;
  placeRows(f, x, M, Mp, K, Kp, xOff);
  if (!pin) placeRows(f, w, N, Np, K, Kp, wOff);
  if (b === null) f.fill(0, bOff, bOff + Np);
  else {
    copyFloats(f, bOff, b, 0, N);
    f.fill(0, bOff + N, bOff + Np);
  }
  // one row over pinned weights (a generation step): eight weight-row streams at a time, no padding row
  if (M === 1 && pin) wasm.linearRow(xOff * 4, wOff * 4, bOff * 4, oOff * 4, Kp, Np);
  else wasm.linear(xOff * 4, wOff * 4, bOff * 4, oOff * 4, Mp, Kp, Np, PANEL);
  if (Np === N) copyFloats(out, 0, f, oOff, M * N);
  else for (let r = 0; r < M; r++) copyFloats(out, r * N, f, oOff + r * Np, N);
  return true;
}

/**
 * The linear backward pass in WebAssembly SIMD, added into dx `[M, K]`, dw `[N, K]` and db `[N]` (each
 * may be null), for dy `[M, N]`, x `[M, K]`, w `[N, K]`: dx += dy·W, dW += dyᵀ·x, db += Σ_rows dy —
 * with no transposed copies: the operands are copied into WebAssembly memory already packed the way
 * the kernel reads them (dy by rows for the first product, by columns for the second). Computed in
 * float32. Returns false (and does nothing) where the module is unavailable or switched off.
 * @category Kernels
 * @example
 * ```ts
 * if (!linearBackwardWasm(dx, dw, dy, x, w, M, K, N, db)) linearBackwardReference(dx, dw, db, dy, x, w, M, K, N);
 * ```
 */
export function linearBackwardWasm(
  dx: Float32Array | null, dw: Float32Array | null, dy: Float32Array, x: Float32Array, w: Float32Array,
  M: number, K: number, N: number, db: Float32Array | null = null,
): boolean {
  const wasm = enabled ? load() : null;
  if (wasm === null) return false;
  // dx [Mp, Kp] += A [Mp, Nq]·B [Nq, Kp] with A = dy, B = W; dW [Nq, Kp] += A [Nq, Mp]·B [Mp, Kp] with A = dyᵀ, B = x.
  // Each operand is copied in (zero-padded: M and N to multiples of 4, K to 8), then packed by the module.
  const Mp = (M + 3) & ~3, Nq = (N + 3) & ~3, Kp = (K + 7) & ~7;
  const dyRel = 0, stageRel = dyRel + Mp * Nq, aRel = stageRel + Math.max(Nq, Mp) * Kp, bRel = aRel + Mp * Nq, cRel = bRel + Math.max(Nq, Mp) * Kp;
  const base = scratch(wasm, (cRel + Math.max(Mp, Nq) * Kp + Nq) * 4);
  if (base < 0) return false;
  const f = heap(wasm), dyAt = base + dyRel, stage = base + stageRel, a = base + aRel, b = base + bRel, c = base + cRel;
  placeRows(f, dy, M, Mp, N, Nq, dyAt, BIG);
  if (db) { // Σ dy over rows, in float32 as PyTorch
    const sums = c + Math.max(Mp, Nq) * Kp;
    wasm.columnSums(dyAt * 4, sums * 4, M, Nq);
    for (let j = 0; j < N; j++) db[j] += f[sums + j];
  }
  if (dx) { // the kernel adds into the gradient where it lives in WebAssembly memory: copy in, add, copy out
    wasm.packRows(dyAt * 4, a * 4, Mp, Nq, 4);
    placeRows(f, w, N, Nq, K, Kp, stage, BIG);
    wasm.packPanels(stage * 4, b * 4, Nq, Kp);
    placeRows(f, dx, M, Mp, K, Kp, c, BIG);
    wasm.matmulPacked(a * 4, b * 4, c * 4, Mp, Kp, Nq);
    takeRows(dx, f, c, M, K, Kp);
  }
  if (dw) {
    wasm.packColumns(dyAt * 4, a * 4, Mp, Nq);
    placeRows(f, x, M, Mp, K, Kp, stage, BIG);
    wasm.packPanels(stage * 4, b * 4, Mp, Kp);
    placeRows(f, dw, N, Nq, K, Kp, c, BIG);
    wasm.matmulPacked(a * 4, b * 4, c * 4, Nq, Kp, Mp);
    takeRows(dw, f, c, N, K, Kp);
  }
  return true;
}

/** Training's copies: memcpy (a subarray view) above this many floats. */
const BIG = 256;

/** dst [rows, K] = the first K columns of src's rows of Kp floats from `from` (placeRows' inverse). */
function takeRows(dst: Float32Array, src: Float32Array, from: number, rows: number, K: number, Kp: number): void {
  if (Kp === K) copyFloats(dst, 0, src, from, rows * K, BIG);
  else for (let r = 0; r < rows; r++) copyFloats(dst, r * K, src, from + r * Kp, K, BIG);
}

/** Rows from which linear packs its operands for matmulPacked (below, the dot-product kernel wastes less on padding). */
const PACKED_MIN_ROWS = 16;

/**
 * x·Wᵀ + b on packed operands (matmulPacked): x in strips of 4 rows, W as panels of 8 rows of Wᵀ,
 * the output starting as the bias on every row. Faster than the dot-product kernel for every x of
 * more than a few rows (~30%: the inner loop reads both operands sequentially and needs no
 * horizontal sums); the dot-product kernel stays for weights pinned in their own layout (generation).
 */
function linearPacked(
  wasm: LinearModule, out: Float32Array, x: Float32Array, w: Float32Array, b: Float32Array | null,
  M: number, K: number, N: number,
): boolean {
  const Mp = (M + 3) & ~3, Kq = (K + 3) & ~3, Np = (N + 7) & ~7;
  const stageRel = 0, aRel = stageRel + Math.max(Mp, Np) * Kq, bRel = aRel + Mp * Kq, cRel = bRel + Np * Kq;
  const base = scratch(wasm, (cRel + Mp * Np) * 4);
  if (base < 0) return false;
  const f = heap(wasm), stage = base + stageRel, a = base + aRel, bp = base + bRel, c = base + cRel;
  placeRows(f, x, M, Mp, K, Kq, stage, BIG);
  wasm.packRows(stage * 4, a * 4, Mp, Kq, 4);
  placeRows(f, w, N, Np, K, Kq, stage, BIG);
  wasm.packRows(stage * 4, bp * 4, Np, Kq, 8);
  if (b === null) f.fill(0, c, c + Np);
  else {
    copyFloats(f, c, b, 0, N);
    f.fill(0, c + N, c + Np);
  }
  for (let r = 1; r < Mp; r++) f.copyWithin(c + r * Np, c, c + Np); // the bias on every row
  wasm.matmulPacked(a * 4, bp * 4, c * 4, Mp, Np, Kq);
  takeRows(out, f, c, M, N, Np);
  return true;
}

/** The most memory the kernels use: byte offsets stay positive 32-bit integers. */
const MAX_BYTES = 2 ** 31 - 65536;

/**
 * Grows the module's memory so that `bytes` fit after the pinned weights; returns the float index
 * where the caller's scratch space starts (just after the pinned weights), or −1 when that much
 * memory cannot be had (the caller then leaves the work to JavaScript). Read it through heap().
 */
function scratch(wasm: LinearModule, bytes: number): number {
  const base = pinnedEnd;
  const need = base * 4 + bytes;
  if (need > MAX_BYTES) return -1;
  const have = wasm.memory.buffer.byteLength;
  if (need > have) {
    try {
      wasm.memory.grow(Math.ceil((need - have) / 65536));
    } catch {
      return -1; // the engine refused to grow the memory
    }
  }
  return base;
}

let view: Float32Array | null = null; // the memory as floats; replaced when growing detaches it

function heap(wasm: LinearModule): Float32Array {
  if (view === null || view.buffer !== wasm.memory.buffer) view = new Float32Array(wasm.memory.buffer);
  return view;
}

/**
 * dst[at…] = src[from…from+n]. Copies of up to `loopUpTo` floats (by default 64k: every copy of a
 * single-token step, logits included) run as a loop rather than through a subarray view, so that
 * generation allocates nothing; training's large copies pass a small `loopUpTo` and get memcpy.
 */
function copyFloats(dst: Float32Array, at: number, src: Float32Array, from: number, n: number, loopUpTo = 65536): void {
  if (n > loopUpTo) dst.set(src.subarray(from, from + n), at);
  else for (let i = 0; i < n; i++) dst[at + i] = src[from + i];
}

/** Where one pinned matrix lives in WebAssembly memory: its float offset and its shape [N, K]. @category Kernels */
export interface PinnedMatrix { readonly offset: number; readonly N: number; readonly K: number }

/** Weights copied once into WebAssembly memory (see {@link pinWeights}), by buffer and byte offset. @category Kernels */
export interface PinnedWeights {
  readonly byBuffer: Map<ArrayBuffer, Map<number, PinnedMatrix>>;
}

let pinned: PinnedWeights | null = null; // the set occupying the pinned region
let pinnedEnd = 0; // floats used by it
let active: PinnedWeights | null = null; // consulted only inside withPinnedWeights

/**
 * Copies weight matrices (each `[N, K]`, PyTorch layout) into WebAssembly memory once, so that
 * {@link linearForwardWasm} need not copy them on every call — what makes single-token generation
 * steps fast. A KV cache's keys or values can be pinned too (as `[H·capacity, D]`): then
 * {@link attentionForwardWasm} reads them in place, and {@link updatePinned} keeps the copy in step
 * as tokens are appended. Replaces any earlier pinned set (whose users then fall back to copying).
 * The copies are consulted only inside {@link withPinnedWeights}, so a later change to the arrays can
 * never meet a stale copy outside it. Returns null where WebAssembly is unavailable or switched off,
 * or the matrices do not fit in its memory (2 GB).
 * @category Kernels
 * @example
 * ```ts
 * const pins = pinWeights([{ data: w.data, N: 768, K: 768 }]);
 * withPinnedWeights(pins, () => linear(x, w)); // W is not copied again
 * ```
 */
export function pinWeights(matrices: readonly { data: Float32Array; N: number; K: number }[]): PinnedWeights | null {
  const wasm = enabled ? load() : null;
  if (wasm === null) return null;
  pinned = null;
  pinnedEnd = 0;
  active = null;
  let total = 0;
  for (const m of matrices) total += ((m.N + 3) & ~3) * ((m.K + 3) & ~3);
  if (scratch(wasm, total * 4) < 0) return null;
  const f = heap(wasm);
  const set: PinnedWeights = { byBuffer: new Map() };
  let at = 0;
  for (const { data, N, K } of matrices) {
    const Kp = (K + 3) & ~3, Np = (N + 3) & ~3;
    placeRows(f, data, N, Np, K, Kp, at);
    let byOffset = set.byBuffer.get(data.buffer as ArrayBuffer);
    if (!byOffset) set.byBuffer.set(data.buffer as ArrayBuffer, (byOffset = new Map()));
    byOffset.set(data.byteOffset, { offset: at, N, K });
    at += Np * Kp;
  }
  pinned = set;
  pinnedEnd = at;
  return set;
}

/**
 * Releases a pinned set ({@link pinWeights}): its region of WebAssembly memory is free for the
 * kernels' scratch and the next pinned set. Does nothing if another set has replaced it since.
 * @category Kernels
 * @example
 * ```ts
 * const pins = pinWeights(matrices);
 * try { withPinnedWeights(pins, run); } finally { unpinWeights(pins); }
 * ```
 */
export function unpinWeights(set: PinnedWeights | null): void {
  if (set === null || set !== pinned) return;
  pinned = null;
  pinnedEnd = 0;
  active = null;
}

/**
 * Runs fn with the pinned weights in use (if they are still the pinned set), then stops using them. @category Kernels
 * @example
 * ```ts
 * const y = withPinnedWeights(pins, () => linear(x, w));
 * ```
 */
export function withPinnedWeights<T>(set: PinnedWeights | null, fn: () => T): T {
  if (set === null || set !== pinned) return fn();
  active = set;
  try {
    return fn();
  } finally {
    active = null;
  }
}

function pinnedCopy(w: Float32Array, N: number, K: number): PinnedMatrix | undefined {
  const p = active?.byBuffer.get(w.buffer as ArrayBuffer)?.get(w.byteOffset);
  return p !== undefined && p.N === N && p.K === K ? p : undefined;
}

/**
 * Copies values just written to an array (its floats `start … start + count`) into the array's pinned copy,
 * if it has one in use — what keeps a pinned KV cache in step as tokens are appended. Does nothing otherwise.
 * @param data - the array as pinned (the same buffer and offset)
 * @param start - the first float written
 * @param count - how many floats were written
 * @category Kernels
 * @example
 * ```ts
 * cache.k.set(newKeys, at);
 * updatePinned(cache.k, at, newKeys.length);
 * ```
 */
export function updatePinned(data: Float32Array, start: number, count: number): void {
  const p = active?.byBuffer.get(data.buffer as ArrayBuffer)?.get(data.byteOffset);
  if (p === undefined) return;
  const f = heap(module!);
  const Kp = (p.K + 3) & ~3;
  if (Kp === p.K) {
    copyFloats(f, p.offset + start, data, start, count);
    return;
  }
  for (let i = start, end = start + count; i < end; i++) f[p.offset + Math.floor(i / p.K) * Kp + (i % p.K)] = data[i];
}

/**
 * Whether linear with this weight would find it pinned right now. @category Kernels
 * @example
 * ```ts
 * withPinnedWeights(pins, () => isPinned(w.data, 768, 768)); // true while in use
 * ```
 */
export function isPinned(w: Float32Array, N: number, K: number): boolean {
  return pinnedCopy(w, N, K) !== undefined;
}

/** Copies `rows` rows of K floats to f[at…], each padded to Kp with zeros, then zero rows up to paddedRows. */
function placeRows(f: Float32Array, src: Float32Array, rows: number, paddedRows: number, K: number, Kp: number, at: number, loopUpTo = 65536): void {
  if (Kp === K) copyFloats(f, at, src, 0, rows * K, loopUpTo);
  else for (let r = 0; r < rows; r++) {
    copyFloats(f, at + r * Kp, src, r * K, K, loopUpTo);
    f.fill(0, at + r * Kp + K, at + (r + 1) * Kp);
  }
  f.fill(0, at + rows * Kp, at + paddedRows * Kp);
}

/**
 * Element-wise kernels stream through WebAssembly memory in chunks of this many floats (a multiple
 * of 4), in place: the chunk stays in the core's cache between the copy in, the kernel and the copy out.
 */
const CHUNK = 32768;

/**
 * Row softmax in WebAssembly SIMD, computed in float32 with a vectorised exp (results within a few
 * float32 ulps of the JavaScript kernel's). Needs n to be a multiple of 4; returns false (and does
 * nothing) otherwise, or where the module is unavailable or switched off. `out` may be `x`.
 * @category Kernels
 * @example
 * ```ts
 * if (!softmaxForwardWasm(out, x, rows, n, 1)) softmaxForward(out, x, rows, n, 1);
 * ```
 */
export function softmaxForwardWasm(out: Float32Array, x: Float32Array, rows: number, n: number, invTemperature: number): boolean {
  // 1/temperature beyond float32's range would turn (x − max)·invT into 0·∞ = NaN at the max: JavaScript (float64) takes those
  const wasm = enabled && n % 4 === 0 && Number.isFinite(Math.fround(invTemperature)) ? load() : null;
  if (wasm === null) return false;
  const chunkRows = Math.max(1, Math.floor(CHUNK / n));
  const base = scratch(wasm, Math.min(rows, chunkRows) * n * 4);
  if (base < 0) return false;
  const f = heap(wasm);
  for (let r = 0; r < rows; r += chunkRows) {
    const size = Math.min(chunkRows, rows - r) * n;
    f.set(x.subarray(r * n, r * n + size), base);
    wasm.softmax(base * 4, base * 4, size / n, n, invTemperature);
    out.set(f.subarray(base, base + size), r * n);
  }
  return true;
}

/** Plain attention (as kernels/attention.ts's PLAIN_ATTENTION, which this module cannot import): one constant, no allocation per call. */
const NO_VARIANT = Object.freeze({ group: 1, window: 0, slopes: null });

/**
 * Scaled dot-product attention without a mask (causal or not) in WebAssembly SIMD, head by head,
 * computed in float32: q [BH, T, D], k and v with `kvRows` rows per head (the first S used), out
 * [BH, T, Dv]. Needs D and Dv to be multiples of 4; returns false (and does nothing) otherwise, or
 * where the module is unavailable or switched off. Rows that see no key get zeros.
 * @category Kernels
 * @example
 * ```ts
 * attentionForwardWasm(out, q, k, v, 12, T, T, 64, 64, 1 / 8, true); // 12 causal heads
 * ```
 */
export function attentionForwardWasm(
  out: Float32Array, q: Float32Array, k: Float32Array, v: Float32Array,
  BH: number, T: number, S: number, D: number, Dv: number, scale: number, causal: boolean, kvRows: number = S,
  variant: { readonly group: number; readonly window: number; readonly slopes: Float32Array | null } = NO_VARIANT,
): boolean {
  const wasm = enabled && D % 4 === 0 && Dv % 4 === 0 ? load() : null;
  if (wasm === null) return false;
  // a pinned KV cache (see pinWeights) is read where it lives; otherwise each k/v head is copied in
  // once for the query heads of its group (grouped-query attention reads it H / Hkv times)
  const kvHeads = BH / variant.group;
  const kPin = pinnedCopy(k, kvHeads * kvRows, D), vPin = pinnedCopy(v, kvHeads * kvRows, Dv);
  const base = scratch(wasm, (T * D + (kPin ? 0 : S * D) + (vPin ? 0 : S * Dv) + T * Dv + 2 * S + 8) * 4);
  if (base < 0) return false;
  const f = heap(wasm);
  const qOff = base, oOff = qOff + T * D, sOff = oOff + T * Dv, kOff = sOff + 2 * S + 8, vOff = kOff + (kPin ? 0 : S * D);
  for (let p = 0, copied = -1; p < BH; p++) {
    const kv = Math.floor(p / variant.group);
    copyFloats(f, qOff, q, p * T * D, T * D);
    const kAt = kPin ? kPin.offset + kv * kvRows * D : kOff, vAt = vPin ? vPin.offset + kv * kvRows * Dv : vOff;
    if (kv !== copied) {
      if (!kPin) copyFloats(f, kOff, k, kv * kvRows * D, S * D);
      if (!vPin) copyFloats(f, vOff, v, kv * kvRows * Dv, S * Dv);
      copied = kv;
    }
    const slope = variant.slopes === null ? 0 : variant.slopes[p % variant.slopes.length];
    wasm.attention(qOff * 4, kAt * 4, vAt * 4, oOff * 4, sOff * 4, T, S, D, Dv, scale, causal ? 1 : 0, variant.window, slope);
    copyFloats(out, p * T * Dv, f, oOff, T * Dv);
  }
  return true;
}

/**
 * The attention backward pass without a mask (causal or not) in WebAssembly SIMD, head by head,
 * computed in float32: the gradients of {@link attentionForwardWasm}'s output with respect to q
 * `[BH, T, D]`, k `[BH, S, D]` and v `[BH, S, Dv]`, given dout `[BH, T, Dv]`, added into dq, dk and dv.
 * Needs D and Dv to be multiples of 4; returns false (and does nothing) otherwise, or where the
 * module is unavailable or switched off.
 * @category Kernels
 * @example
 * ```ts
 * if (!attentionBackwardWasm(dq, dk, dv, dout, q, k, v, H, T, T, D, D, 1 / Math.sqrt(D), true)) attentionBackwardReference(…);
 * ```
 */
export function attentionBackwardWasm(
  dq: Float32Array, dk: Float32Array, dv: Float32Array, dout: Float32Array,
  q: Float32Array, k: Float32Array, v: Float32Array,
  BH: number, T: number, S: number, D: number, Dv: number, scale: number, causal: boolean,
): boolean {
  const wasm = enabled && D % 4 === 0 && Dv % 4 === 0 ? load() : null;
  if (wasm === null) return false;
  // every head's operands in one copy each, and the gradients copied in to be added to where they are
  const qn = BH * T * D, kn = BH * S * D, vn = BH * S * Dv, on = BH * T * Dv;
  const base = scratch(wasm, (2 * qn + 2 * kn + 2 * vn + on + 2 * S + 8) * 4);
  if (base < 0) return false;
  const f = heap(wasm);
  const qOff = base, kOff = qOff + qn, vOff = kOff + kn, oOff = vOff + vn, dqOff = oOff + on, dkOff = dqOff + qn, dvOff = dkOff + kn, sOff = dvOff + vn;
  copyFloats(f, qOff, q, 0, qn, BIG);
  copyFloats(f, kOff, k, 0, kn, BIG);
  copyFloats(f, vOff, v, 0, vn, BIG);
  copyFloats(f, oOff, dout, 0, on, BIG);
  copyFloats(f, dqOff, dq, 0, qn, BIG);
  copyFloats(f, dkOff, dk, 0, kn, BIG);
  copyFloats(f, dvOff, dv, 0, vn, BIG);
  for (let p = 0; p < BH; p++) {
    const qp = p * T * D, kp = p * S * D, vp = p * S * Dv, op = p * T * Dv;
    wasm.attentionBackward((qOff + qp) * 4, (kOff + kp) * 4, (vOff + vp) * 4, (oOff + op) * 4, (dqOff + qp) * 4, (dkOff + kp) * 4, (dvOff + vp) * 4, sOff * 4, T, S, D, Dv, scale, causal ? 1 : 0);
  }
  copyFloats(dq, 0, f, dqOff, qn, BIG);
  copyFloats(dk, 0, f, dkOff, kn, BIG);
  copyFloats(dv, 0, f, dvOff, vn, BIG);
  return true;
}


/**
 * GELU (tanh form) in WebAssembly SIMD, float32, element-wise over n values (n a multiple of 4).
 * Returns false (and does nothing) otherwise, or where the module is unavailable or switched off.
 * `out` may be `x`.
 * @category Kernels
 * @example
 * ```ts
 * if (!geluTanhWasm(out, x, n)) geluForward(out, x, n, true);
 * ```
 */
export function geluTanhWasm(out: Float32Array, x: Float32Array, n: number): boolean {
  const wasm = enabled && n % 4 === 0 ? load() : null;
  if (wasm === null) return false;
  const base = scratch(wasm, Math.min(n, CHUNK) * 4);
  if (base < 0) return false;
  const f = heap(wasm);
  for (let i = 0; i < n; i += CHUNK) {
    const size = Math.min(CHUNK, n - i);
    f.set(x.subarray(i, i + size), base);
    wasm.geluTanh(base * 4, base * 4, size);
    out.set(f.subarray(base, base + size), i);
  }
  return true;
}

/**
 * The GELU backward pass (tanh form) in WebAssembly SIMD, float32, over n values (a multiple of 4):
 * dx += dy·gelu′(x), streamed through WebAssembly memory in chunks. Returns false (and does nothing)
 * otherwise, or where the module is unavailable or switched off.
 * @category Kernels
 * @example
 * ```ts
 * if (!geluTanhBackwardWasm(dx, dy, x, n)) geluBackwardKernel(dx, dy, x, n, true);
 * ```
 */
export function geluTanhBackwardWasm(dx: Float32Array, dy: Float32Array, x: Float32Array, n: number): boolean {
  const wasm = enabled && n % 4 === 0 ? load() : null;
  if (wasm === null) return false;
  const chunk = Math.min(n, CHUNK);
  const base = scratch(wasm, 3 * chunk * 4);
  if (base < 0) return false;
  const f = heap(wasm);
  const dxOff = base, dyOff = base + chunk, xOff = dyOff + chunk;
  for (let i = 0; i < n; i += CHUNK) {
    const size = Math.min(CHUNK, n - i);
    f.set(dx.subarray(i, i + size), dxOff);
    f.set(dy.subarray(i, i + size), dyOff);
    f.set(x.subarray(i, i + size), xOff);
    wasm.geluTanhBackward(dxOff * 4, dyOff * 4, xOff * 4, size);
    dx.set(f.subarray(dxOff, dxOff + size), i);
  }
  return true;
}

/**
 * One AdamW update of a tensor in WebAssembly SIMD, in float32 as `torch.optim.AdamW` computes it
 * (same arguments as {@link adamwReference}): the first n − n % 4 values, streamed through WebAssembly
 * memory in chunks; returns how many values it updated (0 where the module is unavailable or
 * switched off), the caller does the rest.
 * @category Kernels
 * @example
 * ```ts
 * const done = adamwWasm(p, g, m, v, decay, 0.9, 0.999, 1e-8, stepSize, bc2Sqrt);
 * ```
 */
export function adamwWasm(
  p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array,
  decay: number, beta1: number, beta2: number, eps: number, stepSize: number, bc2Sqrt: number,
): number {
  const wasm = enabled ? load() : null;
  const n = p.length & ~3;
  if (wasm === null || n === 0) return 0;
  const chunk = Math.min(n, CHUNK);
  const base = scratch(wasm, 4 * chunk * 4);
  if (base < 0) return 0;
  const f = heap(wasm), pOff = base, gOff = pOff + chunk, mOff = gOff + chunk, vOff = mOff + chunk;
  for (let i = 0; i < n; i += CHUNK) {
    const size = Math.min(CHUNK, n - i);
    f.set(p.subarray(i, i + size), pOff);
    f.set(g.subarray(i, i + size), gOff);
    f.set(m.subarray(i, i + size), mOff);
    f.set(v.subarray(i, i + size), vOff);
    wasm.adamw(pOff * 4, gOff * 4, mOff * 4, vOff * 4, size, 1 - decay, beta1, beta2, eps, stepSize, bc2Sqrt);
    p.set(f.subarray(pOff, pOff + size), i);
    m.set(f.subarray(mOff, mOff + size), i);
    v.set(f.subarray(vOff, vOff + size), i);
  }
  return n;
}
