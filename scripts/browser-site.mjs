// The static site (npm run build:site) in Chromium, served from a sub-path as GitHub Pages would
// serve it (/transformer-primitives/), with the headers its _headers file asks for: the landing page
// links the playground and the API docs, the playground loads and walks with every core (the page is
// cross-origin isolated), a docs link from a section opens its function's page, and no request
// leaves the sub-path (every URL is relative).
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serveStatic } from "./static-server.mjs";

const site = fileURLToPath(new URL("../site/", import.meta.url));
const BASE = "/transformer-primitives/";

/** The headers of a Netlify-style _headers file's "/*" block. */
function siteHeaders() {
  const lines = readFileSync(join(site, "_headers"), "utf8").split("\n").slice(1);
  return Object.fromEntries(lines.map((l) => l.trim()).filter(Boolean).map((l) => [l.slice(0, l.indexOf(":")).trim(), l.slice(l.indexOf(":") + 1).trim()]));
}

export async function siteChecks(browser, report) {
  if (!existsSync(join(site, "index.html"))) { report(false, "site: built", "run npm run build:site first"); return; }
  const headers = siteHeaders();
  const outside = [];
  const { server, url: root } = await serveStatic(site, { base: BASE, headers, outside: (path) => outside.push(path) });
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
