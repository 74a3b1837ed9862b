// Child process of test/read-weights.test.ts (run with --expose-gc): the kernels' memory that
// readGguf and readSafetensors write tensors into is given back once those tensors are garbage;
// prints residentBytes before, while held, and after.
import { createRng, gptToStateDict, initGpt, initLlama, modelToGguf, readGguf, readSafetensors, saveSafetensors, wasmStatus } from "../../src/index";
import { collectUntil } from "./collect";

const gguf = new Blob([modelToGguf(initLlama({ vocabSize: 64, blockSize: 32, nLayer: 2, nHead: 4, nKvHead: 2, nEmbd: 32, intermediateSize: 64 }, createRng(1)), { type: "q4_0" })]);
const st = new Blob([saveSafetensors(gptToStateDict(initGpt({ vocabSize: 64, blockSize: 32, nLayer: 2, nHead: 2, nEmbd: 32 }, createRng(1))))]);
const before = wasmStatus().residentBytes;
let tensors: object[] | null = [await readGguf(gguf), await readSafetensors(st)];
const held = wasmStatus().residentBytes;
tensors = null;
await collectUntil(() => wasmStatus().residentBytes <= before);
console.log(JSON.stringify({ before, held, after: wasmStatus().residentBytes, tensors }));
