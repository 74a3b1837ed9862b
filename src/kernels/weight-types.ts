// The weight types the linear kernels read (ggml's type_traits): for each, its block (values and
// bytes), the reference conversions of a row, and the WebAssembly module's code for it
// (backend/ops.ts). A new type is a new file in blocks/ and an entry here.
import type { BlockCodec } from "./blocks/common";
import { BF16, F16, F32 } from "./blocks/floats";
import { Q8_0 } from "./blocks/q8_0";
import { Q4_0 } from "./blocks/q4_0";
import { Q4_1 } from "./blocks/q4_1";
import { Q5_0 } from "./blocks/q5_0";
import { Q5_1 } from "./blocks/q5_1";
import { Q4_K } from "./blocks/q4_k";
import { Q5_K } from "./blocks/q5_k";
import { Q6_K } from "./blocks/q6_k";

/** The weight types linear reads: the float formats and ggml's block formats. */
export type WeightType = "f32" | "f16" | "bf16" | "q8_0" | "q4_0" | "q4_1" | "q5_0" | "q5_1" | "q4_k" | "q5_k" | "q6_k";

/** One weight type: its block, a row's conversions (n a multiple of blockSize), and its WebAssembly code. */
export interface WeightTypeTraits extends BlockCodec {
  /**
   * The WebAssembly kernels' code: for the 16-bit floats, widen16 / linearRow16's kind (0 F16,
   * 1 BF16); for the block formats, linearQ8's kind (0 Q8_0, 1 Q4_0, 2 Q4_1, 3 Q5_0, 4 Q5_1,
   * 5 Q4_K, 6 Q5_K, 7 Q6_K); -1 for F32, read as it is.
   */
  readonly wasmKind: number;
}

/**
 * The weight-type table: values and bytes per block, the reference conversions, the WebAssembly
 * kernels' code.
 * @category Kernels
 * @example
 * ```ts
 * WEIGHT_TYPES.q8_0.blockBytes / WEIGHT_TYPES.q8_0.blockSize; // 1.0625 bytes a value
 * ```
 */
export const WEIGHT_TYPES: Readonly<Record<WeightType, WeightTypeTraits>> = {
  f32: { ...F32, wasmKind: -1 },
  f16: { ...F16, wasmKind: 0 },
  bf16: { ...BF16, wasmKind: 1 },
  q8_0: { ...Q8_0, wasmKind: 0 },
  q4_0: { ...Q4_0, wasmKind: 1 },
  q4_1: { ...Q4_1, wasmKind: 2 },
  q5_0: { ...Q5_0, wasmKind: 3 },
  q5_1: { ...Q5_1, wasmKind: 4 },
  q4_k: { ...Q4_K, wasmKind: 5 },
  q5_k: { ...Q5_K, wasmKind: 6 },
  q6_k: { ...Q6_K, wasmKind: 7 },
};

/** Whether `type` stores blocks of 32 or more values (ggml's block formats) rather than one value a block. */
export const isBlockType = (type: WeightType): boolean => WEIGHT_TYPES[type].blockSize > 1;

/** The bytes of `count` values of `type` (count a multiple of its block). */
export const typeBytes = (type: WeightType, count: number): number => (count / WEIGHT_TYPES[type].blockSize) * WEIGHT_TYPES[type].blockBytes;

/**
 * x·Wᵀ + b over a weight stored as `type` (x [M, K], the weight's bytes `[N, K]` values, b [N] or
 * null): each row of W dequantized to float32, each dot product summed in float64 — the reference
 * every faster path is tested against.
 * @category Kernels
 * @example
 * ```ts
 * linearTypedReference(out, x, q.bytes, "q8_0", null, M, K, N);
 * ```
 */
export function linearTypedReference(
  out: Float32Array, x: Float32Array, w: Uint8Array, type: WeightType, b: Float32Array | null, M: number, K: number, N: number,
): void {
  const t = WEIGHT_TYPES[type], rowBytes = typeBytes(type, K), row = new Float32Array(K);
  for (let j = 0; j < N; j++) {
    t.dequantizeRow(w, j * rowBytes, row, 0, K);
    for (let i = 0; i < M; i++) {
      let acc = b === null ? 0 : b[j];
      for (let k = 0; k < K; k++) acc += x[i * K + k] * row[k];
      out[i * N + j] = acc;
    }
  }
}
