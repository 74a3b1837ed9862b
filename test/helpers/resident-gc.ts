// Child process of test/resident.test.ts (run with --expose-gc): residentParams' memory is given
// back once its tensors are garbage; prints residentBytes before, while held, and after.
import { createRng, initGpt, residentParams, wasmStatus } from "../../src/index";

const gc = (globalThis as { gc?: () => void }).gc!;
const before = wasmStatus().residentBytes;
let model: object | null = residentParams(initGpt({ vocabSize: 64, blockSize: 32, nLayer: 2, nHead: 2, nEmbd: 32 }, createRng(1)));
const held = wasmStatus().residentBytes;
model = null;
for (let i = 0; i < 20 && wasmStatus().residentBytes > before; i++) {
  gc();
  await new Promise((r) => setTimeout(r, 10)); // finalizers run after the collection, on a later task
}
console.log(JSON.stringify({ before, held, after: wasmStatus().residentBytes, model }));
