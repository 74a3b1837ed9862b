// npm run bench:release -- <previous/src/index.ts> [runs]: this tree beside a previous release's
// sources (e.g. a `git worktree` of the last release, its src/wasm/generated.ts built), in the same
// process, alternating, medians of `runs` (default 7): ops, prompt prefill and generate for a
// GPT-2-small-shaped GPT and a SmolLM2-135M-shaped Llama, and a training step of the char model —
// plus the bytes the kernels copy between JavaScript and WebAssembly per token (this tree only).
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import * as now from "../src/index";

type Lib = typeof now;
const previousPath = process.argv[2];
if (!previousPath) throw new Error("usage: bench/release.ts <previous/src/index.ts> [runs]");
const runs = Number(process.argv[3] ?? 7);
const before = (await import(pathToFileURL(resolve(previousPath)).href)) as Lib;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn: () => void) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

interface Case { name: string; unit: string; setup(lib: Lib): () => number }
const rows: { name: string; unit: string; before: number; now: number }[] = [];

function run(c: Case) {
  const fns = [c.setup(before), c.setup(now)];
  fns.forEach((f) => f()); // warm-up
  const t: number[][] = [[], []];
  for (let r = 0; r < runs; r++) for (const i of r % 2 ? [1, 0] : [0, 1]) t[i].push(fns[i]());
  const row = { name: c.name, unit: c.unit, before: median(t[0]), now: median(t[1]) };
  rows.push(row);
  console.log(`${row.name.padEnd(62)} ${row.before.toFixed(2).padStart(9)} ${row.now.toFixed(2).padStart(9)} ${row.unit}  now/before ${(row.now / row.before).toFixed(3)}`);
}

console.log(`this tree beside ${previousPath}, ${runs} runs alternating, medians`);
const rng = (s: number) => now.createRng(s);

for (const [M, K, N] of [[1, 768, 2304], [64, 576, 1536], [128, 768, 3072]]) {
  run({
    name: `linear ${M}×${K} · ${N}×${K}ᵀ`, unit: "ms", setup(lib) {
      const x = lib.randn([M, K], rng(1)), w = lib.randn([N, K], rng(2)), b = lib.randn([N], rng(3));
      return () => time(() => { for (let i = 0; i < 5; i++) lib.linear(x, w, b); }) / 5;
    },
  });
}
run({
  name: "causal attention 12 heads × 256 × 64", unit: "ms", setup(lib) {
    const q = lib.randn([12, 256, 64], rng(4)), k = lib.randn([12, 256, 64], rng(5)), v = lib.randn([12, 256, 64], rng(6));
    return () => time(() => lib.scaledDotProductAttention(q, k, v, { causal: true }));
  },
});

const gpt2 = { vocabSize: 50257, blockSize: 1024, nLayer: 12, nHead: 12, nEmbd: 768 };
const smol = { vocabSize: 49152, blockSize: 2048, nLayer: 30, nHead: 9, nKvHead: 3, nEmbd: 576, intermediateSize: 1536, ropeTheta: 100000, eps: 1e-5, tiedEmbeddings: true };
const prompt = Array.from({ length: 128 }, (_, i) => (i * 7919) % 40000);
const models = new Map<Lib, { gpt: now.GptParams; llama: now.LlamaParams }>();
for (const lib of [before, now]) models.set(lib, { gpt: lib.initGpt(gpt2, rng(8)), llama: lib.initLlama(smol, rng(9)) });

for (const family of ["gpt", "llama"] as const) {
  const label = family === "gpt" ? "GPT-2-small-shaped" : "SmolLM2-135M-shaped Llama";
  run({
    name: `${label}: generate's prefill, 128-token prompt`, unit: "tokens/s", setup(lib) {
      const p = models.get(lib)![family];
      return () => {
        const steps = lib.generate(p, prompt, { maxNewTokens: 2, temperature: 0 });
        const ms = time(() => steps.next());
        steps.return();
        return 128 / (ms / 1000);
      };
    },
  });
  run({
    name: `${label}: generate, ms per token at context ~140`, unit: "ms", setup(lib) {
      const p = models.get(lib)![family];
      return () => {
        const steps = lib.generate(p, prompt, { maxNewTokens: 14, temperature: 0 });
        steps.next();
        const ts: number[] = [];
        for (let i = 0; i < 12; i++) ts.push(time(() => steps.next()));
        steps.return();
        return median(ts);
      };
    },
  });
}

const copied = () => now.wasmStatus().copiedBytes;
for (const family of ["gpt", "llama"] as const) {
  const steps = now.generate(models.get(now)![family], prompt, { maxNewTokens: 12, temperature: 0 });
  steps.next();
  steps.next();
  const c0 = copied();
  for (let i = 0; i < 10; i++) steps.next();
  steps.return();
  console.log(`${family}: bytes copied between JavaScript and WebAssembly per generated token (this tree): ${(copied() - c0) / 10}`);
}

const char = { vocabSize: 444, blockSize: 128, nLayer: 4, nHead: 4, nEmbd: 128 };
const B = 8, T = 128;
const ids: number[][] = [], targets: number[][] = [];
for (let b = 0; b < B; b++) {
  const r = rng(100 + b), seq = Array.from({ length: T + 1 }, () => Math.floor(r.uniform() * 444));
  ids.push(seq.slice(0, -1));
  targets.push(seq.slice(1));
}
run({
  name: "char model training step (B 8 × T 128), tokens/s", unit: "tokens/s", setup(lib) {
    const params = lib.initGpt(char, rng(1)), opt = lib.adamw(params, { lr: 1e-3, weightDecay: 0.1 });
    let grads: ReturnType<Lib["gptLossAndGrads"]>["grads"] | undefined;
    return () => (B * T) / (time(() => {
      const r = lib.gptLossAndGrads(params, ids, targets, grads ? { grads } : undefined);
      grads = r.grads;
      lib.clipGradNorm(grads, 1);
      opt.step(grads);
    }) / 1000);
  },
});

console.log("\n| | previous release | this tree | ratio |\n|---|---:|---:|---:|");
for (const r of rows) {
  const better = r.unit === "tokens/s" ? r.now / r.before : r.before / r.now;
  console.log(`| ${r.name} | ${r.before.toFixed(r.unit === "ms" ? 2 : 0)} ${r.unit} | ${r.now.toFixed(r.unit === "ms" ? 2 : 0)} ${r.unit} | ${better.toFixed(2)}× |`);
}
