// npm run bench [tokenizer|ops|model|llama|llamacpp|quant|browser|threads|train|bundle …] [--fma] [--threads=1,2]: runs the chosen suites (all by default), prints
// tables with ratios against the peers measured in the same process, and writes bench/results.json.
// --fma switches V8's relaxed SIMD on (Node 20 has it behind a flag; Node 22+ and browsers have it
// on), so that our WebAssembly kernels run with fused multiply-adds. --threads= sets the thread counts of
// llamacpp, quant and browser (both engines at each; default 1 and 2 on a machine with two cores or more).
import { writeFileSync } from "node:fs";
import os from "node:os";
import { setFlagsFromString } from "node:v8";

if (process.argv.includes("--fma")) setFlagsFromString("--experimental-wasm-relaxed-simd"); // before our module is first used

const wanted = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const threadsArg = process.argv.find((a) => a.startsWith("--threads="));
const threadCounts = threadsArg ? threadsArg.slice(10).split(",").map(Number) : os.cpus().length >= 2 ? [1, 2] : [1];
if (!threadCounts.every((n) => Number.isInteger(n) && n >= 1)) throw new Error(`bench: --threads= takes thread counts such as 1,2; got ${threadsArg}`);
const run = (name: string) => wanted.length === 0 || wanted.includes(name);
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: os.cpus()[0]?.model,
  cores: os.cpus().length,
};
const { wasmStatus } = await import("../src/index");
results.wasm = wasmStatus();
console.log(`transformer-primitives bench — ${results.cpu}, Node ${process.version}, single thread, medians; WebAssembly ${JSON.stringify(results.wasm)}`);
if (run("ops")) results.ops = await (await import("./ops")).benchOps();
if (run("model")) results.model = await (await import("./model")).benchModel();
if (run("model") || run("llama")) results.llama = await (await import("./llama")).benchLlama();
if (wanted.includes("llamacpp")) results.llamacpp = await (await import("./llamacpp")).benchLlamaCpp(undefined, threadCounts); // only when named: its peer is ~700 MB
if (wanted.includes("quant")) results.quant = await (await import("./llamacpp")).benchLlamaCpp(["q8_0", "q4_0", "q4_1", "q5_0", "q5_1", "q4_k", "q5_k", "q6_k"], threadCounts);
if (wanted.includes("browser")) results.browser = await (await import("./browser")).benchBrowser(threadCounts); // only when named: Chromium, wllama
if (wanted.includes("threads")) results.threads = await (await import("./threads")).benchThreads(); // only when named
if (run("train")) results.train = await (await import("./train")).benchTrain();
if (run("tokenizer")) results.tokenizer = await (await import("./tokenizer")).benchTokenizer();
if (run("bundle")) {
  // @ts-expect-error a plain .mjs script without types
  const { whole, softmaxOnly, withViz } = await (await import("../scripts/bundle-size.mjs")).bundleSizes();
  results.bundle = { wholeGzip: whole.gzip, wholeBytes: whole.bytes, softmaxOnlyGzip: softmaxOnly.gzip, withVizGzip: withViz.gzip };
  console.log(`\nbundle a browser loads (esbuild, minified, gzipped): the whole library ${(whole.gzip / 1000).toFixed(1)} kB (${(whole.bytes / 1000).toFixed(0)} kB minified); an app importing only softmax ${(softmaxOnly.gzip / 1000).toFixed(1)} kB; with viz ${(withViz.gzip / 1000).toFixed(1)} kB`);
}
writeFileSync(new URL("./results.json", import.meta.url), JSON.stringify(results, null, 2));
console.log("\nwrote bench/results.json");
