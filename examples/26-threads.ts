// Lesson 26 — every core, the same bits. Float addition is not associative: a sum cut in two halves
// and added at the end can differ in its last bits from the same sum in one pass. So the kernels
// never cut a sum. They cut by outputs instead: rows of x·Wᵀ, output columns of a generation's
// single row, attention heads. Each output is then summed exactly as on one thread, and any thread
// count gives the same bits. (docs/threads.md explains how the threads share the kernels' memory.)
// Run: npx tsx examples/26-threads.ts
import { createRng, linear, randn, setThreads, threadStatus } from "transformer-primitives";

// 1. Why a sum must not be split: the same 100,000 float32 values summed two ways
const rng = createRng(26);
const values = randn([100_000], rng).data;
let onePass = 0;
for (const v of values) onePass = Math.fround(onePass + v);
let left = 0, right = 0;
for (let i = 0; i < 50_000; i++) left = Math.fround(left + values[i]);
for (let i = 50_000; i < 100_000; i++) right = Math.fround(right + values[i]);
const halves = Math.fround(left + right);
console.log(`sum in one pass ${onePass}, in two halves ${halves}: ${onePass === halves ? "equal this time" : "different bits"}`);

// 2. Split by outputs: linear on 1 and 2 threads, compared bit for bit and timed
const x = randn([256, 768], rng), w = randn([3072, 768], rng);
const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);
const time = (fn: () => unknown) => {
  fn();
  const t = performance.now();
  for (let i = 0; i < 5; i++) fn();
  return (performance.now() - t) / 5;
};
setThreads(1);
const one = linear(x, w).data, oneMs = time(() => linear(x, w));
setThreads(2);
for (let i = 0; i < 50 && threadStatus().workerSlices === 0; i++) { linear(x, w); await new Promise((r) => setTimeout(r, 10)); } // the worker starts
const two = linear(x, w).data, twoMs = time(() => linear(x, w));
const same = bits(one).every((b, i) => b === bits(two)[i]);
console.log(`linear 256×768→3072: 1 thread ${oneMs.toFixed(1)} ms, 2 threads ${twoMs.toFixed(1)} ms; the same bits: ${same}`);
console.log(`threadStatus(): ${JSON.stringify(threadStatus())}`);
if (!same) throw new Error("2 threads changed the result");
setThreads(1);
