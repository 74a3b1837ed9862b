// TP_THREADS=2 runs it on two threads, every kernel split however small (the split is what is tested).
// TP_KERNELS=js runs the whole suite with the WebAssembly kernels switched off, and TP_KERNELS=fma
// with relaxed SIMD switched on in V8 (Node 20 has it behind a flag), so that the module whose
// multiply-adds are fused is the one that runs. `npm test` runs the suite all three ways, so every
// reference test covers every path.
import { setFlagsFromString } from "node:v8";
import { setThreads, useWasm } from "../src/index";
import { currentPool } from "../src/backend/threads";

if (process.env.TP_KERNELS === "js") useWasm(false);
if (process.env.TP_KERNELS === "fma") setFlagsFromString("--experimental-wasm-relaxed-simd"); // before the module's first use
if (process.env.TP_THREADS !== undefined) {
  setThreads(Number(process.env.TP_THREADS));
  const pool = currentPool();
  if (pool !== null) pool.minWork = 0;
}
