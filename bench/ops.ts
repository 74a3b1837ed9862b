// Op benchmarks at GPT-2-small shapes: ours beside tfjs-cpu (pure JS), tfjs-wasm (SIMD, one thread)
// and onnxruntime-node (native, one thread), each given its fast path (see ../shared/PEERS.md):
// tfjs linear with W stored [K, N]; tfjs attention split per head into 2-D matMuls; ORT one-op
// graphs with weights as initializers, session created outside the timed loop. Every peer's
// output is checked against ours before it is timed.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import {
  causalMask, createRng, gelu, layerNorm, linear, randn, scaledDotProductAttention, softmax, useWasm, wasmStatus, type Tensor,
} from "../src/index";
import { maxDiff, measure, measureAsync, ratio, table, type Row, type Timing } from "./harness";
import { causalAttentionGraph, onnxModel, type OnnxNode } from "./onnx";

const require = createRequire(new URL("./package.json", import.meta.url));
type TF = typeof import("@tensorflow/tfjs-core");

interface Case {
  op: string;
  shape: string;
  flops?: number;
  ours: () => Tensor;
  tfjs?: (tf: TF) => () => Float32Array;
  onnx?: () => { nodes: OnnxNode[]; inits: { name: string; dims: number[]; data: Float32Array }[]; feeds: Record<string, Tensor>; out: number[] };
  slowPeers?: boolean; // skip tfjs-cpu (minutes per run)
}

function transpose(w: Tensor): Float32Array {
  const [r, c] = w.shape, out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = w.data[i * c + j];
  return out;
}

function cases(): Case[] {
  const rng = createRng(5);
  const list: Case[] = [];
  for (const [M, K, N] of [[128, 768, 768], [512, 768, 2304], [1024, 768, 3072]]) {
    const x = randn([M, K], rng), w = randn([N, K], rng, 0.05), b = randn([N], rng);
    const wkn = transpose(w);
    list.push({
      op: "linear x·Wᵀ+b", shape: `${M}×${K}→${N}`, flops: 2 * M * K * N,
      ours: () => linear(x, w, b),
      tfjs: (tf) => {
        const tx = tf.tensor2d(x.data, [M, K]), tw = tf.tensor2d(wkn, [K, N]), tb = tf.tensor1d(b.data);
        return () => tf.tidy(() => tf.add(tf.matMul(tx, tw), tb)).dataSync() as Float32Array;
      },
      onnx: () => ({ nodes: [{ op: "Gemm", inputs: ["x", "W", "b"], outputs: ["y"], attrs: [{ name: "transB", i: 1 }] }], inits: [{ name: "W", dims: [N, K], data: w.data }, { name: "b", dims: [N], data: b.data }], feeds: { x }, out: [M, N] }),
      slowPeers: M === 1024,
    });
  }
  for (const T of [256, 1024]) {
    const x = randn([12 * T, T], rng, 3);
    list.push({
      op: "softmax rows", shape: `[${12 * T}, ${T}]`, ours: () => softmax(x),
      tfjs: (tf) => { const t = tf.tensor2d(x.data, [12 * T, T]); return () => tf.tidy(() => tf.softmax(t)).dataSync() as Float32Array; },
      onnx: () => ({ nodes: [{ op: "Softmax", inputs: ["x"], outputs: ["y"], attrs: [{ name: "axis", i: -1 }] }], inits: [], feeds: { x }, out: [12 * T, T] }),
    });
  }
  {
    const x = randn([1024, 768], rng), w = randn([768], rng), b = randn([768], rng);
    list.push({
      op: "layerNorm", shape: "[1024, 768]", ours: () => layerNorm(x, w, b),
      tfjs: (tf) => {
        const t = tf.tensor2d(x.data, [1024, 768]), tw = tf.tensor1d(w.data), tb = tf.tensor1d(b.data);
        return () => tf.tidy(() => {
          const { mean, variance } = tf.moments(t, -1, true);
          return tf.add(tf.mul(tf.mul(tf.sub(t, mean), tf.rsqrt(tf.add(variance, 1e-5))), tw), tb);
        }).dataSync() as Float32Array;
      },
      onnx: () => ({ nodes: [{ op: "LayerNormalization", inputs: ["x", "w", "b"], outputs: ["y"], attrs: [{ name: "axis", i: -1 }, { name: "epsilon", f: 1e-5 }] }], inits: [{ name: "w", dims: [768], data: w.data }, { name: "b", dims: [768], data: b.data }], feeds: { x }, out: [1024, 768] }),
    });
  }
  {
    const x = randn([1024, 3072], rng);
    list.push({
      op: "gelu tanh", shape: "[1024, 3072]", ours: () => gelu(x, { approximate: "tanh" }),
      tfjs: (tf) => {
        const t = tf.tensor2d(x.data, [1024, 3072]);
        const c = Math.sqrt(2 / Math.PI);
        return () => tf.tidy(() => tf.mul(tf.mul(t, 0.5), tf.add(1, tf.tanh(tf.mul(tf.add(t, tf.mul(tf.pow(t, 3), 0.044715)), c))))).dataSync() as Float32Array;
      },
      onnx: () => ({ nodes: [{ op: "Gelu", inputs: ["x"], outputs: ["y"], attrs: [{ name: "approximate", s: "tanh" }] }], inits: [], feeds: { x }, out: [1024, 3072] }),
    });
  }
  for (const T of [256, 1024, 4096]) {
    const H = 12, D = 64;
    const q = randn([H, T, D], rng), k = randn([H, T, D], rng), v = randn([H, T, D], rng);
    list.push({
      op: "causal attention", shape: `H${H} T${T} D${D}`, flops: 4 * H * T * T * D,
      ours: () => scaledDotProductAttention(q, k, v, { causal: true }).output,
      tfjs: T > 1024 ? undefined : (tf) => {
        const heads = (t: Tensor) => Array.from({ length: H }, (_, h) => tf.tensor2d(t.data.subarray(h * T * D, (h + 1) * T * D), [T, D]));
        const qs = heads(q), ks = heads(k), vs = heads(v), mask = tf.tensor2d(causalMask(T).data, [T, T]);
        return () => tf.tidy(() => tf.concat(qs.map((qh, h) => tf.matMul(tf.softmax(tf.add(tf.mul(tf.matMul(qh, ks[h], false, true), 1 / 8), mask)), vs[h])))).dataSync() as Float32Array;
      },
      onnx: T > 1024 ? undefined : () => ({
        ...causalAttentionGraph(T, D, [0, 2, 1], causalMask(T).data),
        feeds: { q, k, v }, out: [H, T, D],
      }),
      slowPeers: T > 256,
    });
  }
  return list;
}

export async function benchOps(): Promise<Row[]> {
  console.log(`  our kernels: ${wasmStatus().available ? "WebAssembly SIMD where implemented (linear, softmax, attention, GELU), JavaScript elsewhere (layerNorm); the \"JS\" column forces JavaScript" : "JavaScript (no WebAssembly SIMD here)"}`);
  const tf: TF = require("@tensorflow/tfjs-core");
  require("@tensorflow/tfjs-backend-cpu");
  require("@tensorflow/tfjs-backend-wasm");
  const ort = require("onnxruntime-node");
  const rows: Row[] = [];
  for (const c of cases()) {
    const reference = c.ours();
    const ours = measure(() => c.ours(), { minRuns: c.op === "causal attention" && c.shape.includes("4096") ? 2 : 5, minMs: 1500, warmup: 1 });
    const row: Row = { op: c.op, shape: c.shape, "ours ms": ours.median, "ours GFLOP/s": c.flops ? c.flops / ours.median / 1e6 : null };
    if (!c.shape.includes("T4096")) { // the pure-JavaScript kernels beside the default (WebAssembly SIMD where there is one)
      useWasm(false);
      const js = measure(() => c.ours(), { minRuns: 3, minMs: 1000, warmup: 1 });
      useWasm(true);
      row["ours JS ms"] = js.median;
      row["ours JS GFLOP/s"] = c.flops ? c.flops / js.median / 1e6 : null;
    } else {
      row["ours JS ms"] = null;
      row["ours JS GFLOP/s"] = null;
    }
    const tol = 1e-3 * (1 + Math.max(...Array.from(reference.data.subarray(0, 4096), Math.abs)));
    for (const backend of ["cpu", "wasm"] as const) {
      const name = `tfjs-${backend}`;
      if (!c.tfjs || (backend === "cpu" && c.slowPeers)) { row[`${name} ms`] = null; row[`vs ${name}`] = null; continue; }
      await tf.setBackend(backend);
      await tf.ready();
      const run = c.tfjs(tf);
      const diff = maxDiff(run(), reference.data);
      if (!(diff <= tol)) { row[`${name} ms`] = `wrong (${diff.toExponential(1)})`; row[`vs ${name}`] = null; continue; }
      const t: Timing = measure(run, { minRuns: backend === "cpu" ? 2 : 5, minMs: backend === "cpu" ? 500 : 1500, warmup: 1 });
      row[`${name} ms`] = t.median;
      row[`vs ${name}`] = ratio(t.median, ours.median);
      tf.disposeVariables();
    }
    if (c.onnx) {
      const g = c.onnx();
      const model = onnxModel({ nodes: g.nodes, initializers: g.inits, inputs: Object.entries(g.feeds).map(([name, t]) => ({ name, dims: [...t.shape] })), outputs: [{ name: "y", dims: g.out }] });
      const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: "sequential" });
      const feeds = Object.fromEntries(Object.entries(g.feeds).map(([name, t]) => [name, new ort.Tensor("float32", t.data, [...t.shape])]));
      const first = (await session.run(feeds)).y.data as Float32Array;
      const diff = maxDiff(first, reference.data);
      if (diff <= tol) {
        const t = await measureAsync(() => session.run(feeds), { minRuns: 5, minMs: 1500, warmup: 1 });
        row["ORT ms"] = t.median;
        row["vs ORT"] = ratio(t.median, ours.median);
      } else { row["ORT ms"] = `wrong (${diff.toExponential(1)})`; row["vs ORT"] = null; }
      await session.release();
    } else { row["ORT ms"] = null; row["vs ORT"] = null; }
    rows.push(row);
    console.log(`  ${c.op} ${c.shape}: ours ${ours.median.toFixed(2)} ms`);
  }
  table("Ops (ms, median; vs X = X's time / ours: > 1 means we are faster)", rows);
  const rss = execFileSync(process.execPath, ["--import", "tsx", new URL("./attention-memory.ts", import.meta.url).pathname], { encoding: "utf8" });
  console.log(`\nAttention memory (child process, H=12, D=64): ${rss.trim()}`);
  rows.push({ op: "attention memory", shape: "H12 T4096 D64", ...JSON.parse(rss) });
  return rows;
}
