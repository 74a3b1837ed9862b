// linear over a weight of any type of the table, at the kernels' level (flat arrays, no checks):
// float32 data to the float kernels, stored bytes to their type's kernel (the 16-bit widening, the
// block formats' integer dot products, the K-quants' too) or else the reference (the K-quants: widened to float32). What linear() and both families'
// workspaces call where a weight matrix is read.
import { linearKernel } from "./linear";
import { WEIGHT_TYPES, type WeightType, linearTypedReference, typeBytes } from "./weight-types";
import { linear16Wasm, linearBlocksWasm } from "./wasm";

/** A weight as the kernels see it: float32 values, or ggml's bytes of a type of the table. */
export type KernelWeight = { readonly data: Float32Array } | { readonly type: WeightType; readonly bytes: Uint8Array };

/**
 * out [M, N] = x [M, K] · Wᵀ + b for W `[N, K]` of any weight type.
 * @category Kernels
 * @example
 * ```ts
 * linearWeightKernel(out, x, params.h[0].attn.q.weight, null, T, C, C); // a Tensor or a QuantizedTensor
 * ```
 */
export function linearWeightKernel(out: Float32Array, x: Float32Array, w: KernelWeight, b: Float32Array | null, M: number, K: number, N: number): void {
  if ("data" in w) return linearKernel(out, x, w.data, b, M, K, N);
  const { type, bytes } = w;
  if (type === "f32") {
    const data = bytes.byteOffset % 4 === 0 ? new Float32Array(bytes.buffer, bytes.byteOffset, N * K) : new Float32Array(bytes.slice(0, N * K * 4).buffer);
    linearKernel(out, x, data, b, M, K, N);
  } else if (type === "f16" || type === "bf16") {
    if (!linear16Wasm(out, x, bytes, type, b, M, K, N)) linearTypedReference(out, x, bytes, type, b, M, K, N);
  } else if (!linearBlocksWasm(out, x, bytes, type, b, M, K, N)) {
    if (WEIGHT_TYPES[type].blockSize !== 256) linearTypedReference(out, x, bytes, type, b, M, K, N);
    else { // the K-quants without the WebAssembly kernels: widened to float32 for the float kernels
      const wide = new Float32Array(N * K);
      WEIGHT_TYPES[type].dequantizeRow(bytes, 0, wide, 0, N * K);
      linearKernel(out, x, wide, b, M, K, N);
    }
  }
}

/**
 * out[t, :] = W[ids[t], :] (+ P[offset + t, :] where a position table P is given) for tables
 * `[V, C]` and `[maxT, C]` of any weight type: each row gathered and, where stored, dequantized as
 * it is gathered.
 * @category Kernels
 * @example
 * ```ts
 * embeddingWeightKernel(out, [2, 0], params.wte, params.wpe, 2, C, 0);
 * ```
 */
export function embeddingWeightKernel(out: Float32Array, ids: ArrayLike<number>, w: KernelWeight, wpe: KernelWeight | null, T: number, C: number, offset: number): void {
  for (let t = 0; t < T; t++) gatherRow(out, t * C, w, ids[t], C);
  if (wpe === null) return;
  const row = "data" in wpe ? null : new Float32Array(C);
  for (let t = 0; t < T; t++) {
    const o = t * C;
    let p = wpe, at = (offset + t) * C;
    if (row !== null) { gatherRow(row, 0, wpe, offset + t, C); p = { data: row }; at = 0; }
    const d = (p as { data: Float32Array }).data;
    for (let c = 0; c < C; c++) out[o + c] += d[at + c];
  }
}

/** dst[at …] = row r of a table of any weight type (C values). */
function gatherRow(dst: Float32Array, at: number, w: KernelWeight, r: number, C: number): void {
  if ("data" in w) dst.set(w.data.subarray(r * C, r * C + C), at);
  else WEIGHT_TYPES[w.type].dequantizeRow(w.bytes, r * typeBytes(w.type, C), dst, at, C);
}
