// Threads (setThreads): every kernel that splits gives the same bits on 1, 2 and 3 threads — each
// op alone, a forward, 50 generated tokens of a GPT and of a quantized Llama, and 5 training steps —
// and the pool's life: validation, status, a worker that dies, a process that exits by itself.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  adamw, attentionBackward, createRng, generate, gptForward, gptLossAndGrads, initGpt, initLlama, linear, linearBackward,
  quantize, quantizeModel, randn, scaledDotProductAttention, setThreads, softmax, tensorLeaves, threadStatus, useWasm,
  wasmStatus, type GptParams, type Tensor,
} from "../src/index";
import { currentPool } from "../src/backend/threads";
import { residency } from "../src/backend/index";
import { softmaxForwardWasm } from "../src/kernels";
// @ts-expect-error a plain .mjs script without types
import { bundle } from "../scripts/bundle-size.mjs";

const wasmOn = wasmStatus().available && wasmStatus().enabled && wasmStatus().sharedMemory;
const startThreads = threadStatus().requested; // the suite may run with threads on (TP_THREADS)
afterAll(() => setThreads(startThreads));

/** fn's result on n threads, every kernel split however small (the point is the split, not the speed). */
function on<T>(n: number, fn: () => T): T {
  setThreads(n);
  const pool = currentPool();
  if (pool !== null) pool.minWork = 0;
  return fn();
}

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
function sameBits(results: Float32Array[][]): void {
  const [first, ...rest] = results;
  for (const r of rest) r.forEach((a, i) => expect(bits(a)).toEqual(bits(first[i])));
}
/** The outputs of fn on 1, 2 and 3 threads, compared bit for bit. */
function sameOnEveryCount(fn: () => Float32Array[]): void {
  sameBits([1, 2, 3].map((n) => on(n, fn)));
}

describe.runIf(wasmOn)("every split kernel gives the same bits on 1, 2 and 3 threads", () => {
  const rng = createRng(7);
  const x = randn([37, 96], rng), w = randn([203, 96], rng), b = randn([203], rng), dy = randn([37, 203], rng);

  it("linear over many rows (packed, split by rows) and its backward (dx by rows, dW by its rows)", () => {
    sameOnEveryCount(() => {
      const y = linear(x, w, b);
      const g = linearBackward(dy, x, w);
      return [y.data, g.dx.data, g.dweight.data, g.dbias!.data];
    });
  });

  it("quantized linear: one row split by output columns, many rows by rows (Q8_0, Q4_K, F16)", () => {
    const x1 = randn([1, 256], rng), x5 = randn([5, 256], rng), wq = randn([301, 256], rng);
    for (const type of ["q8_0", "q4_k", "f16"] as const) {
      const q = quantize(wq, type);
      sameOnEveryCount(() => [linear(x1, q).data, linear(x5, q).data]);
    }
  });

  it("big jobs, cut into several slices per thread (claimed by whichever thread is free), give the same bits too", () => {
    const xb = randn([256, 512], rng), wb = randn([520, 512], rng), dyb = randn([256, 520], rng);
    const q = randn([2, 4, 128, 32], rng), k = randn([2, 4, 128, 32], rng), v = randn([2, 4, 128, 32], rng);
    const wq = quantize(randn([1032, 4096], rng), "q8_0"), x1 = randn([1, 4096], rng), x3 = randn([3, 4096], rng);
    sameOnEveryCount(() => {
      const g = linearBackward(dyb, xb, wb);
      return [linear(xb, wb).data, g.dx.data, g.dweight.data, scaledDotProductAttention(q, k, v, { causal: true }).output.data, linear(x1, wq).data, linear(x3, wq).data];
    });
  });

  it("softmax split by rows where its rows live in the kernels' memory (JavaScript arrays go through in chunks, on the caller)", () => {
    const s = randn([50, 132], rng);
    const res = residency(), x = res.copy(s.data), out = res.floats(50 * 132);
    sameOnEveryCount(() => {
      expect(softmaxForwardWasm(out, x, 50, 132, 1 / 0.7)).toBe(true);
      return [out.slice(), softmax(s).data, softmax(s, { temperature: 0.7 }).data];
    });
    res.release();
  });

  it("attention split by heads (causal, grouped-query, a window) and its backward", () => {
    const q = randn([2, 4, 24, 16], rng), k = randn([2, 4, 24, 16], rng), v = randn([2, 4, 24, 16], rng), d = randn([2, 4, 24, 16], rng);
    const kg = randn([2, 2, 24, 16], rng), vg = randn([2, 2, 24, 16], rng);
    sameOnEveryCount(() => {
      const grads = attentionBackward(d, q, k, v, { causal: true });
      return [
        scaledDotProductAttention(q, k, v, { causal: true }).output.data,
        scaledDotProductAttention(q, kg, vg, { causal: true, window: 5 }).output.data,
        grads.dq.data, grads.dk.data, grads.dv.data,
      ];
    });
  });
});

describe.runIf(wasmOn)("whole models give the same bits on 1, 2 and 3 threads", () => {
  const config = { vocabSize: 50, blockSize: 96, nLayer: 2, nHead: 4, nEmbd: 64 };
  const gpt = initGpt(config, createRng(1));
  const ids = Array.from({ length: 40 }, (_, i) => (i * 7) % 50);

  it("a GPT forward (logits of every position)", () => {
    sameOnEveryCount(() => [gptForward(gpt, ids).data]);
  });

  it("50 tokens of a GPT and of a Q8_0 Llama, sampled at temperature 1 (the same ids and the same logits' consequences)", () => {
    const llama = quantizeModel(initLlama({ vocabSize: 64, blockSize: 96, nLayer: 2, nHead: 4, nKvHead: 2, nEmbd: 64, intermediateSize: 128 }, createRng(2)), "q8_0");
    for (const params of [gpt, llama]) {
      const runs = [1, 2, 3].map((n) => on(n, () => [...generate(params, ids.slice(0, 9), { maxNewTokens: 50, temperature: 1, rng: createRng(5) })]));
      expect(runs[0]).toHaveLength(50);
      expect(runs[1]).toEqual(runs[0]);
      expect(runs[2]).toEqual(runs[0]);
    }
  });

  it("5 training steps of a GPT (gptLossAndGrads and AdamW): the same parameters, bit for bit", () => {
    const targets = ids.map((t) => (t + 1) % 50);
    sameOnEveryCount(() => {
      const params = structuredClone(gpt) as GptParams;
      const opt = adamw(params, { lr: 1e-2, weightDecay: 0.1 });
      const losses: number[] = [];
      for (let step = 0; step < 5; step++) {
        const { loss, grads } = gptLossAndGrads(params, [ids, ids.slice().reverse()], [targets, targets.slice().reverse()]);
        losses.push(loss);
        opt.step(grads);
      }
      return [Float32Array.from(losses), ...tensorLeaves(params).map((l) => (l.tensor as Tensor).data)];
    });
  });
});

describe("setThreads and threadStatus", () => {
  it("refuses what is not an integer from 1 to 64 or \"auto\"", () => {
    for (const bad of [0, -1, 1.5, 65, Number.NaN, "all", null]) {
      expect(() => setThreads(bad as never)).toThrow(/^setThreads: n must be an integer from 1 to 64 or "auto", got /);
    }
    expect(() => setThreads("4" as never)).toThrow('setThreads: n must be an integer from 1 to 64 or "auto", got "4"');
  });

  it.runIf(wasmOn)("reports the threads in use, what was asked, and starts workers at the first split kernel", () => {
    setThreads(1);
    expect(threadStatus()).toMatchObject({ threads: 1, requested: 1, workers: 0, reason: null });
    setThreads(2);
    expect(threadStatus()).toMatchObject({ threads: 2, requested: 2, workers: 0, reason: null });
    linear(randn([64, 256], createRng(0)), randn([256, 256], createRng(1)));
    expect(threadStatus().workers).toBe(1);
    setThreads(1);
    expect(threadStatus()).toMatchObject({ threads: 1, workers: 0, workerSlices: 0 });
  });

  it.runIf(wasmOn)("the worker really runs slices (it starts asynchronously: until then the caller runs them all)", async () => {
    setThreads(2);
    const x = randn([64, 256], createRng(0)), w = randn([512, 256], createRng(1));
    for (let i = 0; i < 200 && threadStatus().workerSlices === 0; i++) {
      linear(x, w);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(threadStatus().workerSlices).toBeGreaterThan(0);
    setThreads(1);
  });

  it.runIf(wasmOn)("\"auto\" is min(4, cores) in Node", () => {
    setThreads("auto");
    const auto = threadStatus();
    expect(auto.requested).toBe("auto");
    expect(auto.threads).toBe(Math.min(4, auto.cores));
    setThreads(1);
    expect(threadStatus()).toMatchObject({ threads: 1, workers: 0 });
  });

  it.runIf(wasmOn)("says why the threads sit idle under useWasm(false)", () => {
    setThreads(2);
    useWasm(false);
    try {
      expect(threadStatus()).toMatchObject({ threads: 1, reason: expect.stringContaining("useWasm(false)") });
    } finally {
      useWasm(process.env.TP_KERNELS !== "js");
    }
    setThreads(1);
  });

  it.runIf(wasmOn)("switching thread counts back and forth (workers of the old pool still ending) keeps the bits and never hangs", () => {
    const x = randn([64, 256], createRng(0)), w = randn([300, 256], createRng(1)), q8 = quantize(w, "q8_0"), x1 = randn([1, 256], createRng(2));
    const expected = on(1, () => [linear(x, w).data, linear(x1, q8).data]);
    for (let i = 0; i < 40; i++) {
      const got = on(1 + (i % 3), () => [linear(x, w).data, linear(x1, q8).data]);
      expect(bits(got[0])).toEqual(bits(expected[0]));
      expect(bits(got[1])).toEqual(bits(expected[1]));
    }
    setThreads(1);
  });

  it.runIf(wasmOn)("a worker that dies makes the next call throw, not hang; setThreads starts new ones", async () => {
    const x = randn([64, 256], createRng(0)), w = randn([256, 256], createRng(1));
    const expected = on(1, () => linear(x, w).data);
    on(2, () => linear(x, w));
    currentPool()!.killWorker(0);
    for (let i = 0; i < 100 && threadStatus().reason === null; i++) await new Promise((r) => setTimeout(r, 20));
    expect(threadStatus().reason).toMatch(/^a worker thread exited with code/);
    expect(() => linear(x, w)).toThrow(/^setThreads: a worker thread exited with code \d+ \(found at the kernel \w+\); call setThreads\(\) again to start new ones$/);
    setThreads(2);
    currentPool()!.minWork = 0;
    expect(bits(linear(x, w).data)).toEqual(bits(expected));
    expect(threadStatus().reason).toBeNull();
    setThreads(1);
  });

  it.runIf(wasmOn)("a Node script that used threads exits by itself", () => {
    const dir = mkdtempSync(join(tmpdir(), "tp-threads-"));
    const script = join(dir, "uses-threads.ts");
    const src = resolve("src/index.ts").replace(/\\/g, "/");
    writeFileSync(script, `import { linear, randn, createRng, setThreads, threadStatus } from "${src}";
setThreads(2);
const y = linear(randn([256, 512], createRng(0)), randn([512, 512], createRng(1)));
console.log("workers", threadStatus().workers, "sum", y.data.reduce((a, b) => a + b, 0).toFixed(2));
`);
    const started = Date.now();
    const r = spawnSync(process.execPath, [resolve("node_modules/tsx/dist/cli.mjs"), script], { encoding: "utf8", timeout: 30_000 });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^workers 1 sum -?\d/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it.runIf(wasmOn)("threads work from a minified bundle (esbuild, as an app's bundler makes it): the same bits, workers that run slices", async () => {
    const b = await bundle(`import { createRng, linear, randn, setThreads, threadStatus } from "./src/index.ts";
const x = randn([128, 512], createRng(0)), w = randn([1024, 512], createRng(1));
const bits = (a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length)).join(",");
const one = bits(linear(x, w).data);
setThreads(2);
let same = true;
for (let i = 0; i < 100 && threadStatus().workerSlices === 0; i++) { same &&= bits(linear(x, w).data) === one; await new Promise((r) => setTimeout(r, 10)); }
console.log(JSON.stringify({ same, workerSlices: threadStatus().workerSlices }));`);
    const dir = mkdtempSync(join(tmpdir(), "tp-bundle-threads-"));
    writeFileSync(join(dir, "app.mjs"), b.text);
    const r = spawnSync(process.execPath, [join(dir, "app.mjs")], { encoding: "utf8", timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim());
    expect(out.same).toBe(true);
    expect(out.workerSlices).toBeGreaterThan(0);
  });
});
