// The playground in a real browser: serves the built site (docs/playground) from 127.0.0.1, drives
// Debian's Chromium with playwright-core (never a downloaded browser), and checks what a visitor
// does — types CBABAC and gets AABBCC, sees 3 layers × 3 heads of attention, moves the temperature
// slider and sees the sampling figure change, reaches every control with the keyboard alone — with no
// console error or failed request. Also parses every viz figure with the browser's DOMParser.
// Saves a screenshot per section under .test-results/screenshots/ and writes .test-results/browser.json.
import { createServer } from "node:http";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { threadChecks } from "./browser-threads.mjs";

const root = fileURLToPath(new URL("../docs/playground/", import.meta.url));
const results = fileURLToPath(new URL("../.test-results/", import.meta.url));
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
let passed = 0, failed = 0;
const report = (ok, what, detail = "") => {
  if (ok) { passed++; console.log(`ok   ${what}`); } else { failed++; console.error(`FAIL ${what}${detail ? `: ${detail}` : ""}`); }
};
const finish = (extra = {}) => {
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, "browser.json"), JSON.stringify({ passed, failed, ...extra }, null, 2));
  console.log(`${passed} passed, ${failed} failed (browser)`);
  process.exit(failed ? 1 : 0);
};
if (!existsSync(join(root, "index.html"))) { report(false, "the playground is built", "run npm run build:playground first"); finish(); }
if (!existsSync(executablePath)) { report(false, `Chromium at ${executablePath}`, "install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH"); finish(); }

const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".tiktoken": "text/plain", ".svg": "image/svg+xml", ".safetensors": "application/octet-stream" };
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
  const file = join(root, path.endsWith("/") ? `${path}index.html` : path);
  if (!file.startsWith(root) || !existsSync(file)) { res.writeHead(404).end("not found"); return; }
  res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu"] });
const extra = {};
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForSelector("body[data-ready='true']", { timeout: 20_000 });
  extra.loadToReadyMs = Date.now() - t0;
  extra.firstRenderMs = await page.evaluate(() => window.firstRenderMs);
  report(typeof extra.firstRenderMs === "number", `first render of the whole walk: ${extra.firstRenderMs?.toFixed(0)} ms (load to ready ${extra.loadToReadyMs} ms)`);

  // the visitor types the input
  await page.fill("#input", "");
  await page.type("#input", "CBABAC");
  report((await page.textContent("#output")) === "AABBCC", "typing CBABAC gives AABBCC", await page.textContent("#output"));
  await page.fill("#input", "CCBAAC");
  report((await page.textContent("#output")) === "AABCCC", "typing CCBAAC gives AABCCC", await page.textContent("#output"));
  // invalid input: the error on the page, and nothing stale left beside it
  await page.fill("#input", "ABCD");
  const inputError = await page.textContent("#input-error"), staleOutput = await page.textContent("#output");
  const staleFigures = await page.locator("#attention svg, #logits svg, #tokens svg").count();
  report(/six letters from A, B, C/.test(inputError ?? "") && staleOutput === "" && staleFigures === 0, "an invalid input shows its error in the page and clears the output and figures", `error ${JSON.stringify(inputError)}, output ${JSON.stringify(staleOutput)}, ${staleFigures} figures left`);
  await page.fill("#input", "CBADAC");
  report(/"D" is not a letter the model knows/.test((await page.textContent("#input-error")) ?? ""), "a letter outside A, B, C is named in the error");
  await page.fill("#input", "CBABAC");
  report((await page.textContent("#input-error")) === "" && (await page.textContent("#output")) === "AABBCC", "a valid input again clears the error and walks");

  const panels = await page.locator("#attention g[aria-label^='head ']").count();
  report(panels === 9, "the attention section has 3 layers × 3 heads = 9 panels", String(panels));
  const untitled = await page.evaluate(() => [...document.querySelectorAll("svg")].filter((s) => s.firstElementChild?.tagName !== "title" || !s.firstElementChild.textContent).length);
  const figures = await page.locator("svg").count();
  report(untitled === 0 && figures > 20, `every one of the ${figures} figures has a title`, `${untitled} without`);

  // the temperature slider changes the sampling figure; timed in the page
  const before = await page.innerHTML("#sampling .figures");
  await page.focus("#temperature");
  for (let i = 0; i < 10; i++) await page.keyboard.press("ArrowRight");
  const after = await page.innerHTML("#sampling .figures");
  extra.sliderRerenderMs = await page.evaluate(() => window.lastInteractionMs);
  report(before !== after && /temperature 1\.5/.test(after), `moving the temperature slider redraws the sampling figure (${extra.sliderRerenderMs?.toFixed(1)} ms)`);
  await page.selectOption("#topK", "2");
  report((await page.innerHTML("#sampling .figures")).includes("top-k 2"), "choosing top-k 2 redraws the figure with the filter");

  // keyboard alone: from the top of the page, Tab reaches the input and every control
  await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
  const reached = new Set();
  for (let i = 0; i < 30; i++) { await page.keyboard.press("Tab"); reached.add(await page.evaluate(() => document.activeElement?.id)); }
  const wanted = ["input", "temperature", "topK", "topP", "minP", "train-start", "chars-prompt", "tokenizer-text"];
  report(wanted.every((id) => reached.has(id)), "Tab reaches the input and every control", `reached ${[...reached].join(", ")}`);

  // every viz function's output is well-formed XML to the browser's own parser
  const viz = await import("../dist/viz.js");
  const svgs = [
    viz.heatmapSvg({ data: new Float32Array([0, -Infinity, NaN, 1]), shape: [2, 2] }, { rowLabels: ["<a>", "&b"], title: "a & b" }),
    viz.attentionSvg({ data: new Float32Array(2 * 9).fill(0.3), shape: [2, 3, 3] }, { tokens: ["x", "y", "z"], causal: true }),
    viz.tokensSvg("a\nb", { ids: [1, 2, 3], offsets: [[0, 1], [1, 2], [2, 3]] }),
    viz.lineSvg([{ name: "loss", values: [3, 2, 1] }], { xLabel: "step", yLabel: "loss" }),
    viz.samplingSvg({ candidates: [{ id: 0, logit: 1, scaled: 1, rank: 0, probability: 1, cumulative: 1, kept: true }], kept: 1, options: { temperature: 1 } }, { chosen: 0 }),
  ];
  const errors = await page.evaluate((list) => list.map((s) => { const d = new DOMParser().parseFromString(s, "image/svg+xml"); return d.getElementsByTagName("parsererror").length + (d.documentElement.firstElementChild?.tagName === "title" ? 0 : 1); }), svgs);
  report(errors.every((e) => e === 0), "DOMParser parses every viz figure as SVG (with its title first)", JSON.stringify(errors));

  // train it yourself: the worker trains nano-sort while the page stays live; the loss falls
  await page.click("#train-start");
  await page.waitForSelector("body[data-trained]", { timeout: 120_000 });
  const [first, last, answer] = await page.evaluate(() => [Number(document.body.dataset.lossFirst), Number(document.body.dataset.lossLast), document.body.dataset.trained]);
  extra.trainedAnswer = answer;
  report(last < first / 2 && (await page.locator("#train svg path").count()) > 0, `training in a Web Worker: loss ${first.toFixed(3)} → ${last.toFixed(3)} over 400 steps, drawn live (CBABAC → ${answer})`);
  const trained = await page.textContent("#train-status");
  report(/ on 1 thread \(not cross-origin isolated/.test(trained ?? ""), "training says it ran on one thread, and why (this server sends no COOP/COEP headers)", trained ?? "");
  // the character model writes
  await page.waitForSelector("body[data-chars-ready='true']", { timeout: 20_000 });
  await page.fill("#chars-prompt", "The 🙂 smile ");
  await page.click("#chars-write");
  const charsError = await page.textContent("#chars-error");
  report(/never seen "🙂"/.test(charsError ?? "") && ((await page.textContent("#chars .figures")) ?? "") === "", "a prompt character outside the character model's vocabulary is an error on the page", charsError ?? "");
  await page.fill("#chars-prompt", "The program ");
  await page.click("#chars-write");
  const written = await page.textContent("#chars .figures");
  report((written ?? "").length > 150 && (await page.textContent("#chars-error")) === "", "the character model writes 200 characters after the prompt", (written ?? "").slice(0, 80));
  const codeCut = await page.evaluate(() => [...document.querySelectorAll("pre")].filter((p) => p.scrollWidth > p.clientWidth + 1).length);
  report(codeCut === 0, "every code line fits its box (wrapped, not cut off)", `${codeCut} boxes overflow`);

  mkdirSync(join(results, "screenshots"), { recursive: true });
  const ids = await page.evaluate(() => [...document.querySelectorAll("section")].map((s) => s.id));
  for (const id of ids) await page.locator(`#${id}`).screenshot({ path: join(results, "screenshots", `${id}.png`) });
  await page.screenshot({ path: join(results, "screenshots", "page.png"), fullPage: true });
  report(ids.length >= 11, `screenshots of ${ids.length} sections in .test-results/screenshots/`);
  report(problems.length === 0, "no console errors and no failed requests", problems.join("; "));
  await threadChecks(browser, report);
} catch (e) {
  report(false, "the browser run", e.stack ?? String(e));
} finally {
  await browser.close();
  server.close();
}
finish(extra);
