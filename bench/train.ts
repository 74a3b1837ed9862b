// Training benchmark: one optimizer step (forward, backward, clipping, AdamW) of the character model
// (4 layers, 4 heads, C = 128, context 128, 444 characters; batch 8 × 128) and of minGPT's gpt-nano on
// the sort task (batch 64 × 11): ours (WebAssembly SIMD kernels, and pure JavaScript) beside the same
// step written in tfjs (cpu and wasm backends), whose loss is checked equal to ours before timing.
// Also the activation memory the training forward keeps per token.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { adamw, clipGradNorm, createRng, gptLossAndGrads, initGpt, randn, residentParams, useWasm, wasmStatus, type GptConfig, type GptParams } from "../src/index";
import { trainFloatsPerRow } from "../src/gpt/activations";
import { measure, ratio, table, type Row } from "./harness";
import { tfjsTrainer } from "./tfjs-gpt";

const require = createRequire(new URL("./package.json", import.meta.url));
type TF = typeof import("@tensorflow/tfjs-core");

interface Model { name: string; config: GptConfig; B: number; T: number; untied?: boolean }

const MODELS: Model[] = [
  { name: "char model", config: { vocabSize: 444, blockSize: 128, nLayer: 4, nHead: 4, nEmbd: 128 }, B: 8, T: 128 },
  { name: "nano-sort", config: { vocabSize: 3, blockSize: 11, nLayer: 3, nHead: 3, nEmbd: 48 }, B: 64, T: 11, untied: true },
];
const HYPER = { lr: 1e-3, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 };

function batch(m: Model, seed: number) {
  const rng = createRng(seed);
  const ids: number[][] = [], targets: number[][] = [];
  for (let b = 0; b < m.B; b++) {
    const seq = Array.from({ length: m.T + 1 }, () => Math.floor(rng.uniform() * m.config.vocabSize));
    ids.push(seq.slice(0, -1));
    targets.push(seq.slice(1));
  }
  return { ids, targets };
}

function fresh(m: Model): GptParams {
  const rng = createRng(1);
  const params = initGpt(m.config, rng);
  if (m.untied) params.lmHead = randn([m.config.vocabSize, m.config.nEmbd], rng, 0.02);
  return params;
}

export async function benchTrain(): Promise<Row[]> {
  const tf: TF = require("@tensorflow/tfjs-core");
  require("@tensorflow/tfjs-core/dist/register_all_gradients"); // tfjs-core alone registers no gradients
  require("@tensorflow/tfjs-backend-cpu");
  require("@tensorflow/tfjs-backend-wasm");
  const rows: Row[] = [];
  for (const m of MODELS) {
    const { ids, targets } = batch(m, 2);
    const tokens = m.B * m.T;
    const ours = (wasm: boolean) => {
      useWasm(wasm);
      const params = wasm ? residentParams(fresh(m)) : fresh(m), opt = adamw(params, HYPER); // resident: every buffer of a step in the kernels' memory
      let grads: ReturnType<typeof gptLossAndGrads>["grads"] | undefined;
      const step = () => {
        const r = gptLossAndGrads(params, ids, targets, grads ? { grads } : undefined);
        grads = r.grads;
        clipGradNorm(grads, 1);
        opt.step(grads);
        return r.loss;
      };
      const heavy = tokens > 1000 && !wasm;
      const t = measure(step, { warmup: 1, minRuns: heavy ? 3 : 8, minMs: heavy ? 0 : 3000, maxRuns: heavy ? 3 : 50 });
      const before = wasmStatus().copiedBytes;
      step();
      useWasm(true);
      return { ...t, copied: wasmStatus().copiedBytes - before };
    };
    const fast = ours(true), js = ours(false);
    const loss0 = gptLossAndGrads(fresh(m), ids, targets).loss;
    const row: Row = {
      model: m.name, batch: `${m.B}×${m.T}`, "ours ms/step": fast.median, "ours tokens/s": tokens / (fast.median / 1000),
      "ours JS tokens/s": tokens / (js.median / 1000), "bytes copied per step": fast.copied,
    };
    for (const backend of ["cpu", "wasm"] as const) {
      await tf.setBackend(backend);
      await tf.ready();
      const trainer = tfjsTrainer(tf, fresh(m), ids, targets, HYPER);
      const diff = Math.abs(trainer.loss() - loss0);
      if (!(diff < 1e-4)) {
        row[`tfjs-${backend} tokens/s`] = `wrong loss (${diff.toExponential(1)})`;
        row[`vs tfjs-${backend}`] = null;
      } else {
        const heavy = backend === "cpu" && tokens > 1000;
        const t = measure(() => trainer.step(), { warmup: 1, minRuns: heavy ? 2 : 5, minMs: heavy ? 0 : 3000, maxRuns: heavy ? 2 : 50 });
        row[`tfjs-${backend} tokens/s`] = tokens / (t.median / 1000);
        row[`vs tfjs-${backend}`] = ratio(t.median, fast.median);
      }
      trainer.dispose();
    }
    const saved = trainFloatsPerRow(m.config) * 4;
    row["saved activations per token"] = `${(saved / 1024).toFixed(1)} kB`;
    rows.push(row);
    console.log(`  ${m.name}: ours ${fast.median.toFixed(1)} ms per step (${Math.round(tokens / (fast.median / 1000))} tokens/s), loss at step 0 ${loss0.toFixed(4)}`);
  }
  table("Training step: forward + backward + clip + AdamW (tokens/s, median; vs X = X's time / ours)", rows);
  console.log("  attention backward never materialises [B, H, T, T]: saved activations are 16·C + 4 floats per token per layer, plus the embeddings, lnF and logits");
  const rss = execFileSync(process.execPath, ["--import", "tsx", new URL("./attention-backward-memory.ts", import.meta.url).pathname], { encoding: "utf8" });
  console.log(`  attention backward memory (child process, causal, H=12, T=4096, D=64): ${rss.trim()}`);
  rows.push({ model: "attention backward memory", batch: "H12 T4096 D64", ...JSON.parse(rss) });
  return rows;
}
