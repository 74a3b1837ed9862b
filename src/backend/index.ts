/**
 * The kernel backend: an object that owns the WebAssembly module and the one memory its kernels
 * work in ({@link WasmBackend}), in place of module-level state. The ops call the default backend
 * ({@link wasmBackend}, null where the JavaScript kernels run); a session (one generation) takes
 * the backend it runs on and keeps its buffers in a {@link Residency} of it.
 * @module
 */
import { createWasmMemory, KernelMemory } from "./memory";
import { fusedBuildValid, instantiate } from "./module";
import { WasmBackend } from "./wasm";
import { createResidency, type Residency } from "./resident";

export { WasmBackend, type AttentionDims, type ResidentMatrix } from "./wasm";
export { KernelMemoryFull, type Residency } from "./resident";

/** The backends this process has made (undefined: not tried yet; null: WebAssembly SIMD cannot run here). */
let defaultBackend: WasmBackend | null | undefined;
let enabled = true;

/**
 * A new WebAssembly backend with its own memory: shared (the build whose memory is shared, where
 * threads are possible) or not, fused multiply-adds or not. Null where this engine cannot run that
 * build (no WebAssembly SIMD; a shared memory outside a cross-origin-isolated page; relaxed SIMD
 * missing for the fused build). `maxPages` bounds its memory (64 KiB pages; 32768, 2 GiB, by default).
 */
export function createWasmBackend(choice: { shared: boolean; fused: boolean; maxPages?: number }): WasmBackend | null {
  const memory = createWasmMemory(choice.shared, choice.maxPages);
  if (memory === null) return null;
  const made = instantiate(memory, choice);
  return made === null ? null : new WasmBackend(new KernelMemory(memory), made.exports, choice.fused, made.module);
}

/** The default WebAssembly backend, made on first use, whether or not {@link useWasm} has switched it off (null: it cannot run here). */
export function loadDefaultBackend(): WasmBackend | null {
  return load();
}

function load(): WasmBackend | null {
  if (defaultBackend !== undefined) return defaultBackend;
  const fused = fusedBuildValid();
  defaultBackend = createWasmBackend({ shared: true, fused }) ?? createWasmBackend({ shared: false, fused });
  return defaultBackend;
}

/** The backend the ops run on: the WebAssembly one, or null where the JavaScript kernels run (unavailable, or {@link useWasm}(false)). */
export function wasmBackend(): WasmBackend | null {
  return enabled ? load() : null;
}

/**
 * Runs fn with `backend` as the default (null: the JavaScript kernels), then restores the one before:
 * how tests run the whole stack on the unshared build, as a page that is not cross-origin isolated does.
 */
export function withBackend<T>(backend: WasmBackend | null, fn: () => T): T {
  const saved = defaultBackend, savedEnabled = enabled;
  defaultBackend = backend;
  enabled = true;
  try {
    return fn();
  } finally {
    defaultBackend = saved;
    enabled = savedEnabled;
  }
}

/** A residency on the default backend (JavaScript arrays where the JavaScript kernels run). */
export function residency(): Residency {
  return createResidency(wasmBackend());
}

/**
 * Turns the WebAssembly SIMD kernels on (the default where supported) or off (pure JavaScript
 * everywhere). Results agree within float32 rounding: the SIMD kernels accumulate in float32 (as
 * PyTorch does), the JavaScript ones in float64. A generation keeps the backend it started on.
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

/** What {@link wasmStatus} reports. @category Kernels */
export interface WasmStatus {
  /** WebAssembly SIMD runs here. */
  available: boolean;
  /** It is switched on ({@link useWasm}). */
  enabled: boolean;
  /** The module in use fuses multiply-adds (relaxed SIMD: Node 22+, current browsers). */
  fusedMultiplyAdd: boolean;
  /** The kernels' memory is shared (Node, Workers, cross-origin-isolated pages): sessions keep their buffers in it as views. */
  sharedMemory: boolean;
  /** Bytes of that memory held by live sessions' weights, KV caches and activations (0 once every generation has ended). */
  residentBytes: number;
  /** The memory's size: WebAssembly grows memory but never shrinks it; freed bytes are reused. */
  memoryBytes: number;
  /** Bytes the kernels have copied between JavaScript arrays and their memory, in and out, since the process started. */
  copiedBytes: number;
}

/**
 * Whether the WebAssembly SIMD kernels can run here and are switched on, whether they fuse
 * multiply-adds, whether their memory is shared, how much of it live sessions hold (`generate`
 * keeps a model's weights, KV cache and activations there while it runs, and gives them back when
 * it ends), its size, and how many bytes the kernels have copied in and out of it (a generation
 * step over a session in shared memory copies none: only ids go in and logits come out).
 * @category Kernels
 * @example
 * ```ts
 * wasmStatus(); // { available: true, enabled: true, fusedMultiplyAdd: false, sharedMemory: true, residentBytes: 0, memoryBytes: …, copiedBytes: … } in Node 20
 * ```
 */
export function wasmStatus(): WasmStatus {
  const b = load();
  const resident = b === null ? 0 : b.mem.allocatedBytes - b.scratchHeld();
  return {
    available: b !== null, enabled, fusedMultiplyAdd: b !== null && b.fused, sharedMemory: b !== null && b.mem.shared,
    residentBytes: resident, memoryBytes: b === null ? 0 : b.mem.bytes, copiedBytes: b === null ? 0 : b.mem.copiedBytes,
  };
}
