/**
 * The row kernels (src/wasm/rows.wat: layer norm and cross-entropy in the JavaScript kernels' float64
 * arithmetic, the heads' moves, the residual add, the finiteness scan) for a backend: a third module
 * over the backend's memory, instantiated on first use and kept with the backend. Only this file
 * reaches that module's bytes, so a bundle that never trains or runs a resident forward drops them.
 * @module
 */
import { instantiateRows, type RowExports } from "./module";
import type { WasmBackend } from "./wasm";

let made: WeakMap<WasmBackend, RowExports | null> | undefined;

/** The backend's row kernels (null where this engine cannot run them). */
export function rowKernels(be: WasmBackend): RowExports | null {
  made ??= new WeakMap();
  let r = made.get(be);
  if (r === undefined) {
    const m = instantiateRows(be.mem.memory, { shared: be.mem.shared, fused: be.fused });
    r = m === null ? null : m.exports;
    made.set(be, r);
    if (m !== null) be.addModule(m.module, m.exports);
  }
  return r;
}
