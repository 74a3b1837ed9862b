/**
 * Where each op hands its work to WebAssembly, in one place. They also draw a line in the numerics
 * that the docs promise (below them the JavaScript kernels sum in float64; `linear`'s remarks):
 * moving one is a change users can see, not only a speed-up. Measured again with the kernel backend
 * (Node 20, this project's 2-vCPU machines, weights copied in per call): the WebAssembly kernel is
 * already faster from 1 row for a 768×768 weight (0.25 against 0.43 ms) and from about 4 rows for
 * 128×512; softmax and GELU from 256 values. Kept where they were; a weight already in the kernels'
 * memory runs there at any number of rows.
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
/** Floats from which heads are moved between layouts in WebAssembly (below, a generation step's few rows: the JavaScript loop). */
export const MOVE_MIN_FLOATS = 4096;
/** Values of a tensor from which AdamW runs in WebAssembly. */
export const ADAMW_MIN_VALUES = 1024;
/**
 * Multiply-adds (or, for softmax, values × 8) from which a kernel is split over the threads
 * ({@link setThreads}): a dispatch costs 2–5 µs when the workers are awake and 20–120 µs when
 * they must be woken, against about 16 µs for this much work on one thread.
 */
export const THREAD_MIN_MACS = 65536;
