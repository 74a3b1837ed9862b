// The library must run unchanged outside Node (browsers, workers). This bundles the built ESM entry
// into one script and runs it in a fresh V8 context that has only web-standard globals — no
// process, require, Buffer or module — then runs a small pipeline in it: the WebAssembly kernels,
// a tokenizer, attention, and the sort model generating its answer. A Node-only reference anywhere
// in the code it reaches throws a ReferenceError here.
import { readFileSync } from "node:fs";
import vm from "node:vm";
import { build } from "esbuild";

const { outputFiles } = await build({
  entryPoints: [new URL("../dist/index.js", import.meta.url).pathname],
  bundle: true, format: "iife", globalName: "TP", write: false, platform: "neutral", logLevel: "error",
});
const code = outputFiles[0].text;
const model = new Uint8Array(readFileSync(new URL("../examples/assets/sort-model.safetensors", import.meta.url)));
const context = vm.createContext({ TextEncoder, TextDecoder, atob, btoa, WebAssembly, console, model });
const result = vm.runInContext(`${code};
  const status = TP.wasmStatus();
  const tok = TP.trainBpe("low lower lowest ".repeat(20), 270);
  const text = tok.decode(tok.encode("lowest lower"));
  const rng = TP.createRng(1);
  const q = TP.randn([2, 20, 8], rng), k = TP.randn([2, 20, 8], rng), v = TP.randn([2, 20, 8], rng);
  const att = TP.scaledDotProductAttention(q, k, v, { causal: true }).output.shape.join("x");
  const params = TP.gptFromStateDict(TP.loadSafetensors(model), JSON.parse(TP.safetensorsMetadata(model).config));
  const sorted = [...TP.generate(params, [2, 1, 0, 1, 0, 2], { maxNewTokens: 6, temperature: 0 })].join("");
  JSON.stringify({ wasm: status.available, text, att, sorted, hasProcess: typeof process !== "undefined" });
`, context);
const r = JSON.parse(result);
const ok = r.wasm && r.text === "lowest lower" && r.att === "2x20x8" && r.sorted === "001122" && !r.hasProcess;
console.log(`${ok ? "ok  " : "FAIL"} portable: ran in a context without Node globals ${JSON.stringify(r)}`);
if (!ok) process.exit(1);
