import { addWasm } from "./wasm";

/**
 * The residual connection: out[i] = x[i] + y[i] over n values (out may be x: the stream updated in
 * place). Both families' forwards, lesson and kernel, add through this one loop.
 * @category Kernels
 * @example
 * ```ts
 * residualAdd(x, x, attnOut, T * C); // x += attention's output
 * ```
 */
export function residualAdd(out: Float32Array, x: Float32Array, y: Float32Array, n: number): void {
  // a float32 sum rounded from float64 is the float32 sum: the same bits in WebAssembly, where the arrays live in its memory
  for (let i = addWasm(out, x, y, n); i < n; i++) out[i] = x[i] + y[i];
}
