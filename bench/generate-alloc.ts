// Child process of the model benchmark: bytes allocated per generated token (JS heap and
// ArrayBuffers) by `generate` on a GPT-2-small-shaped model, sampling with temperature and top-k.
// Run with a young generation large enough (--min-semi-space-size) that no garbage collection runs
// inside the measured window, so the heap's growth is what was allocated; after enough warm-up
// tokens that the JIT's own allocations (compiling the hot functions) have settled.
// Arguments: wasm (1 or 0), warm-up tokens, measured tokens.
import { createRng, generate, initGpt, useWasm } from "../src/index";

const [wasm, warm, measured] = process.argv.slice(2).map(Number);
useWasm(wasm === 1);
const params = initGpt({ vocabSize: 50257, blockSize: 1024, nLayer: 12, nHead: 12, nEmbd: 768 }, createRng(0));
const prompt = [464, 2068, 7586, 21831, 18045, 625, 262, 16931];
const steps = generate(params, prompt, { maxNewTokens: warm + 4 * measured + 1, temperature: 0.8, topK: 50, rng: createRng(1) })[Symbol.iterator]();
for (let i = 0; i < warm; i++) steps.next();
// several windows: the JIT still compiles now and then (its code objects count as heap), so the
// quietest window is the steady state of generation itself
const windows: { heap: number; arrayBuffers: number }[] = [];
for (let w = 0; w < 4; w++) {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage();
  for (let i = 0; i < measured; i++) steps.next();
  const after = process.memoryUsage();
  windows.push({ heap: (after.heapUsed - before.heapUsed) / measured, arrayBuffers: (after.arrayBuffers - before.arrayBuffers) / measured });
}
windows.sort((a, b) => a.heap - b.heap);
console.log(JSON.stringify({
  heapBytesPerToken: Math.round(windows[0].heap),
  heapBytesPerTokenMedianWindow: Math.round(windows[2].heap),
  arrayBufferBytesPerToken: Math.round(Math.max(...windows.map((w) => w.arrayBuffers))),
}));
