/**
 * The block formats' integer kernels (src/wasm/quant.wat) for a backend: a second module over the
 * backend's memory, instantiated on the first product over a stored weight and kept with the
 * backend. Only this file reaches that module's bytes, so a bundle without stored weights drops them.
 * @module
 */
import { instantiateQuant, type QuantExports } from "./module";
import type { WasmBackend } from "./wasm";

let made: WeakMap<WasmBackend, QuantExports | null> | undefined;


/** The backend's block-format kernels (null where this engine cannot run them). */
export function quantKernels(be: WasmBackend): QuantExports | null {
  made ??= new WeakMap();
  let q = made.get(be);
  if (q === undefined) {
    const m = instantiateQuant(be.mem.memory, { shared: be.mem.shared, fused: be.fused });
    q = m === null ? null : m.exports;
    made.set(be, q);
    if (m !== null) be.addModule(m.module, m.exports);
  }
  return q;
}
