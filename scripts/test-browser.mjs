// The playground in a real browser: serves the built site (docs/playground) from 127.0.0.1, drives
// Debian's Chromium with playwright-core (never a downloaded browser), and checks what a visitor
// does — walks nano-sort and the character model over a text (every layer's and head's attention,
// logits with 20 labelled tokens, a slider that moves the sampling bars), loads their own
// checkpoints through the file input (a GPT-2-shaped safetensors with its tokenizer.json, a Llama,
// a broken file that leaves the previous model working), trains a character model on pasted text
// and walks the checkpoint it downloads — with no console error or failed request. Also parses
// every viz figure with the browser's DOMParser. Saves a screenshot per section under
// .test-results/screenshots/ and writes .test-results/browser.json (with the timings it reports).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { threadChecks } from "./browser-threads.mjs";
import { gpt2Files, llamaFiles, smolGguf } from "./browser-fixtures.mjs";
import { siteChecks } from "./browser-site.mjs";
import { serveStatic } from "./static-server.mjs";

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

const { server, url } = await serveStatic(root);

const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu"] });
const extra = {};
const shot = async (page, name) => { mkdirSync(join(results, "screenshots"), { recursive: true }); await page.screenshot({ path: join(results, "screenshots", `${name}.png`), fullPage: false }); };
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => { if (!r.url().startsWith("blob:")) problems.push(`request failed: ${r.url()}`); });
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForSelector("body[data-ready='true']", { timeout: 30_000 });
  extra.loadToReadyMs = Date.now() - t0;
  extra.firstRenderMs = await page.evaluate(() => window.firstRenderMs);
  report(typeof extra.firstRenderMs === "number", `first render of the whole walk on nano-sort: ${extra.firstRenderMs?.toFixed(0)} ms (load to ready ${extra.loadToReadyMs} ms)`);

  /** Types a text and waits until the worker's walk of it is drawn (or its error shown). */
  const walks = () => page.evaluate(() => Number(document.body.dataset.walks ?? 0));
  const walkText = async (text) => {
    const n = await walks();
    await page.fill("#input", text);
    await page.waitForFunction((k) => Number(document.body.dataset.walks ?? 0) > k, n, { timeout: 60_000 });
  };
  /** Gives the file input these files and waits until the model they make is loaded and walked. */
  const loadModel = async (files, name, timeout = 60_000) => {
    const n = await walks();
    await page.setInputFiles("#model-files", files);
    await page.waitForFunction(([m, k]) => document.body.dataset.model === m && Number(document.body.dataset.walks ?? 0) > k, [name, n], { timeout });
  };
  const heads = () => page.locator("#attention button.head").count();

  // nano-sort: the walk, the answer, and its errors
  await walkText("CBABAC");
  report((await page.textContent("#output")) === "AABBCC", "nano-sort: CBABAC gives AABBCC", await page.textContent("#output"));
  await walkText("CCBAAC");
  report((await page.textContent("#output")) === "AABCCC", "nano-sort: CCBAAC gives AABCCC", await page.textContent("#output"));
  await walkText("ABCD");
  const inputError = await page.textContent("#input-error"), staleOutput = await page.textContent("#output");
  const staleFigures = await page.locator("#attention svg, #logits svg, #tokens svg").count();
  report(/six letters from A, B, C/.test(inputError ?? "") && staleOutput === "" && staleFigures === 0, "an invalid input shows its error in the page and clears the output and figures", `error ${JSON.stringify(inputError)}, output ${JSON.stringify(staleOutput)}, ${staleFigures} figures left`);
  await walkText("CBADAC");
  report(/"D" is not a letter the model knows/.test((await page.textContent("#input-error")) ?? ""), "a letter outside A, B, C is named in the error");
  await walkText("CBABAC");
  report((await page.textContent("#input-error")) === "" && (await page.textContent("#output")) === "AABBCC", "a valid input again clears the error and walks");
  report((await heads()) === 9, "nano-sort's attention grid has 3 layers × 3 heads = 9 thumbnails", String(await heads()));
  await page.click("#attention button[aria-label='layer 2 head 1']");
  report(/layer 2, head 1/.test(await page.innerHTML("#attention .figures")) && (await page.inputValue("#layer")) === "2", "choosing a thumbnail enlarges that head and shows its layer in sections 6–13");
  const untitled = await page.evaluate(() => [...document.querySelectorAll("svg")].filter((s) => s.firstElementChild?.tagName !== "title" || !s.firstElementChild.textContent).length);
  const figures = await page.locator("svg").count();
  report(untitled === 0 && figures > 15, `every one of the ${figures} figures has a title`, `${untitled} without`);
  const notices = await page.evaluate(() => [...document.querySelectorAll("section")].filter((s) => (s.querySelector(".notice-text")?.textContent ?? "").length < 80).map((s) => s.id));
  report(notices.length === 0, "every section says what to notice", `without: ${notices.join(", ")}`);

  // the sliders on nano-sort's distribution
  const before = await page.innerHTML("#sampling .figures");
  await page.focus("#temperature");
  for (let i = 0; i < 10; i++) await page.keyboard.press("ArrowRight");
  const after = await page.innerHTML("#sampling .figures");
  report(before !== after && /temperature 1\.5/.test(after), "moving the temperature slider redraws the sampling figure");
  await page.selectOption("#topK", "2");
  report((await page.innerHTML("#sampling .figures")).includes("top-k 2"), "choosing top-k 2 redraws the figure with the filter");
  await page.selectOption("#topK", "");

  // keyboard alone: from the top of the page, Tab reaches the picker, the text and every control
  await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
  const reached = new Set();
  for (let i = 0; i < 90; i++) { await page.keyboard.press("Tab"); reached.add(await page.evaluate(() => document.activeElement?.id || document.activeElement?.getAttribute("aria-label"))); }
  const wanted = ["model-select", "model-files", "input", "layer", "layer 0 head 0", "temperature", "topK", "topP", "minP", "gen-start", "train-text", "train-run", "train-step", "tokenizer-text"];
  report(wanted.every((id) => reached.has(id)), "Tab reaches the picker, the text, the heads and every control", `missing ${wanted.filter((id) => !reached.has(id)).join(", ")}`);

  // the character model: the walk over a sentence
  const walksBefore = await walks();
  await page.selectOption("#model-select", "chars");
  await page.waitForFunction((k) => /character model/.test(document.body.dataset.model ?? "") && Number(document.body.dataset.walks ?? 0) > k, walksBefore, { timeout: 60_000 });
  extra.charsFirstWalkMs = await page.evaluate(() => window.lastWalkMs);
  report(typeof extra.charsFirstWalkMs === "number", `first walk of the character model: ${extra.charsFirstWalkMs?.toFixed(0)} ms`);
  await walkText("The cat sat on the mat.");
  report((await heads()) === 16, "the character model's attention grid has 4 layers × 4 heads = 16 thumbnails", String(await heads()));
  const topLabels = await page.evaluate(() => document.querySelectorAll("#logits svg text[transform^='rotate(-90']").length);
  report(topLabels === 20, "the logits show 20 labelled tokens", String(topLabels));
  const layerFigures = await page.evaluate(() => ["layer-norm", "qkv", "projection", "mlp"].map((id) => document.querySelectorAll(`#${id} .figures svg`).length));
  report(layerFigures.every((n) => n >= 2), "the layer norm, Q/K/V, projection and MLP sections are drawn", JSON.stringify(layerFigures));
  await page.selectOption("#layer", "3");
  await page.waitForFunction(() => /layer 3/.test(document.querySelector("#mlp .figures")?.innerHTML ?? ""), null, { timeout: 20_000 });
  report(true, "choosing layer 3 redraws the layer sections for layer 3");
  const bars = await page.innerHTML("#sampling .figures");
  await page.focus("#temperature");
  for (let i = 0; i < 20; i++) await page.keyboard.press("ArrowLeft");
  extra.sliderRerenderMs = await page.evaluate(() => window.lastInteractionMs);
  report(bars !== (await page.innerHTML("#sampling .figures")), `a slider moves the character model's sampling bars (redrawn in ${extra.sliderRerenderMs?.toFixed(1)} ms)`);
  for (const id of await page.evaluate(() => [...document.querySelectorAll("section")].map((s) => s.id))) await page.locator(`#${id}`).screenshot({ path: join(results, "screenshots", `chars-${id}.png`) });
  await walkText("The 🙂 smile");
  report(/never seen "🙂"/.test((await page.textContent("#input-error")) ?? ""), "a character outside the character model's vocabulary is named in the error", await page.textContent("#input-error"));
  await walkText("The program ");
  await page.fill("#gen-steps", "20");
  await page.click("#gen-start");
  await page.waitForSelector("body[data-generated='20']", { timeout: 60_000 });
  report((await page.locator("#generation tbody tr").count()) === 20, "generation streams 20 sampled tokens, one row per step over the KV cache");

  // your own checkpoints, through the file input
  const lib = await import("../dist/index.js");
  const gpt2 = gpt2Files(lib);
  await loadModel(gpt2.files, "model.safetensors");
  await walkText("The capital of France is");
  report((await heads()) === 8 && /tokenizer: byte-level BPE from tokenizer\.json/.test((await page.textContent("#model-status")) ?? ""), "a GPT-2-shaped safetensors with config.json and tokenizer.json loads and is walked (2 layers × 4 heads)", `${await heads()} heads; ${await page.textContent("#model-status")}`);
  const pieces = await page.evaluate(() => document.querySelector("#tokens svg")?.textContent ?? "");
  report(/capital|␣/.test(pieces) || (await page.locator("#tokens svg rect").count()) > 3, "its tokens are the tokenizer's own pieces");
  await page.locator("#attention").screenshot({ path: join(results, "screenshots", "gpt2-attention.png") });
  const llama = llamaFiles(lib);
  await loadModel(llama.files, "llama.safetensors");
  const status = (await page.textContent("#model-status")) ?? "";
  report((await heads()) === 8 && /a Llama, 2 layers × 4 heads \(2 key\/value heads\)/.test(status), "a Llama safetensors (grouped-query attention) loads and is walked", status);
  const mlpTitles = await page.evaluate(() => document.querySelector("#mlp .figures")?.textContent ?? "");
  report(/silu\(gate\) ⊙ up/.test(mlpTitles), "the Llama's MLP section shows its gate, up and silu(gate) ⊙ up");
  // a broken file: a clear message, and the Llama still walks
  await page.setInputFiles("#model-files", [{ name: "broken.safetensors", mimeType: "application/octet-stream", buffer: Buffer.from("not a safetensors file at all") }]);
  await page.waitForFunction(() => (document.getElementById("model-error")?.textContent ?? "").length > 0, null, { timeout: 20_000 });
  const loadError = (await page.textContent("#model-error")) ?? "";
  report(/^llama\.safetensors: a Llama/.test((await page.textContent("#model-status")) ?? ""), "after the invalid file the status still describes the model that is loaded", await page.textContent("#model-status"));
  report(/Could not load broken\.safetensors: .*safetensors/i.test(loadError) && /still walking llama\.safetensors/.test(loadError), "an invalid file shows a clear message and names the model still loaded", loadError);
  await walkText("Paris is the capital");
  report((await page.evaluate(() => document.body.dataset.model)) === "llama.safetensors" && (await heads()) === 8, "after the invalid file the previous model still walks");
  // drag and drop: the same GPT-2 files dropped on the page
  const dropped = await walks();
  const transfer = await page.evaluateHandle((files) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
    return dt;
  }, gpt2.files.map((f) => ({ name: f.name, bytes: [...f.buffer] })));
  await page.dispatchEvent("#drop", "drop", { dataTransfer: transfer });
  await page.waitForFunction(([m, k]) => document.body.dataset.model === m && Number(document.body.dataset.walks ?? 0) > k, ["model.safetensors", dropped], { timeout: 60_000 });
  report((await heads()) === 8, "dropping the GPT-2 files on the page loads and walks them");
  await page.setInputFiles("#model-files", [gpt2.files[0], gpt2.files[1]]);
  await page.waitForFunction(() => /no tokenizer for model\.safetensors: add its tokenizer\.json/.test(document.getElementById("model-error")?.textContent ?? ""), null, { timeout: 20_000 });
  report(true, "a checkpoint without its tokenizer.json says to add it");

  // a SmolLM2-135M-shaped Llama in Q8_0 GGUF: one walk step, reported
  const smol = smolGguf(lib), smolPath = join(results, smol.name); // over 50 MB: given to the file input as a path
  writeFileSync(smolPath, smol.buffer);
  extra.smolGgufBytes = smol.buffer.length;
  const tLoad = Date.now();
  await loadModel(smolPath, smol.name, 180_000);
  extra.smolLoadAndWalkMs = Date.now() - tLoad;
  await walkText("The capital of France is");
  extra.smolWalkMs = await page.evaluate(() => window.lastWalkMs);
  extra.smolForward = (await page.textContent("#walk-status")) ?? "";
  report((await heads()) === 270, `a SmolLM2-135M-shaped Q8_0 GGUF walks: 30 layers × 9 heads; one walk ${extra.smolWalkMs?.toFixed(0)} ms ${extra.smolForward} (loaded and walked in ${extra.smolLoadAndWalkMs} ms)`);
  await page.locator("#attention").screenshot({ path: join(results, "screenshots", "smol-attention.png") });

  // train on your own words
  await page.fill("#train-text", (await page.evaluate(() => document.getElementById("train-text").value)).slice(0, 3000));
  await page.selectOption("#train-steps", "200");
  const tTrain = Date.now();
  await page.click("#train-run");
  await page.waitForSelector("body[data-trained-chars]", { timeout: 240_000 });
  extra.trainCharsMs = Date.now() - tTrain;
  const [v0, v1] = await page.evaluate(() => [Number(document.body.dataset.valFirst), Number(document.body.dataset.valLast)]);
  const sampleText = (await page.textContent("#train .sample pre")) ?? "";
  report(v1 < v0 - 0.8 && sampleText.length > 40, `training on pasted text: validation loss ${v0.toFixed(3)} → ${v1.toFixed(3)} over 200 steps (${(extra.trainCharsMs / 1000).toFixed(1)} s), with a sample`, sampleText.slice(0, 80));
  await page.click("#train-step");
  await page.waitForSelector("body[data-stepped='201']", { timeout: 30_000 });
  const groups = await page.locator("#train table.groups tbody tr").count();
  report(groups >= 10, `one step at a time shows each parameter group's gradient and update (${groups} groups)`);
  await page.locator("#train").screenshot({ path: join(results, "screenshots", "train.png") });
  const walked = await walks();
  await page.click("#train-walk");
  await page.waitForFunction(([k]) => /your character model \(step 201\)/.test(document.body.dataset.model ?? "") && Number(document.body.dataset.walks ?? 0) > k, [walked], { timeout: 60_000 });
  report((await heads()) === 8 && (await page.textContent("#input-error")) === "", "\"Walk it\" loads the model just trained and walks it on the start of its text");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#train-download")]);
  const saved = join(results, "trained-char-model.safetensors");
  await download.saveAs(saved);
  await loadModel([{ name: "trained-char-model.safetensors", mimeType: "application/octet-stream", buffer: readFileSync(saved) }], "trained-char-model.safetensors");
  await walkText("A transformer reads");
  report((await heads()) === 8 && (await page.textContent("#input-error")) === "", "the downloaded checkpoint loads back through the file input and is walked (2 layers × 4 heads)");

  const codeCut = await page.evaluate(() => [...document.querySelectorAll("pre")].filter((p) => p.scrollWidth > p.clientWidth + 1).length);
  report(codeCut === 0, "every code line fits its box (wrapped, not cut off)", `${codeCut} boxes overflow`);
  const columns = await page.evaluate(() => new Set([...document.querySelectorAll("main > section:not(.wide)")].map((s) => Math.round(s.getBoundingClientRect().left))).size);
  report(columns === 2, "on a wide screen the sections sit in two columns", String(columns));
  const ids = await page.evaluate(() => [...document.querySelectorAll("section")].map((s) => s.id));
  for (const id of ids) await page.locator(`#${id}`).screenshot({ path: join(results, "screenshots", `${id}.png`) });
  await page.screenshot({ path: join(results, "screenshots", "page.png"), fullPage: true });
  report(ids.length >= 12, `screenshots of ${ids.length} sections in .test-results/screenshots/`);

  // nano-sort trained in its worker, as before
  await page.click("#train-start");
  await page.waitForSelector("body[data-trained]", { timeout: 180_000 });
  const [first, last, answer] = await page.evaluate(() => [Number(document.body.dataset.lossFirst), Number(document.body.dataset.lossLast), document.body.dataset.trained]);
  extra.trainedAnswer = answer;
  report(last < first / 2, `nano-sort trained in a Web Worker: loss ${first.toFixed(3)} → ${last.toFixed(3)} over 400 steps (CBABAC → ${answer})`);
  const trained = await page.textContent("#train-status");
  report(/ on 1 thread \(not cross-origin isolated/.test(trained ?? ""), "training says it ran on one thread, and why (this server sends no COOP/COEP headers)", trained ?? "");

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
  report(problems.length === 0, "no console errors and no failed requests", problems.join("; "));
  await threadChecks(browser, report);
  await siteChecks(browser, report);
} catch (e) {
  report(false, "the browser run", e.stack ?? String(e));
} finally {
  await browser.close();
  server.close();
}
finish(extra);
