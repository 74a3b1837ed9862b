// Child process of test/resident.test.ts (run with --expose-gc): residentParams' memory is given
// back once its tensors are garbage; prints residentBytes before, while held, and after.
import { createRng, initGpt, residentParams, wasmStatus } from "../../src/index";
import { collectUntil } from "./collect";

const before = wasmStatus().residentBytes;
let model: object | null = residentParams(initGpt({ vocabSize: 64, blockSize: 32, nLayer: 2, nHead: 2, nEmbd: 32 }, createRng(1)));
const held = wasmStatus().residentBytes;
model = null;
await collectUntil(() => wasmStatus().residentBytes <= before);
console.log(JSON.stringify({ before, held, after: wasmStatus().residentBytes, model }));
