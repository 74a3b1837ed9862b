// The weight types the linear kernels read (ggml's type_traits): for each, its bytes per value and a
// reference conversion of one value to float32, beside the WebAssembly widening (backend/ops.ts).
// A new type is a new entry here (the block formats join it next: their row of blocks instead of values).
import { bf16ToFloat, halfToFloat } from "./half";

/** The weight types linear reads. */
export type WeightType = "f32" | "f16" | "bf16";

/** One weight type: what a value costs and how the reference kernel reads one. */
export interface WeightTypeTraits {
  /** Bytes per value. */
  readonly bytes: number;
  /** The value of the `i`-th value of a row of bytes (little-endian). */
  readonly read: (bytes: DataView, i: number) => number;
  /** The WebAssembly module's code for widen16 / linearRow16 (-1: float32, read as is). */
  readonly wasmKind: number;
}

/**
 * The weight-type table: bytes per value, the reference reader, the WebAssembly kernels' code.
 * @category Kernels
 * @example
 * ```ts
 * WEIGHT_TYPES.f16.bytes; // 2
 * ```
 */
export const WEIGHT_TYPES: Readonly<Record<WeightType, WeightTypeTraits>> = {
  f32: { bytes: 4, read: (b, i) => b.getFloat32(4 * i, true), wasmKind: -1 },
  f16: { bytes: 2, read: (b, i) => halfToFloat(b.getUint16(2 * i, true)), wasmKind: 0 },
  bf16: { bytes: 2, read: (b, i) => bf16ToFloat(b.getUint16(2 * i, true)), wasmKind: 1 },
};

/**
 * x·Wᵀ + b over a weight stored as `type` (x [M, K], the weight's bytes `[N, K]` values, b [N] or
 * null), each dot product summed in float64 over the widened values: the reference every faster path
 * is tested against.
 * @category Kernels
 * @example
 * ```ts
 * linearTypedReference(out, x, q.bytes, "f16", null, M, K, N);
 * ```
 */
export function linearTypedReference(
  out: Float32Array, x: Float32Array, w: Uint8Array, type: WeightType, b: Float32Array | null, M: number, K: number, N: number,
): void {
  const t = WEIGHT_TYPES[type], view = new DataView(w.buffer, w.byteOffset, w.byteLength);
  const row = new Float64Array(K);
  for (let j = 0; j < N; j++) {
    for (let k = 0; k < K; k++) row[k] = t.read(view, j * K + k);
    for (let i = 0; i < M; i++) {
      let acc = b === null ? 0 : b[j];
      for (let k = 0; k < K; k++) acc += x[i * K + k] * row[k];
      out[i * N + j] = acc;
    }
  }
}
