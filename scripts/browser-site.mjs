// The static site (npm run build:site) in Chromium, served from a sub-path as GitHub Pages would
// serve it (/transformer-primitives/), with the headers its _headers file asks for: the landing page
// links the playground and the API docs, the playground loads and walks with every core (the page is
// cross-origin isolated), a docs link from a section opens its function's page, and no request
// leaves the sub-path (every URL is relative).
import { createServer } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const site = fileURLToPath(new URL("../site/", import.meta.url));
const BASE = "/transformer-primitives/";
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".tiktoken": "text/plain", ".svg": "image/svg+xml", ".json": "application/json", ".png": "image/png" };

/** The headers of a Netlify-style _headers file's "/*" block. */
function siteHeaders() {
  const lines = readFileSync(join(site, "_headers"), "utf8").split("\n").slice(1);
  return Object.fromEntries(lines.map((l) => l.trim()).filter(Boolean).map((l) => [l.slice(0, l.indexOf(":")).trim(), l.slice(l.indexOf(":") + 1).trim()]));
}

export async function siteChecks(browser, report) {
  if (!existsSync(join(site, "index.html"))) { report(false, "site: built", "run npm run build:site first"); return; }
  const headers = siteHeaders();
  const outside = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    // the browser asks the origin for /favicon.ico when a page names no icon (typedoc's): a host answers it
    if (path === "/favicon.ico") { res.writeHead(204).end(); return; }
    if (!path.startsWith(BASE)) { outside.push(path); res.writeHead(404).end("outside the site's sub-path"); return; }
    const rel = normalize(path.slice(BASE.length)).replace(/^(\.\.[/\\])+/, "");
    const file = join(site, rel.endsWith("/") || rel === "." || rel === "" ? join(rel, "index.html") : rel);
    if (!file.startsWith(site) || !existsSync(file)) { res.writeHead(404).end("not found"); return; }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", ...headers }).end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const root = `http://127.0.0.1:${server.address().port}${BASE}`;
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  try {
    await page.goto(root);
    report(/transformer-primitives/.test(await page.title()), "site: the landing page is served from a sub-path");
    await page.click("#playground");
    await page.waitForSelector("body[data-ready='true']", { timeout: 60_000 });
    const status = (await page.textContent("#model-status")) ?? "";
    const threads = Math.min(4, availableParallelism());
    report(await page.evaluate(() => crossOriginIsolated) && new RegExp(`on ${threads} thread${threads === 1 ? "" : "s"}\\.`).test(status), `site: the playground is cross-origin isolated by the _headers and its model runs on ${threads} thread${threads === 1 ? "" : "s"}`, status);
    report((await page.textContent("#output")) === "AABBCC", "site: the playground walks nano-sort from the sub-path");
    report(/Weights held once in the kernels' memory: [\d.]+ MB resident/.test(status), "site: in the isolated page the model's weights are resident in the kernels' shared memory, and the page says how much", status);
    const href = await page.getAttribute("#layer-norm .links a", "href");
    await page.click("#layer-norm .links a");
    await page.waitForLoadState("load");
    report(/layerNorm/.test(await page.title()) && page.url().startsWith(`${root}api/`), `site: a section's docs link (${href}) opens its function's page`, `${await page.title()} at ${page.url()}`);
    await page.goto(root);
    await page.click("#api");
    await page.waitForLoadState("load");
    report(/transformer-primitives/.test(await page.title()) && page.url().startsWith(`${root}api/`), "site: the landing page links the API docs");
    report(outside.length === 0, "site: every request stays under the sub-path (relative URLs only)", outside.join(", "));
    report(problems.length === 0, "site: no console errors and no failed requests", problems.join("; "));
  } catch (e) {
    report(false, "site: the run", e.stack ?? String(e));
  } finally {
    await page.close();
    server.close();
  }
}
