// npm run bench threads: every kernel that splits, a forward, generate and a training step on 1, 2
// (and 4 where the machine has them) threads, in one run, with the speedups. The thread counts
// alternate round by round (1, 2, 1, 2, …) so that a machine that speeds up or slows down during
// the run moves every count alike; each cell is the median over its rounds.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  adamw, attentionBackward, clipGradNorm, createLlamaCache, createLlamaWorkspace, createRng, generate, gptLossAndGrads, initGpt,
  initLlama, linear, linearBackward, llamaForward, quantizeModel, randn, resetGptCache, residentParams, scaledDotProductAttention, setThreads,
  softmax, threadStatus, type LlamaConfig, type LlamaParams, type Weight,
} from "../src/index";
import { currentPool } from "../src/backend/threads";
import { THREAD_MIN_MACS } from "../src/backend/thresholds";
import { createRequire } from "node:module";
import { causalMask, type Tensor } from "../src/index";
import { collect, maxDiff, measureAsync, table, type Row } from "./harness";
import { causalAttentionGraph, onnxModel, type OnnxNode } from "./onnx";

const require = createRequire(new URL("./package.json", import.meta.url));

/**
 * The peers at the same thread counts: onnxruntime-node (native, its intraOpNumThreads) and
 * onnxruntime-web (WebAssembly, its numThreads: each count in a process of its own,
 * bench/ort-web-peer.mjs) on the linear and attention cases, their outputs checked against ours
 * before timing. tfjs-wasm runs one thread in Node 20 (PEERS.md), so it has no threaded figure here.
 */
async function peerRows(counts: number[], ours: Row[]): Promise<Row[]> {
  const ort = require("onnxruntime-node");
  const rng = createRng(11);
  const x = randn([1024, 768], rng), w = randn([3072, 768], rng), b = randn([3072], rng);
  const H = 12, T = 1024, D = 64, q = randn([1, H, T, D], rng), k = randn([1, H, T, D], rng), v = randn([1, H, T, D], rng);
  const graphs: { name: string; nodes: OnnxNode[]; inits: { name: string; dims: number[]; data: Float32Array }[]; feeds: Record<string, Tensor>; out: number[]; expected: () => Float32Array }[] = [
    {
      name: "linear 1024×768→3072", nodes: [{ op: "Gemm", inputs: ["x", "W", "b"], outputs: ["y"], attrs: [{ name: "transB", i: 1 }] }],
      inits: [{ name: "W", dims: [3072, 768], data: w.data }, { name: "b", dims: [3072], data: b.data }], feeds: { x }, out: [1024, 3072],
      expected: () => linear(x, w, b).data,
    },
    {
      name: "causal attention H12 T1024 D64", ...causalAttentionGraph(T, D, [0, 1, 3, 2], causalMask(T).data),
      feeds: { q, k, v }, out: [1, H, T, D], expected: () => scaledDotProductAttention(q, k, v, { causal: true }).output.data,
    },
  ];
  const rows: Row[] = [];
  for (const g of graphs) {
    const model = onnxModel({ nodes: g.nodes, initializers: g.inits, inputs: Object.entries(g.feeds).map(([name, t]) => ({ name, dims: [...t.shape] })), outputs: [{ name: "y", dims: g.out }] });
    const feeds = Object.fromEntries(Object.entries(g.feeds).map(([name, t]) => [name, new ort.Tensor("float32", t.data, [...t.shape])]));
    const expected = g.expected();
    const row: Row = { case: `${g.name} vs onnxruntime-node (native)` };
    for (const n of counts) {
      const session = await ort.InferenceSession.create(model, { intraOpNumThreads: n, interOpNumThreads: 1, executionMode: "sequential" });
      const got = (await session.run(feeds)).y.data as Float32Array;
      const diff = maxDiff(got, expected);
      if (!(diff < 1e-2)) { row[`ort ${n}T ms`] = `wrong output (${diff.toExponential(1)})`; continue; }
      const t = await measureAsync(() => session.run(feeds), { minRuns: 7, minMs: 2000, warmup: 2 });
      const mine = ours.find((r) => r.case === g.name)?.[n === 1 ? "1 thread ms" : `${n} threads ms`];
      row[`ort ${n}T ms`] = t.median;
      row[`ours/ort ${n}T`] = typeof mine === "number" ? `${(t.median / mine).toFixed(2)}×` : null;
      await session.release?.();
    }
    rows.push(row, ortWebRow(g.name, model, g.feeds, expected, counts, ours));
    for (const r of rows.slice(-2)) console.log(`  ${r.case}: ${Object.entries(r).slice(1).map(([k2, v2]) => `${k2} ${typeof v2 === "number" ? v2.toFixed(1) : v2}`).join(", ")}`);
  }
  return rows;
}

/** onnxruntime-web's row: each thread count in its own process, rounds alternating 1, 2, 1, 2 (medians over 3). */
function ortWebRow(name: string, model: Uint8Array, feeds: Record<string, Tensor>, expected: Float32Array, counts: number[], ours: Row[]): Row {
  const dir = mkdtempSync(join(tmpdir(), "tp-ort-web-"));
  writeFileSync(join(dir, "model.onnx"), model);
  const spec: Record<string, [string, number[]]> = {};
  for (const [k, t] of Object.entries(feeds)) {
    writeFileSync(join(dir, `${k}.bin`), new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    spec[k] = [`${k}.bin`, [...t.shape]];
  }
  writeFileSync(join(dir, "feeds.json"), JSON.stringify(spec));
  const row: Row = { case: `${name} vs onnxruntime-web (WebAssembly)` };
  const times = new Map<number, number[]>(counts.map((n) => [n, []]));
  try {
    for (let r = 0; r < 3; r++) {
      for (const n of r % 2 === 0 ? counts : [...counts].reverse()) {
        const printed = execFileSync(process.execPath, [fileURLToPath(new URL("./ort-web-peer.mjs", import.meta.url)), String(n), dir], { encoding: "utf8" });
        const out = readFileSync(join(dir, "out.bin"));
        const diff = maxDiff(new Float32Array(out.buffer, out.byteOffset, out.length / 4), expected);
        if (!(diff < 1e-2)) throw new Error(`onnxruntime-web's output differs from ours by ${diff.toExponential(1)} at ${n} threads`);
        times.get(n)!.push(JSON.parse(printed.trim().split("\n").at(-1)!).median);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const n of counts) {
    const mine = ours.find((r) => r.case === name)?.[n === 1 ? "1 thread ms" : `${n} threads ms`];
    row[`ort ${n}T ms`] = median(times.get(n)!);
    row[`ours/ort ${n}T`] = typeof mine === "number" ? `${(median(times.get(n)!) / mine).toFixed(2)}×` : null;
  }
  return row;
}

interface Case { name: string; setup: () => () => unknown; reps?: number }

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];

/**
 * Runs fn with the pool of n threads kept (setThreads(n) once), alternating round by round with one
 * thread — the same pool told to split nothing, so its workers stay started and only sleep — and
 * returns the times of both.
 */
function alternate(n: number, rounds: number, fn: () => number): { one: number[]; many: number[] } {
  setThreads(n);
  const pool = currentPool()!;
  const use = (threads: number) => { pool.minWork = threads === 1 ? Infinity : THREAD_MIN_MACS; };
  use(n); fn(); fn(); // warm up: the workers start, and their code is compiled
  use(1); fn();
  const one: number[] = [], many: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const t of r % 2 === 0 ? [1, n] : [n, 1]) {
      use(t);
      collect();
      (t === 1 ? one : many).push(fn());
    }
  }
  setThreads(1);
  return { one, many };
}

/** A row of medians for fn (its own ms per call) on 1 thread and on each count. */
function timeRow(name: string, counts: number[], rounds: number, fn: () => number): Row {
  const row: Row = { case: name };
  let oneMs = 0;
  for (const n of counts.filter((c) => c > 1)) {
    const { one, many } = alternate(n, rounds, fn);
    if (oneMs === 0) { oneMs = median(one); row["1 thread ms"] = oneMs; }
    row[`${n} threads ms`] = median(many);
    row[`${n}× speedup`] = `${(oneMs / median(many)).toFixed(2)}×`;
  }
  console.log(`  ${name}: ${Object.entries(row).slice(1).map(([k, v]) => `${k} ${typeof v === "number" ? v.toFixed(2) : v}`).join(", ")}`);
  return row;
}

/** fn's time per call, over `reps` calls. */
const timed = (fn: () => unknown, reps = 1) => () => {
  const t = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - t) / reps;
};

function timeCases(cases: Case[], counts: number[], rounds: number): Row[] {
  return cases.map((c) => timeRow(c.name, counts, rounds, timed(c.setup(), c.reps)));
}

const SMOL: LlamaConfig = { vocabSize: 49152, blockSize: 2048, nLayer: 30, nHead: 9, nKvHead: 3, nEmbd: 576, intermediateSize: 1536, ropeTheta: 100000, eps: 1e-5, tiedEmbeddings: true };

/** ms per generated token over `steps` steps after a short prompt, over weights kept in the kernels' memory. */
function decodeStep(params: LlamaParams<Weight>, prompt: number[], steps: number): () => number {
  return () => {
    const it = generate(params, prompt, { maxNewTokens: steps + 1, temperature: 0 });
    it.next(); // the prompt and the first token
    const t = performance.now();
    for (let i = 0; i < steps; i++) it.next();
    const ms = (performance.now() - t) / steps;
    it.return();
    return ms;
  };
}

export async function benchThreads(): Promise<Row[]> {
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const counts = cores >= 4 ? [1, 2, 4] : [1, 2];
  const load = os.loadavg()[0];
  console.log(`\nthreads: ${counts.join(", ")} on ${cores} cores (load average over the last minute ${load.toFixed(2)} before the run)`);
  const rng = createRng(1);
  const ops: Case[] = [
    { name: "linear 1024×768→3072", setup: () => { const x = randn([1024, 768], rng), w = randn([3072, 768], rng), b = randn([3072], rng); return () => linear(x, w, b); } },
    { name: "linear backward 1024×768→3072 (dx, dW, db)", setup: () => { const x = randn([1024, 768], rng), w = randn([3072, 768], rng), dy = randn([1024, 3072], rng); return () => linearBackward(dy, x, w); } },
    { name: "linear 1×768→3072 (one row, the weight in the kernels' memory)", reps: 100, setup: () => { const r = residentParams({ x: randn([1, 768], rng), w: randn([3072, 768], rng) }); return () => linear(r.x, r.w); } },
    { name: "causal attention H12 T1024 D64", setup: () => { const q = randn([1, 12, 1024, 64], rng), k = randn([1, 12, 1024, 64], rng), v = randn([1, 12, 1024, 64], rng); return () => scaledDotProductAttention(q, k, v, { causal: true }); } },
    { name: "causal attention backward H12 T1024 D64", setup: () => { const q = randn([1, 12, 1024, 64], rng), k = randn([1, 12, 1024, 64], rng), v = randn([1, 12, 1024, 64], rng), d = randn([1, 12, 1024, 64], rng); return () => attentionBackward(d, q, k, v, { causal: true }); } },
    { name: "softmax 1024×1024", setup: () => { const s = randn([1024, 1024], rng); return () => softmax(s); } },
  ];
  const rows = timeCases(ops, counts, 7);
  const peers = await peerRows(counts, rows);

  const char = { vocabSize: 444, blockSize: 128, nLayer: 4, nHead: 4, nEmbd: 128 };
  const ids: number[][] = [], targets: number[][] = [];
  for (let b = 0; b < 8; b++) {
    const seq = Array.from({ length: 129 }, () => Math.floor(rng.uniform() * 444));
    ids.push(seq.slice(0, -1));
    targets.push(seq.slice(1));
  }
  const train: Case = {
    name: "training step, char model B8×T128 (forward, backward, clip, AdamW)",
    setup: () => {
      const params = residentParams(initGpt(char, createRng(1))), opt = adamw(params, { lr: 1e-3, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 });
      let grads: ReturnType<typeof gptLossAndGrads>["grads"] | undefined;
      return () => {
        const r = gptLossAndGrads(params, ids, targets, grads ? { grads } : undefined);
        grads = r.grads;
        clipGradNorm(grads, 1);
        opt.step(grads);
      };
    },
  };
  const trainRows = timeCases([train], counts, 7);
  const stepMs = (n: number) => trainRows[0][n === 1 ? "1 thread ms" : `${n} threads ms`] as number;
  for (const n of counts) trainRows[0][`${n}T tokens/s`] = Math.round(1024 / (stepMs(n) / 1000));
  rows.push(...trainRows);

  console.log("  SmolLM2-135M-shaped Llama (random weights): initialising…");
  const f32 = initLlama(SMOL, createRng(8));
  const resident = residentParams(f32);
  const q8 = residentParams(quantizeModel(f32, "q8_0"));
  const prompt = Array.from({ length: 122 }, () => Math.floor(rng.uniform() * SMOL.vocabSize));
  const models: Case[] = [
    {
      name: "SmolLM2 prefill, 64 tokens over a KV cache (F32, weights in the kernels' memory)",
      setup: () => {
        const cache = createLlamaCache(SMOL), ws = createLlamaWorkspace(SMOL, { tokens: 64 });
        return () => { resetGptCache(cache as never); llamaForward(resident, prompt.slice(0, 64), { cache, workspace: ws, logits: "last" }); };
      },
    },
    {
      name: "SmolLM2 prefill, 64 tokens (Q8_0)",
      setup: () => {
        const cache = createLlamaCache(SMOL), ws = createLlamaWorkspace(SMOL, { tokens: 64 });
        return () => { resetGptCache(cache as never); llamaForward(q8, prompt.slice(0, 64), { cache, workspace: ws, logits: "last" }); };
      },
    },
  ];
  rows.push(...timeCases(models, counts, 5));
  // decode: 16 steps after a 122-token prompt, per step
  for (const [name, params] of [["F32", resident], ["Q8_0", q8]] as const) {
    rows.push(timeRow(`SmolLM2 decode at context ~128, ms per token (${name})`, counts, 5, decodeStep(params, prompt, 16)));
  }
  setThreads(1);
  table("The peer at the same thread count (ours/ort: how many times faster ours is; ort's time is a median over its own runs in this process)", peers);
  table(`Threads (medians of alternating rounds; ${cores} cores, load average ${load.toFixed(2)} before the run; status ${JSON.stringify(threadStatus())})`, rows);
  return [...rows, ...peers];
}
