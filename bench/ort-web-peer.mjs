// onnxruntime-web (its WebAssembly build, what transformers.js runs) at one thread count, in its own
// process: its numThreads is fixed when its module first starts, so each count needs a new one.
// Called by bench/threads.ts as `node bench/ort-web-peer.mjs <threads> <dir>`: reads model.onnx and
// the inputs from <dir> (feeds.json: name → [file, dims]), writes the output to <dir>/out.bin and
// prints {"median": ms} over ≥ 7 runs and ≥ 2 s after 2 warm-up runs.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const [threads, dir] = [Number(process.argv[2]), process.argv[3]];
const require = createRequire(new URL("./package.json", import.meta.url));
const ort = require("onnxruntime-web");
ort.env.wasm.wasmPaths = join(new URL(".", import.meta.url).pathname, "node_modules/onnxruntime-web/dist/");
ort.env.wasm.numThreads = threads;
ort.env.wasm.proxy = false;
const session = await ort.InferenceSession.create(readFileSync(join(dir, "model.onnx")), { executionProviders: ["wasm"] });
const feeds = {};
for (const [name, [file, dims]] of Object.entries(JSON.parse(readFileSync(join(dir, "feeds.json"), "utf8")))) {
  const b = readFileSync(join(dir, file));
  feeds[name] = new ort.Tensor("float32", new Float32Array(b.buffer, b.byteOffset, b.length / 4), dims);
}
const out = (await session.run(feeds)).y.data;
writeFileSync(join(dir, "out.bin"), new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
await session.run(feeds);
const times = [];
const start = performance.now();
while (times.length < 7 || performance.now() - start < 2000) {
  const t = performance.now();
  await session.run(feeds);
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ median: times[times.length >> 1] }));
process.exit(0); // its worker threads would keep the process alive
