/**
 * Where each op hands its work to WebAssembly, in one place. Below these sizes copying the
 * operands into WebAssembly memory and back costs more than the SIMD kernel saves (measured with
 * `npm run bench ops` on this project's 2-core x86-64 machines, Node 20: the crossover of the
 * JavaScript and WebAssembly timings of each op, rounded to a power of two). A weight already in
 * the kernels' memory needs no copy, so linear takes it at any number of rows.
 * @module
 */

/** Rows of x from which linear runs in WebAssembly when its weight must be copied in. */
export const WASM_MIN_ROWS = 16;
/** Rows of x from which a product whose weight must be copied packs both operands for matmulPacked. */
export const PACKED_MIN_ROWS = 16;
/** Rows of W the dot-product kernel keeps hot while every row of x passes over them. */
export const LINEAR_PANEL = 64;
/** Values (rows × n) from which softmax runs in WebAssembly. */
export const SOFTMAX_MIN_VALUES = 4096;
/** Values from which GELU and its backward pass run in WebAssembly. */
export const GELU_MIN_VALUES = 4096;
/** Values of a tensor from which AdamW runs in WebAssembly. */
export const ADAMW_MIN_VALUES = 1024;
