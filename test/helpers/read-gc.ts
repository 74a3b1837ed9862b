// Child process of test/read-weights.test.ts (run with --expose-gc): the kernels' memory that
// readGguf and readSafetensors write tensors into is given back once those tensors are garbage;
// prints residentBytes before, while held, and after.
import { createRng, gptToStateDict, initGpt, initLlama, modelToGguf, readGguf, readSafetensors, saveSafetensors, wasmStatus } from "../../src/index";

const gc = (globalThis as { gc?: () => void }).gc!;
const gguf = new Blob([modelToGguf(initLlama({ vocabSize: 64, blockSize: 32, nLayer: 2, nHead: 4, nKvHead: 2, nEmbd: 32, intermediateSize: 64 }, createRng(1)), { type: "q4_0" })]);
const st = new Blob([saveSafetensors(gptToStateDict(initGpt({ vocabSize: 64, blockSize: 32, nLayer: 2, nHead: 2, nEmbd: 32 }, createRng(1))))]);
const before = wasmStatus().residentBytes;
let tensors: object[] | null = [await readGguf(gguf), await readSafetensors(st)];
const held = wasmStatus().residentBytes;
tensors = null;
for (let i = 0; i < 20 && wasmStatus().residentBytes > before; i++) {
  gc();
  await new Promise((r) => setTimeout(r, 10)); // finalizers run after the collection, on a later task
}
console.log(JSON.stringify({ before, held, after: wasmStatus().residentBytes, tensors }));
