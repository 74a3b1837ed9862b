// npm run bench browser: the engines a web page would run a GGUF model with, in Debian's Chromium
// (playwright-core, never a downloaded browser), on the same SmolLM2-135M-shaped files (Q8_0, Q4_0;
// random weights), at 1 and 2 threads: wllama (llama.cpp compiled to WebAssembly, its own workers)
// and this library (in a module Worker: loadGguf, modelFromGguf, residentParams, setThreads). The
// page is served from 127.0.0.1 with COOP/COEP, so both may use threads. Each cell: a 128-token
// prompt (tokens/s, the first new token included) and then ms per generated token, medians of 3
// rounds that alternate the two engines. wllama takes its prompt as text: the files carry a vocabulary
// in which each of 128 letters is one token. The library must be built (npm run build) first.
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

const TYPES: Record<string, string> = { ".js": "text/javascript", ".wasm": "application/wasm", ".gguf": "application/octet-stream", ".map": "application/json" };

function serve(models: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const headers = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };
    if (path === "/") return res.writeHead(200, { "content-type": "text/html", ...headers }).end(page);
    if (path === "/worker.js") return res.writeHead(200, { "content-type": "text/javascript", ...headers }).end(worker);
    const mounts: [string, string][] = [["/dist/", join(root, "dist/")], ["/wllama/", wllamaDir], ["/models/", models + "/"]];
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
    return rows;
  } finally {
    await browser.close();
    server.close();
    rmSync(models, { recursive: true, force: true });
  }
}
