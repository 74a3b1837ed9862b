// The library must run unchanged outside Node (browsers, workers). This bundles the built ESM entry
// into one script and runs it in a fresh V8 context that has only web-standard globals — no
// process, require, Buffer or module — then runs a small pipeline in it: the WebAssembly kernels,
// a tokenizer, attention, the sort model generating its answer, and a few training steps. A Node-only reference anywhere
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
  const params = TP.gptFromStateDict(TP.loadSafetensors(model), TP.gptConfigFromMetadata(TP.safetensorsMetadata(model)));
  const sorted = [...TP.generate(params, [2, 1, 0, 1, 0, 2], { maxNewTokens: 6, temperature: 0 })].join("");
  // training runs here too: 40 AdamW steps of a fresh nano model on one sort example
  const fresh = TP.initGpt({ vocabSize: 3, blockSize: 11, nLayer: 2, nHead: 2, nEmbd: 16 }, TP.createRng(2));
  const opt = TP.adamw(fresh, { lr: 3e-3 });
  const ids = [[2, 1, 0, 1, 0, 2, 0, 0, 1, 1, 2]], targets = [[-1, -1, -1, -1, -1, 0, 0, 1, 1, 2, 2]];
  const losses = [];
  for (let s = 0; s < 40; s++) {
    const { loss, grads } = TP.gptLossAndGrads(fresh, ids, targets);
    TP.clipGradNorm(grads, 1);
    opt.step(grads);
    losses.push(loss);
  }
  const trained = losses[39] < losses[0] / 4;
  JSON.stringify({ wasm: status.available, text, att, sorted, trained, loss: [losses[0].toFixed(3), losses[39].toFixed(3)], hasProcess: typeof process !== "undefined" });
`, context);
const r = JSON.parse(result);
const ok = r.wasm && r.text === "lowest lower" && r.att === "2x20x8" && r.sorted === "001122" && r.trained && !r.hasProcess;
console.log(`${ok ? "ok  " : "FAIL"} portable: ran in a context without Node globals ${JSON.stringify(r)}`);
if (!ok) process.exit(1);
