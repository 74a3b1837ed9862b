// Threads in a real browser (part of npm run test:browser): the built library (dist/) served from
// 127.0.0.1 twice — with COOP/COEP headers (cross-origin isolated: SharedArrayBuffer, threads) and
// without. In a module Worker of the isolated page, linear, attention and 50 generated tokens give
// the same bits on 1, 2 and 3 threads, and the workers really run slices; the page's main thread
// runs on one thread and says why; without the headers the Worker runs on one thread and says why.
import { createServer } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));

// The Worker: results on 1, 2 and 3 threads, after giving the workers a moment to start.
const workerScript = `
import { createRng, generate, initGpt, linear, randn, scaledDotProductAttention, setThreads, softmax, threadStatus } from "./dist/index.js";
const bits = (a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length)).join(",");
const rng = createRng(3);
const x = randn([64, 256], rng), w = randn([300, 256], rng), x1 = randn([1, 256], rng);
const xBig = randn([256, 1024], rng), wBig = randn([1024, 1024], rng); // ~30 ms of work: a sleeping worker wakes well within it
const q = randn([1, 6, 64, 32], rng), k = randn([1, 6, 64, 32], rng), v = randn([1, 6, 64, 32], rng), s = randn([64, 512], rng);
const gpt = initGpt({ vocabSize: 40, blockSize: 80, nLayer: 2, nHead: 4, nEmbd: 64 }, createRng(1));
const outputs = () => [linear(xBig, wBig).data, linear(x, w).data, linear(x1, w).data, scaledDotProductAttention(q, k, v, { causal: true }).output.data, softmax(s).data].map(bits).join("|")
  + "|" + [...generate(gpt, [1, 2, 3], { maxNewTokens: 50, temperature: 1, rng: createRng(5) })].join(",");
const runs = [];
for (const n of [1, 2, 3]) {
  setThreads(n);
  outputs(); // the workers start (asynchronously: until they do, the caller runs every slice)
  await new Promise((r) => setTimeout(r, 300));
  runs.push({ n, out: outputs(), status: threadStatus() });
}
setThreads(1);
postMessage({ isolated: self.crossOriginIsolated, same: runs.every((r) => r.out === runs[0].out), statuses: runs.map((r) => r.status) });
`;

const page = `<!doctype html><meta charset="utf-8"><title>threads</title><script type="module">
import { setThreads, threadStatus } from "./dist/index.js";
setThreads(2);
window.mainThread = threadStatus();
const w = new Worker("./worker.js", { type: "module" });
w.onmessage = (e) => { window.result = e.data; };
w.onerror = (e) => { window.result = { error: e.message ?? "worker error" }; };
</script>`;

const types = { ".js": "text/javascript", ".map": "application/json" };

/** Serves dist/, the page and the Worker, with COOP/COEP headers under /isolated/ and without under /plain/. */
function serve() {
  return createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    const isolated = url.pathname.startsWith("/isolated/"), rest = url.pathname.replace(/^\/(isolated|plain)/, "");
    const headers = isolated ? { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" } : {};
    const send = (type, body) => res.writeHead(200, { "content-type": type, ...headers }).end(body);
    if (rest === "/" || rest === "/index.html") return send("text/html", page);
    if (rest === "/worker.js") return send("text/javascript", workerScript);
    const file = join(dist, normalize(decodeURIComponent(rest.replace(/^\/dist\//, ""))).replace(/^(\.\.[/\\])+/, ""));
    if (!rest.startsWith("/dist/") || !file.startsWith(dist) || !existsSync(file)) return res.writeHead(404, headers).end("not found");
    send(types[extname(file)] ?? "application/octet-stream", readFileSync(file));
  });
}

/** Runs the checks in `browser` (playwright-core's), reporting each through `report(ok, what, detail)`. */
export async function threadChecks(browser, report) {
  if (!existsSync(join(dist, "index.js"))) { report(false, "threads: the library is built (dist/index.js)", "run npm run build first"); return; }
  const server = serve();
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    for (const variant of ["isolated", "plain"]) {
      const p = await browser.newPage();
      const problems = [];
      p.on("pageerror", (e) => problems.push(e.message));
      await p.goto(`${base}/${variant}/`);
      await p.waitForFunction(() => window.result !== undefined, null, { timeout: 60_000 });
      const { result, mainThread } = await p.evaluate(() => ({ result: window.result, mainThread: window.mainThread }));
      if (result.error) { report(false, `threads (${variant}): the Worker ran`, result.error); await p.close(); continue; }
      const counts = result.statuses.map((s) => s.threads).join(", ");
      if (variant === "isolated") {
        report(result.isolated === true, "threads: the page served with COOP/COEP is cross-origin isolated");
        report(counts === "1, 2, 3", `threads: a Worker of the isolated page runs on 1, 2 and 3 threads (got ${counts})`, JSON.stringify(result.statuses));
        report(result.statuses[1].workerSlices > 0 && result.statuses[2].workerSlices > 0, `threads: its worker threads ran slices (${result.statuses.map((s) => s.workerSlices).join(", ")})`);
        report(result.same, "threads: linear, attention, softmax and 50 generated tokens give the same bits on 1, 2 and 3 threads in Chromium");
        report(mainThread.threads === 1 && /^main thread of a page/.test(mainThread.reason ?? ""), `threads: the page's main thread runs on one and says why ("${mainThread.reason}")`);
      } else {
        report(result.isolated === false && counts === "1, 1, 1" && /not cross-origin isolated/.test(result.statuses[1].reason ?? ""), `threads: without the headers a Worker runs on one thread and says why ("${result.statuses[1].reason}")`);
      }
      report(problems.length === 0, `threads (${variant}): no page errors`, problems.join("; "));
      await p.close();
    }
  } finally {
    server.close();
  }
}
