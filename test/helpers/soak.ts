// Child process of test/soak.test.ts: generates 10,000 tokens in one generation and reports the
// heap (after a full GC) at checkpoints, so the test can tell a flat heap from a leak. Run with
// --expose-gc. Argument: blockSize (10,048: every step uses the KV cache; 16: the context is
// cropped, and the cache rebuilt, at every step from token 16 on).
import { createRng, generate, initGpt, useWasm, wasmStatus } from "../../src/index";

if (process.env.TP_KERNELS === "js") useWasm(false); // as test/setup.ts does; "fma" comes as a V8 flag

const blockSize = Number(process.argv[2]);
const tokens = Number(process.argv[3]);
const params = initGpt({ vocabSize: 50, blockSize, nLayer: 2, nHead: 2, nEmbd: 16 }, createRng(0));
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("soak: run with --expose-gc");
const checkpoints = new Set([tokens / 10, tokens / 2, tokens]);
const samples: { token: number; heap: number; arrayBuffers: number; wasmMemory: number; resident: number }[] = [];
let n = 0, last = -1;
for (const id of generate(params, [1, 2, 3], { maxNewTokens: tokens, temperature: 0.9, topK: 20, rng: createRng(1) })) {
  if (!(id >= 0 && id < 50)) throw new Error(`soak: token ${n} is ${id}`);
  last = id;
  if (checkpoints.has(++n)) {
    gc();
    const m = process.memoryUsage(), w = wasmStatus();
    samples.push({ token: n, heap: m.heapUsed, arrayBuffers: m.arrayBuffers, wasmMemory: w.memoryBytes, resident: w.residentBytes });
  }
}
console.log(JSON.stringify({ tokens: n, last, samples, residentAfter: wasmStatus().residentBytes }));
