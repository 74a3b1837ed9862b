/**
 * The WebAssembly modules: assembled from src/wasm/kernels.wat (and quant.wat, the block formats' integer kernels) at build time and inlined as base64
 * in four variants — its memory unshared or shared (one flag byte apart), its multiply-adds as written or fused
 * (relaxed SIMD's f32x4.relaxed_madd, one FMA instruction where the CPU has one). The fused one is
 * used where the engine validates it (Node 22+, current browsers), the plain one elsewhere
 * (Node 20). It is instantiated synchronously: about 13 kB (quant.wat 17 kB), far under the 8 MB that current browsers
 * allow synchronous compilation on the main thread.
 * @module
 */
import { KERNELS_FMA_SHARED_FLAG, KERNELS_FMA_WASM, KERNELS_SHARED_FLAG, KERNELS_WASM, QUANT_FMA_SHARED_FLAG, QUANT_FMA_WASM, QUANT_SHARED_FLAG, QUANT_WASM, ROWS_FMA_SHARED_FLAG, ROWS_FMA_WASM, ROWS_SHARED_FLAG, ROWS_WASM } from "../wasm/generated";
import type { WasmMemory } from "./memory";

/** The little of the WebAssembly API used here (the library's TypeScript lib has no DOM types). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/**
 * The module's exports, as src/wasm/kernels.wat declares them (pointers are byte offsets into the
 * memory; see the ABI section at the top of the .wat). scripts/build-wasm.mjs checks every build
 * against this list: the same names, the same number of arguments.
 */
export interface KernelExports {
  linear(x: number, w: number, b: number, out: number, M: number, K: number, N: number, panel: number): void;
  linearRow(x: number, w: number, b: number, out: number, K: number, N: number): void;
  linearPackedRow(x: number, w: number, b: number, out: number, K: number, N: number): void;
  widen16(src: number, dst: number, n: number, kind: number): void;
  linearRow16(x: number, w: number, b: number, out: number, K: number, N: number, kind: number): void;
  softmax(x: number, out: number, rows: number, n: number, invT: number): void;
  matmulPacked(a: number, b: number, c: number, M: number, N: number, K: number): void;
  packPanels(src: number, dst: number, K: number, cols: number, N: number): void;
  columnSums(src: number, dst: number, M: number, cols: number, N: number): void;
  packColumns(src: number, dst: number, K: number, cols: number, N: number): void;
  packRows(src: number, dst: number, M: number, K: number, group: number): void;
  geluTanh(x: number, out: number, n: number): void;
  siluGated(gate: number, up: number, out: number, n: number): void;
  geluTanhBackward(dx: number, dy: number, x: number, n: number): void;
  adamw(p: number, g: number, m: number, v: number, n: number, keep: number, b1: number, b2: number, eps: number, stepSize: number, bc2Sqrt: number): void;
  attention(q: number, k: number, v: number, out: number, sc: number, T: number, S: number, D: number, Dv: number, scale: number, causal: number, window: number, slope: number): void;
  attentionBackward(q: number, k: number, v: number, dout: number, dq: number, dk: number, dv: number, sc: number, T: number, S: number, D: number, Dv: number, scale: number, causal: number): void;
}

/** The block formats' integer kernels, src/wasm/quant.wat: a second module over the same memory, checked as {@link KernelExports} is. */
export interface QuantExports {
  quantizeQ8(x: number, xq: number, xd: number, n: number): void;
  /** out's rows are `ldo` floats apart (N, or more for a thread's slice of N's columns). */
  linearQ8(xq: number, xd: number, w: number, kind: number, b: number, out: number, M: number, K: number, N: number, scr: number, ldo: number): void;
}

/** The row kernels, src/wasm/rows.wat: a third module over the same memory (layer norm, cross-entropy, moves), checked as {@link KernelExports} is. */
export interface RowExports {
  layerNorm(x: number, w: number, b: number, out: number, mean: number, rstd: number, rows: number, C: number, eps: number, hasBias: number, keep: number): void;
  layerNormBackwardRows(dx: number, dy: number, x: number, w: number, mean: number, rstd: number, rows: number, C: number): void;
  layerNormBackwardColumns(dw: number, db: number, dy: number, x: number, mean: number, rstd: number, rows: number, cols: number, C: number, hasBias: number): void;
  crossEntropyRows(logits: number, targets: number, out: number, rows: number, V: number, table: number): void;
  crossEntropyBackwardRows(dlogits: number, logits: number, targets: number, rows: number, V: number, scale: number, table: number): void;
  add(x: number, y: number, out: number, n: number): void;
  moveRows(src: number, srcStride: number, dst: number, dstStride: number, rows: number, width: number): void;
  allFinite(x: number, n: number): number;
}

/** Which build to instantiate. */
export interface ModuleChoice {
  /** The memory is shared (the module must be the shared build). */
  shared: boolean;
  /** The fused multiply-add build (only where the engine validates relaxed SIMD). */
  fused: boolean;
}

const decode = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

function wasmApi(): WasmApi | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  return api !== undefined && typeof atob === "function" ? api : null;
}

/** Whether the engine validates the fused (relaxed SIMD) build. */
export function fusedBuildValid(): boolean {
  const api = wasmApi();
  return api !== null && api.validate(decode(KERNELS_FMA_WASM));
}

/** A module instantiated: its exports, and the compiled module (what a worker thread instantiates over the same memory). */
export interface Instantiated<E> { readonly exports: E; readonly module: object }

/** One of a module's builds (plain or fused, its shared flag's offset) over `memory`, or null where this engine cannot run it. */
function instantiateBuild<E>(memory: WasmMemory, choice: ModuleChoice, plain: [string, number], fused: [string, number]): Instantiated<E> | null {
  const api = wasmApi();
  if (api === null) return null;
  try {
    const [b64, flag] = choice.fused ? fused : plain;
    const bytes = decode(b64);
    if (choice.shared) bytes[flag] = 0x03; // the shared build (see build-wasm.mjs)
    if (!api.validate(bytes)) return null;
    const module = new api.Module(bytes);
    return { exports: new api.Instance(module, { env: { memory } }).exports as E, module };
  } catch {
    return null;
  }
}

/** The module instantiated over `memory`, or null where this engine cannot run the chosen build. */
export function instantiate(memory: WasmMemory, choice: ModuleChoice): Instantiated<KernelExports> | null {
  return instantiateBuild<KernelExports>(memory, choice, [KERNELS_WASM, KERNELS_SHARED_FLAG], [KERNELS_FMA_WASM, KERNELS_FMA_SHARED_FLAG]);
}

/** The row kernels' module over `memory` (the same build choice as the main module's), or null. */
export function instantiateRows(memory: WasmMemory, choice: ModuleChoice): Instantiated<RowExports> | null {
  return instantiateBuild<RowExports>(memory, choice, [ROWS_WASM, ROWS_SHARED_FLAG], [ROWS_FMA_WASM, ROWS_FMA_SHARED_FLAG]);
}

/** The block formats' module over `memory` (the same build choice as the main module's), or null. */
export function instantiateQuant(memory: WasmMemory, choice: ModuleChoice): Instantiated<QuantExports> | null {
  return instantiateBuild<QuantExports>(memory, choice, [QUANT_WASM, QUANT_SHARED_FLAG], [QUANT_FMA_WASM, QUANT_FMA_SHARED_FLAG]);
}
