// npm run bench browser: the engines a web page would run a GGUF model with, in Debian's Chromium
// (playwright-core, never a downloaded browser), on the same SmolLM2-135M-shaped files (Q8_0, Q4_0;
// random weights), at 1 and 2 threads: wllama (llama.cpp compiled to WebAssembly, its own workers)
// and this library (in a module Worker: loadGguf, modelFromGguf, residentParams, setThreads). The
// page is served from 127.0.0.1 with COOP/COEP, so both may use threads. Each cell: a 128-token
// prompt (tokens/s, the first new token included) and then ms per generated token, medians of 3
// rounds that alternate the two engines. wllama takes its prompt as text: the files carry a vocabulary
// in which each of 128 letters is one token. Then tfjs-wasm (its threaded SIMD build, setThreadsCount,
// fixed when its backend starts: one page load per count) beside ours on linear 1024×768→3072 and
// causal attention H12 T1024 D64, outputs compared before timing. The library must be built
// (npm run build) first.
import { chromium } from "playwright-core";
import { createServer, type Server } from "node:http";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { execSync } from "node:child_process";
import { createRng, initLlama, modelToGguf, type GgufValue, type LlamaConfig, type WeightType } from "../src/index";
import { table, type Row } from "./harness";

const C = 576, V = 49152;
const CONFIG: LlamaConfig = { vocabSize: V, blockSize: 2048, nLayer: 30, nHead: 9, nKvHead: 3, nEmbd: C, intermediateSize: 1536, ropeTheta: 100000, eps: 1e-5, tiedEmbeddings: true };
const root = new URL("..", import.meta.url).pathname;
const wllamaDir = join(root, "bench/node_modules/@wllama/wllama/esm/");

/** A byte-level BPE vocabulary without merges: the printable ASCII characters are tokens of their own. */
function letterVocabulary(): Record<string, GgufValue> {
  const tokens = Array.from({ length: V }, (_, i) => (i >= 33 && i < 127 ? String.fromCharCode(i) : `t${i}`));
  return {
    "tokenizer.ggml.model": { type: "string", value: "gpt2" },
    "tokenizer.ggml.pre": { type: "string", value: "default" },
    "tokenizer.ggml.tokens": { type: "array", itemType: "string", value: tokens },
    "tokenizer.ggml.token_type": { type: "array", itemType: "i32", value: new Int32Array(V).fill(1) },
    "tokenizer.ggml.merges": { type: "array", itemType: "string", value: ["t 0"] },
    "tokenizer.ggml.add_bos_token": { type: "bool", value: false },
  };
}

const page = `<!doctype html><meta charset="utf-8"><title>bench</title><script type="module">
import { Wllama } from "/wllama/index.js";
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const letters = (r) => Array.from({ length: 128 }, (_, i) => String.fromCharCode(97 + ((i * 7 + r) % 26))).join("");
async function oursWorker(url) {
  const w = new Worker("/worker.js", { type: "module" });
  const ask = (msg) => new Promise((ok, fail) => { w.onmessage = (e) => (e.data.error ? fail(new Error(e.data.error)) : ok(e.data)); w.onerror = (e) => fail(new Error(e.message)); w.postMessage(msg); });
  await ask({ load: url });
  return { run: (threads) => ask({ threads }), end: () => w.terminate() };
}
window.run = async (files, counts) => {
  const rows = [];
  for (const [type, url] of files) {
    const ours = await oursWorker(url);
    const blob = await (await fetch(url)).blob();
    for (const threads of counts) {
      const wllama = new Wllama({ default: "/wllama/wasm/wllama.wasm" }, { suppressNativeLog: true });
      await wllama.loadModel([blob], { n_threads: threads, n_ctx: 512, n_batch: 512 });
      const cell = { type, threads, wllamaThreads: wllama.getNumThreads?.() ?? null, wllama: { prefill: [], decode: [], promptTokens: [] }, ours: { prefill: [], decode: [], status: null } };
      for (let r = 0; r < 3; r++) {
        const out = await wllama.createCompletion({ prompt: letters(r), max_tokens: 16, temperature: 0 });
        cell.wllama.prefill.push(out.timings.prompt_per_second);
        cell.wllama.decode.push(out.timings.predicted_per_token_ms);
        cell.wllama.promptTokens.push(out.timings.prompt_n);
        const m = await ours.run(threads);
        cell.ours.prefill.push(m.prefill);
        cell.ours.decode.push(m.decode);
        cell.ours.status = m.status;
      }
      await wllama.exit();
      rows.push(cell);
    }
    ours.end();
  }
  return { isolated: crossOriginIsolated, rows };
};
window.ready = true;
</script>`;

// Ours, as llamacpp.ts times it: the first generate step is the prompt and the first new token, then
// the median of 12 steps.
const worker = `
import { generate, loadGguf, modelFromGguf, residentParams, setThreads, threadStatus } from "/dist/index.js";
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const PROMPT = Array.from({ length: 128 }, (_, i) => 2 + ((i * 7919) % 40000));
let params, warm = new Set();
function once() {
  const steps = generate(params, PROMPT, { maxNewTokens: 14, temperature: 0 });
  let t = performance.now();
  steps.next();
  const first = performance.now() - t, ts = [];
  for (let i = 0; i < 12; i++) { t = performance.now(); steps.next(); ts.push(performance.now() - t); }
  steps.return();
  return { prefill: PROMPT.length / (first / 1000), decode: median(ts) };
}
onmessage = async ({ data }) => {
  try {
    if (data.load) {
      params = residentParams(modelFromGguf(loadGguf(new Uint8Array(await (await fetch(data.load)).arrayBuffer()))));
      return postMessage({ loaded: true });
    }
    setThreads(data.threads);
    if (!warm.has(data.threads)) { once(); await new Promise((ok) => setTimeout(ok, 300)); warm.add(data.threads); } // the workers start on first use
    postMessage({ ...once(), status: threadStatus() });
  } catch (e) { postMessage({ error: String(e?.stack ?? e) }); }
};
`;

// The op inputs, made alike on both sides (no RNG to share): linear's x [1024, 768], W [3072, 768],
// b [3072]; attention's q, k, v [12, 1024, 64].
const fill = `const fill = (n, seed, scale) => { const a = new Float32Array(n); for (let i = 0; i < n; i++) a[i] = scale * Math.sin(i * 0.618 + seed); return a; };
const M = 1024, K = 768, N = 3072, H = 12, T = 1024, D = 64;
const x = fill(M * K, 1, 1), w = fill(N * K, 2, 0.05), b = fill(N, 3, 1), q = fill(H * T * D, 4, 1), k = fill(H * T * D, 5, 1), v = fill(H * T * D, 6, 1);
const median = (a) => [...a].sort((p, r) => p - r)[a.length >> 1];
const time = async (fn) => { fn(); fn(); const ts = [], s = performance.now(); while (ts.length < 5 || performance.now() - s < 1500) { const t = performance.now(); await fn(); ts.push(performance.now() - t); } return median(ts); };`;

const opsWorker = `
import { linear, scaledDotProductAttention, setThreads, tensor, threadStatus } from "/dist/index.js";
${fill}
const tx = tensor(x, [M, K]), tw = tensor(w, [N, K]), tb = tensor(b, [N]), tq = tensor(q, [1, H, T, D]), tk = tensor(k, [1, H, T, D]), tv = tensor(v, [1, H, T, D]);
const ops = { linear: () => linear(tx, tw, tb).data, attention: () => scaledDotProductAttention(tq, tk, tv, { causal: true }).output.data };
let started = false;
onmessage = async ({ data: { threads, op } }) => {
  setThreads(threads);
  if (!started) { ops.linear(); await new Promise((ok) => setTimeout(ok, 300)); started = true; } // the workers start on first use
  const out = ops[op]();
  postMessage({ out, ms: await time(ops[op]), status: threadStatus() });
};
`;

// tfjs-wasm runs in a classic Worker (importScripts of its UMD builds), where its thread pool may block.
const tfjsWorker = `importScripts("/tfjs-core/tf-core.min.js", "/tfjs-wasm/dist/tf-backend-wasm.min.js");
onmessage = async ({ data: { threads } }) => { try {
${fill}
tf.wasm.setWasmPaths("/tfjs-wasm/wasm-out/");
tf.wasm.setThreadsCount(threads);
await tf.setBackend("wasm");
const wkn = new Float32Array(K * N); for (let n = 0; n < N; n++) for (let j = 0; j < K; j++) wkn[j * N + n] = w[n * K + j];
const mask = new Float32Array(T * T); for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) mask[i * T + j] = -Infinity;
const tx = tf.tensor2d(x, [M, K]), tw = tf.tensor2d(wkn, [K, N]), tb = tf.tensor1d(b), tm = tf.tensor2d(mask, [T, T]);
const tq = tf.tensor3d(q, [H, T, D]), tk = tf.tensor3d(k, [H, T, D]), tv = tf.tensor3d(v, [H, T, D]);
const theirs = {
  linear: () => tf.tidy(() => tf.add(tf.matMul(tx, tw), tb)).dataSync(),
  attention: () => tf.tidy(() => tf.matMul(tf.softmax(tf.add(tf.mul(tf.matMul(tq, tk, false, true), 1 / 8), tm)), tv)).dataSync(),
};
const ours = new Worker("/ops-worker.js", { type: "module" });
const ask = (msg) => new Promise((ok) => { ours.onmessage = (e) => ok(e.data); ours.postMessage(msg); });
const result = { isolated: crossOriginIsolated, backend: tf.getBackend(), tfjsThreads: tf.wasm.getThreadsCount(), ops: {} };
for (const op of ["linear", "attention"]) {
  const cell = { tfjs: [], ours: [], maxDiff: 0 };
  for (let r = 0; r < 3; r++) {
    const mine = await ask({ threads, op });
    const got = theirs[op]();
    for (let i = 0; i < got.length; i++) cell.maxDiff = Math.max(cell.maxDiff, Math.abs(got[i] - mine.out[i]));
    cell.tfjs.push(await time(theirs[op]));
    cell.ours.push(mine.ms);
    cell.status = mine.status;
  }
  result.ops[op] = cell;
}
postMessage(result);
} catch (e) { postMessage({ error: String(e?.stack ?? e) }); } };`;

const tfjsPage = `<!doctype html><meta charset="utf-8"><title>tfjs</title><script type="module">
const threads = Number(new URLSearchParams(location.search).get("threads"));
const w = new Worker("/tfjs-worker.js");
w.onmessage = (e) => { window.result = e.data; };
w.onerror = (e) => { window.result = { error: e.message ?? "worker error" }; };
w.postMessage({ threads });
</script>`;

const TYPES: Record<string, string> = { ".js": "text/javascript", ".wasm": "application/wasm", ".gguf": "application/octet-stream", ".map": "application/json" };

function serve(models: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const headers = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };
    if (path === "/") return res.writeHead(200, { "content-type": "text/html", ...headers }).end(page);
    if (path === "/tfjs.html") return res.writeHead(200, { "content-type": "text/html", ...headers }).end(tfjsPage);
    if (path === "/tfjs-worker.js") return res.writeHead(200, { "content-type": "text/javascript", ...headers }).end(tfjsWorker);
    if (path === "/ops-worker.js") return res.writeHead(200, { "content-type": "text/javascript", ...headers }).end(opsWorker);
    if (path === "/worker.js") return res.writeHead(200, { "content-type": "text/javascript", ...headers }).end(worker);
    const mounts: [string, string][] = [["/dist/", join(root, "dist/")], ["/wllama/", wllamaDir], ["/tfjs-core/", join(root, "bench/node_modules/@tensorflow/tfjs-core/dist/")], ["/tfjs-wasm/", join(root, "bench/node_modules/@tensorflow/tfjs-backend-wasm/")], ["/models/", models + "/"]];
    const mount = mounts.find(([prefix]) => path.startsWith(prefix));
    const file = mount && join(mount[1], normalize(path.slice(mount[0].length)).replace(/^(\.\.[/\\])+/, ""));
    if (!mount || !file || !file.startsWith(mount[1]) || !existsSync(file)) return res.writeHead(404, headers).end("not found");
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", ...headers }).end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` })));
}

export async function benchBrowser(threadCounts: number[], types: WeightType[] = ["q8_0", "q4_0"]): Promise<Row[]> {
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(executablePath)) throw new Error(`bench browser: no Chromium at ${executablePath} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  if (!existsSync(wllamaDir)) throw new Error("bench browser: wllama is not installed in bench/node_modules (npm ci in bench/)");
  if (!existsSync(join(root, "dist/index.js"))) execSync("npm run build", { cwd: root, stdio: "inherit" });
  const models = mkdtempSync(join(tmpdir(), "tp-bench-browser-"));
  const base = initLlama(CONFIG, createRng(9));
  for (const type of types) writeFileSync(join(models, `${type}.gguf`), modelToGguf(base, { type, metadata: letterVocabulary() }));
  const { server, url } = await serve(models);
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const tab = await browser.newPage();
    const errors: string[] = [];
    tab.on("pageerror", (e) => errors.push(e.message));
    await tab.goto(url);
    await tab.waitForFunction("window.ready === true", undefined, { timeout: 30_000 }).catch(() => { throw new Error(`bench browser: the page did not start: ${errors.join("; ")}`); });
    type Cell = { type: string; threads: number; wllamaThreads: number | null; wllama: { prefill: number[]; decode: number[]; promptTokens: number[] }; ours: { prefill: number[]; decode: number[]; status: unknown } };
    const files = JSON.stringify(types.map((t) => [t, `/models/${t}.gguf`]));
    const result = (await tab.evaluate(`window.run(${files}, ${JSON.stringify(threadCounts)})`)) as { isolated: boolean; rows: Cell[] };
    if (!result.isolated) throw new Error("bench browser: the page is not cross-origin isolated");
    const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
    const rows: Row[] = result.rows.map((c) => ({
      row: c.type, threads: String(c.threads), "wllama's threads": c.wllamaThreads, "prompt tokens (wllama)": med(c.wllama.promptTokens),
      "wllama tok/s": med(c.wllama.prefill), "ours tok/s": med(c.ours.prefill), "prompt vs wllama": med(c.ours.prefill) / med(c.wllama.prefill),
      "wllama ms/token": med(c.wllama.decode), "ours ms/token": med(c.ours.decode), "decode vs wllama": med(c.wllama.decode) / med(c.ours.decode),
    }));
    table("SmolLM2-135M-shaped Llama in Chromium, the same GGUF file, both engines at the same thread count: 128-token prompt, then generate (medians of 3)", rows);
    const ops: Row[] = [];
    type OpCell = { tfjs: number[]; ours: number[]; maxDiff: number; status: unknown };
    for (const threads of threadCounts) {
      const tab2 = await browser.newPage();
      const errs: string[] = [];
      tab2.on("pageerror", (e) => errs.push(e.message));
      if (process.env.TP_DEBUG) tab2.on("console", (m) => console.log("tfjs page:", m.text()));
      await tab2.goto(`${url}tfjs.html?threads=${threads}`);
      await tab2.waitForFunction("window.result !== undefined", undefined, { timeout: 600_000 }).catch(() => { throw new Error(`bench browser: the tfjs page did not finish: ${errs.join("; ")}`); });
      const r = (await tab2.evaluate("window.result")) as { error?: string; isolated: boolean; backend: string; tfjsThreads: number; ops: Record<string, OpCell> };
      if (r.error) throw new Error(`bench browser: the tfjs worker failed: ${r.error}`);
      if (!r.isolated || r.backend !== "wasm") throw new Error(`bench browser: the tfjs page is not isolated or not on wasm (${r.backend})`);
      for (const [op, c] of Object.entries(r.ops)) {
        if (!(c.maxDiff < 1e-2)) throw new Error(`bench browser: tfjs-wasm's ${op} differs from ours by ${c.maxDiff}`);
        ops.push({ case: op === "linear" ? "linear 1024×768→3072" : "causal attention H12 T1024 D64", threads: String(threads), "tfjs's threads": String(r.tfjsThreads),
          "tfjs-wasm ms": med(c.tfjs), "ours ms": med(c.ours), "ours vs tfjs-wasm": `${(med(c.tfjs) / med(c.ours)).toFixed(2)}×` });
      }
      await tab2.close();
    }
    table("Ops in Chromium beside tfjs-wasm (threaded SIMD build) at the same thread count (medians of 3 rounds)", ops);
    return [...rows, ...ops];
  } finally {
    await browser.close();
    server.close();
    rmSync(models, { recursive: true, force: true });
  }
}
