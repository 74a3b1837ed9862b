// The WebAssembly SIMD path. The module is assembled from src/wasm/kernels.wat at build time and
// inlined as base64; it is instantiated synchronously on first use (it is under 2 kB, well under
// the browsers' 4 kB limit for synchronous compilation on the main thread). Where WebAssembly or its SIMD is missing, or
// after useWasm(false), every op runs its JavaScript kernel.
import { KERNELS_WASM } from "../wasm/generated";

/** The little of the WebAssembly API used here (the library's TypeScript lib has no DOM types). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

interface LinearModule {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  linear(x: number, w: number, b: number, out: number, M: number, K: number, N: number, panel: number): void;
  softmax(x: number, out: number, rows: number, n: number, invT: number): void;
  geluTanh(x: number, out: number, n: number): void;
  attention(q: number, k: number, v: number, out: number, sc: number, T: number, S: number, D: number, Dv: number, scale: number, causal: number): void;
}

let module: LinearModule | null | undefined; // undefined: not tried yet
let enabled = true;

function load(): LinearModule | null {
  if (module !== undefined) return module;
  module = null;
  try {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (api !== undefined && typeof atob === "function") {
      const bytes = Uint8Array.from(atob(KERNELS_WASM), (c) => c.charCodeAt(0));
      if (api.validate(bytes)) module = new api.Instance(new api.Module(bytes)).exports as LinearModule;
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
 * Whether the WebAssembly SIMD kernels can run here, and whether they are switched on.
 * @category Kernels
 * @example
 * ```ts
 * wasmStatus(); // { available: true, enabled: true } in Node 20 and current browsers
 * ```
 */
export function wasmStatus(): { available: boolean; enabled: boolean } {
  return { available: load() !== null, enabled };
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
  const Kp = (K + 3) & ~3, Mp = (M + 1) & ~1, Np = (N + 3) & ~3;
  const pin = pinnedCopy(w, N, K);
  const xRel = 0, wRel = Mp * Kp, bRel = wRel + (pin ? 0 : Np * Kp), oRel = bRel + Np;
  const space = scratch(wasm, (oRel + Mp * Np) * 4);
  if (space === null) return false;
  const [f, base] = space;
  const xOff = base + xRel, wOff = pin ? pin.offset : base + wRel, bOff = base + bRel, oOff = base + oRel;
  placeRows(f, x, M, Mp, K, Kp, xOff);
  if (!pin) placeRows(f, w, N, Np, K, Kp, wOff);
  if (b === null) f.fill(0, bOff, bOff + Np);
  else {
    f.set(b.subarray(0, N), bOff);
    f.fill(0, bOff + N, bOff + Np);
  }
  wasm.linear(xOff * 4, wOff * 4, bOff * 4, oOff * 4, Mp, Kp, Np, PANEL);
  if (Np === N) out.set(f.subarray(oOff, oOff + M * N));
  else for (let r = 0; r < M; r++) out.set(f.subarray(oOff + r * Np, oOff + r * Np + N), r * N);
  return true;
}

/** The most memory the kernels use: byte offsets stay positive 32-bit integers. */
const MAX_BYTES = 2 ** 31 - 65536;

/**
 * The module's memory as floats, grown so that `bytes` fit after the pinned weights; returns the
 * floats and the index where the caller's scratch space starts (just after the pinned weights), or
 * null when that much memory cannot be had (the caller then leaves the work to JavaScript).
 */
function scratch(wasm: LinearModule, bytes: number): [Float32Array, number] | null {
  const base = pinnedEnd;
  const need = base * 4 + bytes;
  if (need > MAX_BYTES) return null;
  const have = wasm.memory.buffer.byteLength;
  if (need > have) {
    try {
      wasm.memory.grow(Math.ceil((need - have) / 65536));
    } catch {
      return null; // the engine refused to grow the memory
    }
  }
  return [new Float32Array(wasm.memory.buffer), base];
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
 * steps fast. Replaces any earlier pinned set (whose users then fall back to copying). The copies
 * are consulted only inside {@link withPinnedWeights}, so a later change to the arrays can never
 * meet a stale copy outside it. Returns null where WebAssembly is unavailable or switched off, or
 * the matrices do not fit in its memory (2 GB).
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
  const space = scratch(wasm, total * 4);
  if (space === null) return null;
  const [f] = space;
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
function placeRows(f: Float32Array, src: Float32Array, rows: number, paddedRows: number, K: number, Kp: number, at: number): void {
  if (Kp === K) f.set(src.subarray(0, rows * K), at);
  else for (let r = 0; r < rows; r++) {
    f.set(src.subarray(r * K, (r + 1) * K), at + r * Kp);
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
  const wasm = enabled && n % 4 === 0 ? load() : null;
  if (wasm === null) return false;
  const chunkRows = Math.max(1, Math.floor(CHUNK / n));
  const space = scratch(wasm, Math.min(rows, chunkRows) * n * 4);
  if (space === null) return false;
  const [f, base] = space;
  for (let r = 0; r < rows; r += chunkRows) {
    const size = Math.min(chunkRows, rows - r) * n;
    f.set(x.subarray(r * n, r * n + size), base);
    wasm.softmax(base * 4, base * 4, size / n, n, invTemperature);
    out.set(f.subarray(base, base + size), r * n);
  }
  return true;
}

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
): boolean {
  const wasm = enabled && D % 4 === 0 && Dv % 4 === 0 ? load() : null;
  if (wasm === null) return false;
  const space = scratch(wasm, (T * D + S * D + S * Dv + T * Dv + S + 8) * 4);
  if (space === null) return false;
  const [f, base] = space;
  const qOff = base, kOff = qOff + T * D, vOff = kOff + S * D, oOff = vOff + S * Dv, sOff = oOff + T * Dv;
  for (let p = 0; p < BH; p++) {
    f.set(q.subarray(p * T * D, (p + 1) * T * D), qOff);
    f.set(k.subarray(p * kvRows * D, (p * kvRows + S) * D), kOff);
    f.set(v.subarray(p * kvRows * Dv, (p * kvRows + S) * Dv), vOff);
    wasm.attention(qOff * 4, kOff * 4, vOff * 4, oOff * 4, sOff * 4, T, S, D, Dv, scale, causal ? 1 : 0);
    out.set(f.subarray(oOff, oOff + T * Dv), p * T * Dv);
  }
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
  const space = scratch(wasm, Math.min(n, CHUNK) * 4);
  if (space === null) return false;
  const [f, base] = space;
  for (let i = 0; i < n; i += CHUNK) {
    const size = Math.min(CHUNK, n - i);
    f.set(x.subarray(i, i + size), base);
    wasm.geluTanh(base * 4, base * 4, size);
    out.set(f.subarray(base, base + size), i);
  }
  return true;
}
