// The WebAssembly SIMD entry points of the ops, over the default kernel backend (src/backend/):
// each places its operands in the backend's memory (or finds them there), runs a kernel, and takes
// the result back; each returns false (and does nothing) where the backend is unavailable or
// switched off, or leaves the shape to the JavaScript kernels.
import { wasmBackend } from "../backend/index";
import { panelsOwner } from "../backend/wasm";
import { WASM_MIN_ROWS } from "../backend/thresholds";
import { WEIGHT_TYPES, type WeightType, isBlockType } from "./weight-types";
import { wasmCrossEntropy, wasmCrossEntropyBackward, wasmLayerNorm, wasmLayerNormBackward, wasmAdd, wasmMoveRows, wasmAllFinite, wasmSiluGated, wasmLinear16, wasmLinearQ8, wasmWidenHalf, wasmAdamw, wasmAttention, wasmAttentionBackward, wasmGeluTanh, wasmGeluTanhBackward, wasmLinear, wasmLinearBackward, wasmSoftmax } from "../backend/ops";

export { useWasm, wasmStatus, type WasmStatus } from "../backend/index";
export { WASM_MIN_ROWS };

/**
 * x·Wᵀ + b in WebAssembly SIMD (x [M, K], w [N, K], b [N] or null). Operands that live in the
 * kernels' memory (a generation's weights and activations) are read and written there; the others
 * are copied in, zero-padded to the kernel's tile sizes, and the result copied back.
 * @category Kernels
 * @example
 * ```ts
 * if (!linearForwardWasm(out, x, w, b, M, K, N)) linearForward(out, x, w, b, M, K, N);
 * ```
 */
export function linearForwardWasm(out: Float32Array, x: Float32Array, w: Float32Array, b: Float32Array | null, M: number, K: number, N: number): boolean {
  const be = panelsOwner(w) ?? wasmBackend(); // a weight kept as panels runs on its backend, whatever useWasm says
  return be === null ? false : wasmLinear(be, out, x, w, b, M, K, N);
}

/**
 * Whether linear finds this weight `[N, K]` in the kernels' memory right now (a live generation's
 * weights), so that even a single row runs in WebAssembly. @category Kernels
 * @example
 * ```ts
 * isResident(w.data, 768, 768); // true for the weights of a running generation
 * ```
 */
export function isResident(w: Float32Array, N: number, K: number): boolean {
  return (panelsOwner(w) ?? wasmBackend())?.hasWeight(w, N, K) ?? false;
}

/** Whether w is a generation's weight kept as the kernels' panels (readable by the WebAssembly kernels only). @category Kernels
 * @example
 * ```ts
 * isPanels(new Float32Array(4)); // false
 * ```
 */
export function isPanels(w: Float32Array): boolean {
  return panelsOwner(w) !== undefined;
}

/**
 * The linear backward pass in WebAssembly SIMD, added into dx `[M, K]`, dw `[N, K]` and db `[N]` (each
 * may be null), for dy `[M, N]`, x `[M, K]`, w `[N, K]`: dx += dy·W, dW += dyᵀ·x, db += Σ_rows dy —
 * with no transposed copies: the operands are copied into WebAssembly memory already packed the way
 * the kernel reads them. Computed in float32.
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
  const be = wasmBackend();
  return be === null ? false : wasmLinearBackward(be, dx, dw, db, dy, x, w, M, K, N);
}

/**
 * Row softmax in WebAssembly SIMD, computed in float32 with a vectorised exp (results within a few
 * float32 ulps of the JavaScript kernel's). Needs n to be a multiple of 4. `out` may be `x`.
 * @category Kernels
 * @example
 * ```ts
 * if (!softmaxForwardWasm(out, x, rows, n, 1)) softmaxForward(out, x, rows, n, 1);
 * ```
 */
export function softmaxForwardWasm(out: Float32Array, x: Float32Array, rows: number, n: number, invTemperature: number): boolean {
  const be = wasmBackend();
  return be === null ? false : wasmSoftmax(be, out, x, rows, n, invTemperature);
}

/** Plain attention: one constant, no allocation per call. */
const NO_VARIANT = Object.freeze({ group: 1, window: 0, slopes: null });

/**
 * Scaled dot-product attention without a mask (causal or not) in WebAssembly SIMD, head by head,
 * computed in float32: q [BH, T, D], k and v with `kvRows` rows per head (the first S used), out
 * [BH, T, Dv]. Needs D and Dv to be multiples of 4. Rows that see no key get zeros. A KV cache in
 * the kernels' memory is read where it is.
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
  const b = wasmBackend();
  return b !== null && wasmAttention(b, out, q, k, v, { BH, T, S, D, Dv, scale, causal, kvRows, group: variant.group, window: variant.window, slopes: variant.slopes });
}

/**
 * The attention backward pass without a mask (causal or not) in WebAssembly SIMD, head by head,
 * computed in float32: the gradients of {@link attentionForwardWasm}'s output with respect to q
 * `[BH, T, D]`, k `[BH, S, D]` and v `[BH, S, Dv]`, given dout `[BH, T, Dv]`, added into dq, dk and dv.
 * Needs D and Dv to be multiples of 4.
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
  const b = wasmBackend();
  return b !== null && wasmAttentionBackward(b, dq, dk, dv, dout, q, k, v, { BH, T, S, D, Dv, scale, causal, kvRows: S, group: 1, window: 0, slopes: null });
}

/**
 * GELU (tanh form) in WebAssembly SIMD, float32, element-wise over n values (n a multiple of 4).
 * `out` may be `x`.
 * @category Kernels
 * @example
 * ```ts
 * if (!geluTanhWasm(out, x, n)) geluForward(out, x, n, true);
 * ```
 */
export function geluTanhWasm(out: Float32Array, x: Float32Array, n: number): boolean {
  const be = wasmBackend();
  return be === null ? false : wasmGeluTanh(be, out, x, n);
}

/**
 * SwiGLU's out = silu(gate)·up in WebAssembly SIMD, float32, over n values (a multiple of 4) that
 * all live in the kernels' memory (a generation's workspace); false otherwise.
 * @category Kernels
 * @example
 * ```ts
 * if (!siluGatedWasm(out, gate, up, n)) gatedForward(out, gate, up, n, "silu");
 * ```
 */
export function siluGatedWasm(out: Float32Array, gate: Float32Array, up: Float32Array, n: number): boolean {
  const be = wasmBackend();
  return be === null ? false : wasmSiluGated(be, out, gate, up, n);
}

/**
 * The GELU backward pass (tanh form) in WebAssembly SIMD, float32, over n values (a multiple of 4):
 * dx += dy·gelu′(x), streamed through WebAssembly memory in chunks.
 * @category Kernels
 * @example
 * ```ts
 * if (!geluTanhBackwardWasm(dx, dy, x, n)) geluBackwardKernel(dx, dy, x, n, true);
 * ```
 */
export function geluTanhBackwardWasm(dx: Float32Array, dy: Float32Array, x: Float32Array, n: number): boolean {
  const be = wasmBackend();
  return be === null ? false : wasmGeluTanhBackward(be, dx, dy, x, n);
}

/** out = x + y over the first n − n % 4 values in WebAssembly, where all three live in the kernels' memory; returns how many it added (0 elsewhere: the caller adds them). */
export function addWasm(out: Float32Array, x: Float32Array, y: Float32Array, n: number): number {
  const be = wasmBackend();
  return be === null ? 0 : wasmAdd(be, out, x, y, n);
}

/** `count` runs of `width` floats from src to dst in WebAssembly, where both live in the kernels' memory (runs as wasmMoveRows takes them); false elsewhere. */
export function moveRowsWasm(dst: Float32Array, src: Float32Array, width: number, runs: ArrayLike<number>, count: number): boolean {
  const be = wasmBackend();
  return be !== null && wasmMoveRows(be, dst, src, width, runs, count);
}

/** layerNormForward in WebAssembly (the same float64 arithmetic, the same bits), where every array lives in the kernels' memory; false elsewhere. */
export function layerNormWasm(out: Float32Array, mean: Float32Array | null, rstd: Float32Array | null, x: Float32Array, w: Float32Array, b: Float32Array | null, rows: number, C: number, eps: number): boolean {
  const be = wasmBackend();
  return be !== null && wasmLayerNorm(be, out, mean, rstd, x, w, b, rows, C, eps);
}

/** layerNormBackwardKernel in WebAssembly (the same float64 arithmetic, the same bits), where every array lives in the kernels' memory; false elsewhere. */
export function layerNormBackwardWasm(dx: Float32Array, dw: Float32Array, db: Float32Array | null, dy: Float32Array, x: Float32Array, w: Float32Array, mean: Float32Array, rstd: Float32Array, rows: number, C: number): boolean {
  const be = wasmBackend();
  return be !== null && wasmLayerNormBackward(be, dx, dw, db, dy, x, w, mean, rstd, rows, C);
}

/** crossEntropyKernel in WebAssembly where the logits live in the kernels' memory (the same bits); null elsewhere. */
export function crossEntropyWasm(logits: Float32Array, targets: ArrayLike<number>, rows: number, V: number): number | null {
  const be = wasmBackend();
  return be === null ? null : wasmCrossEntropy(be, logits, targets, rows, V);
}

/** crossEntropyBackwardKernel in WebAssembly where dlogits and logits live in the kernels' memory (the same bits); false elsewhere. */
export function crossEntropyBackwardWasm(dlogits: Float32Array, logits: Float32Array, targets: ArrayLike<number>, rows: number, V: number, scale: number): boolean {
  const be = wasmBackend();
  return be !== null && wasmCrossEntropyBackward(be, dlogits, logits, targets, rows, V, scale);
}

/** Whether no value of x is ±∞ or NaN, scanned in WebAssembly where the kernels' memory holds x (a training step's store); null elsewhere (the caller scans). */
export function allFiniteWasm(x: Float32Array): boolean | null {
  const be = wasmBackend();
  return be === null ? null : wasmAllFinite(be, x);
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
  const be = wasmBackend();
  return be === null ? 0 : wasmAdamw(be, p, g, m, v, decay, beta1, beta2, eps, stepSize, bc2Sqrt);
}

/**
 * x·Wᵀ + b over a weight stored in 16 bits (`w` its bytes: `[N, K]` F16 or BF16 values) in
 * WebAssembly SIMD, widened to float32 inside the kernel and summed in float32: a generation step
 * streams 2 bytes per weight instead of 4.
 * @category Kernels
 * @example
 * ```ts
 * if (!linear16Wasm(out, x, q.bytes, "f16", null, M, K, N)) linearTypedReference(out, x, q.bytes, "f16", null, M, K, N);
 * ```
 */
export function linear16Wasm(out: Float32Array, x: Float32Array, w: Uint8Array, type: "f16" | "bf16", b: Float32Array | null, M: number, K: number, N: number): boolean {
  const be = wasmBackend();
  return be !== null && wasmLinear16(be, out, x, w, type === "f16" ? 0 : 1, b, M, K, N);
}

/**
 * x·Wᵀ + b over a weight in a block format (Q8_0, Q4_0, Q4_1, Q5_0, Q5_1; `w`
 * its bytes, `[N, K]` values): the activations quantized per block of 32 to int8 with a float32
 * scale, as llama.cpp meets these weights, then integer dot products. false when the kernels are
 * off (the caller then runs linearTypedReference).
 * @category Kernels
 * @example
 * ```ts
 * if (!linearBlocksWasm(out, x, q.bytes, "q8_0", null, M, K, N)) linearTypedReference(out, x, q.bytes, "q8_0", null, M, K, N);
 * ```
 */
export function linearBlocksWasm(out: Float32Array, x: Float32Array, w: Uint8Array, type: WeightType, b: Float32Array | null, M: number, K: number, N: number): boolean {
  const kind = WEIGHT_TYPES[type].wasmKind;
  if (!isBlockType(type) || kind < 0 || K % 32 !== 0) return false;
  const be = wasmBackend();
  return be !== null && wasmLinearQ8(be, out, x, w, kind, b, M, K, N);
}

/**
 * dst[dstAt …) = the float32 values of the n binary16 bits at src[srcAt …), in WebAssembly SIMD
 * where both are in the kernels' memory (a generation's f16 KV cache); false otherwise.
 * @category Kernels
 * @example
 * ```ts
 * if (!widenHalfWasm(rows, 0, cacheBits, 0, n)) for (let i = 0; i < n; i++) rows[i] = halfToFloat(cacheBits[i]);
 * ```
 */
export function widenHalfWasm(dst: Float32Array, dstAt: number, src: Uint16Array, srcAt: number, n: number): boolean {
  const be = wasmBackend();
  return be !== null && wasmWidenHalf(be, dst, dstAt, src, srcAt, n);
}
