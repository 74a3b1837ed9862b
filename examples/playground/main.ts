// The playground: any GPT or Llama, lesson by lesson, in the browser. The model lives in a Web Worker
// (model-worker.ts); every section is computed there from the text with the library's public
// functions, and drawn here with its `viz` module beside the call that computed it and what to
// notice. `npm run playground` serves it; `npm run build:site` writes it beside the API docs.
import { BpeTokenizer, CharTokenizer, PATTERNS, SPECIAL_TOKENS, createRng, explainSampling, sampleToken, trainBpe, type BpeTokenizer as Bpe, type SamplingOptions, type Tensor } from "../../src/index";
import { attentionSvg, heatmapSvg, histogramSvg, lineSvg, samplingSvg, scatterSvg, tokensSvg } from "../../src/viz/index";
import type { ModelInfo, ModelRequest } from "./model-worker";
import type { PickedBlob } from "./models";
import type { CharConfig, GroupUpdate, TrainRequest } from "./train-worker";
import type { GenerationStep, WalkLayer, WalkOverview } from "./walk";
import { SAMPLE_TEXTS } from "./samples";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const lessons = $("lessons"), input = $<HTMLInputElement>("input"), output = $("output"), inputError = $("input-error");
const modelSelect = $<HTMLSelectElement>("model-select"), modelFiles = $<HTMLInputElement>("model-files");
const modelStatus = $("model-status"), modelError = $("model-error"), walkStatus = $("walk-status");
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const page = window as unknown as Record<string, unknown>;

// an error nobody caught is shown on the page too, not only in the console
const pageError = document.createElement("p");
pageError.id = "page-error";
pageError.className = "error";
pageError.setAttribute("role", "alert");
document.body.prepend(pageError);
const showError = (what: unknown) => { pageError.textContent = `Something failed: ${what instanceof Error ? what.message : String(what)}`; };
window.addEventListener("error", (e) => showError(e.error ?? e.message));
window.addEventListener("unhandledrejection", (e) => showError(e.reason));

/** A worker spoken to by request: each call a promise, progress messages to a callback. */
function connect<Req>(worker: Worker) {
  let next = 0;
  const pending = new Map<number, { ok: (v: never) => void; fail: (e: Error) => void; progress?: (p: never) => void }>();
  worker.onmessage = (e: MessageEvent<{ id: number; ok?: boolean; result?: unknown; error?: string; progress?: unknown }>) => {
    const p = pending.get(e.data.id);
    if (!p) return;
    if (e.data.progress !== undefined) { p.progress?.(e.data.progress as never); return; }
    pending.delete(e.data.id);
    if (e.data.ok) p.ok(e.data.result as never); else p.fail(new Error(e.data.error));
  };
  worker.onerror = (e) => showError(`a worker failed: ${e.message}`);
  return {
    worker,
    call<R, P = never>(request: Req, progress?: (p: P) => void, transfer: Transferable[] = []): Promise<R> {
      const id = next++;
      return new Promise<R>((ok, fail) => { pending.set(id, { ok: ok as never, fail, progress: progress as never }); worker.postMessage({ id, request }, transfer); });
    },
  };
}
const modelWorker = connect<ModelRequest>(new Worker(new URL("./model-worker.ts", import.meta.url), { type: "module" }));

const API = "../api/functions/";
const fnLink = (name: string, module = "transformer-primitives") => `<a href="${API}${module}.${name}.html">${name}</a>`;
const vizLink = (name: string) => fnLink(name, "transformer-primitives_viz");

/** A section: a heading, what to notice, the call that computes it, and a place for its figures. */
function section(id: string, title: string, code: string, notice: string, links: string[], wide = false): HTMLElement {
  const s = document.createElement("section");
  s.id = id;
  if (wide) s.className = "wide";
  s.setAttribute("aria-labelledby", `${id}-title`);
  s.innerHTML = `<h2 id="${id}-title">${title}</h2><p class="notice"><strong>What to notice.</strong> <span class="notice-text">${notice}</span></p>`
    + `<pre><code>${esc(code)}</code></pre><p class="links">In the docs: ${links.join(", ")} · <span class="timing" aria-live="polite"></span></p><div class="figures"></div>`;
  lessons.append(s);
  return s.querySelector(".figures") as HTMLElement;
}
const show = (el: HTMLElement, ...html: string[]) => { el.innerHTML = html.join(""); };
const timing = (el: HTMLElement, text: string) => { el.parentElement!.querySelector(".timing")!.textContent = text; };

const fig = {
  tokens: section("tokens", "2 · Tokens", `const ids = tokenizer.encode(text)   // the model's own tokenizer: its pieces, outlined`,
    "The model never sees letters: it sees these ids. A character model has one per character; a BPE tokenizer joins common runs (a leading space is part of the word: ␣the). Type a rare word and watch it fall apart into pieces.",
    [fnLink("CharTokenizer"), fnLink("BpeTokenizer"), vizLink("tokensSvg")]),
  embed: section("embeddings", "3–5 · Token and position embeddings", `forward(params, ids, { tap }) // taps "embed.tokens" = wte[ids] (GPT: + "embed.positions" = wpe[0…T), "embed.sum")`,
    "Each token becomes a row of numbers, the same row wherever the token appears (look for repeated tokens: their rows match). A GPT adds a position's row — on the scatter, neighbouring positions lie near each other, a curve the model learned; a Llama adds none here and rotates queries and keys instead (RoPE).",
    [fnLink("embedTokens"), fnLink("embedPositions"), fnLink("applyRope")]),
  norm: section("layer-norm", "6 · Layer norm", `layerNorm(x, ln1.weight, ln1.bias) // GPT; rmsNorm(x, ln1.weight) for a Llama — tap "h.L.ln1"`,
    "Before every attention and MLP each row is rescaled: the histogram before is wide and uneven, after it is centred and narrow. A few channels stay large after the norm — the learned scale keeps them; look for the vertical stripes.",
    [fnLink("layerNorm"), fnLink("rmsNorm"), vizLink("histogramSvg")]),
  qkv: section("qkv", "7–9 · Queries, keys, values", `projectQKV(x, cAttn.weight, cAttn.bias) → splitHeads(…) // taps "h.L.attn.q", "k", "v": [H, T, D] shown as [T, H·D]`,
    "Three projections of the same normalised rows. The query asks, the key answers, the value is what is passed on. A Llama with grouped-query attention has fewer key and value heads than query heads: their heatmaps are narrower.",
    [fnLink("projectQKV"), fnLink("splitHeads"), fnLink("linear")]),
  attention: section("attention", "10–11 · Causal attention, every layer and head", `scaledDotProductAttention(q, k, v, { causal: true, returnWeights: true }) // tap "h.L.attn.weights" [H, T, T]`,
    "Rows are queries (↓), columns keys (→); each row sums to 1 and hatched cells are hidden by the causal mask. Look for a previous-token head (a bright line just left of the diagonal), heads that put everything on the first token (a sink), and heads that look back at an earlier copy of the current token.",
    [fnLink("scaledDotProductAttention"), fnLink("causalMask"), vizLink("attentionSvg")], true),
  proj: section("projection", "12 · Merge heads and project", `linear(mergeHeads(heads), cProj.weight, cProj.bias) // taps "h.L.attn.merged", "h.L.attn.out"`,
    "The heads' outputs side by side, then one linear layer mixes them into the residual stream. The projection's output is what attention adds to x.",
    [fnLink("mergeHeads"), fnLink("linear")]),
  mlp: section("mlp", "13 · The MLP", `mlp(x, h[L].mlp) // GPT: fc [T, 4C] → gelu; Llama: silu(gate) ⊙ up → down`,
    "The MLP widens each row (4× for GPT-2), applies a non-linearity on its own, position by position, and narrows it again. After GELU or the SiLU gate most units are near zero and a few fire strongly: the sparse bright cells.",
    [fnLink("mlp"), fnLink("gatedMlp"), fnLink("gelu"), fnLink("silu")]),
  resid: section("residual", "14–16 · The residual stream, layer by layer", `tap "embed.sum" (GPT) or "embed.tokens" (Llama), then "h.i.resid2" for each layer i // |x| of each position`,
    "Every layer adds to x rather than replacing it, so its length grows through the layers. The first token often grows much larger than the rest: that is the attention sink the heads above lean on.",
    [fnLink("transformerBlock")], true),
  logits: section("logits", "17 · Logits over the real vocabulary", `forward(params, ids) // [T, V]: one score per token in the vocabulary, at every position`,
    "Every position predicts the next token: read each row's best guesses in the table. The heatmap's columns are the 20 tokens most likely after the last position; watch how the earlier positions already favour some of them.",
    [fnLink("gptForward"), fnLink("llamaForward"), fnLink("softmax")], true),
  sampling: section("sampling", "18 · Softmax and sampling", `explainSampling(logits.at(-1), { temperature, topK, topP, minP }); sampleToken(logits.at(-1), { …, rng })`,
    "Temperature divides the logits before softmax: below 1 the tallest bar grows, above 1 the bars even out. Top-k, top-p and min-p cut the tail (greyed bars) and the rest is renormalised; the marked bar is the token drawn.",
    [fnLink("explainSampling"), fnLink("sampleToken"), vizLink("samplingSvg")]),
  generate: section("generation", "20 · Generation, one token at a time", `const cache = createCache(config); forward(params, prompt, { cache }); then forward(params, [next], { cache }) per token`,
    "The prompt is read once; after that each step feeds one token and the KV cache grows by one. The first step costs the most (the whole prompt); the later ones are cheap, and the same whatever the length so far.",
    [fnLink("createGptCache"), fnLink("createLlamaCache"), fnLink("generate")]),
  train: section("train", "22–23 · Train a model on your own words", `gptLossAndGrads(params, batch, targets) → clipGradNorm(grads, 1) → optimizer.step(grads) // in a Web Worker`,
    "A character model from random weights: the training loss falls first; the validation loss (text the model never trains on) follows it and then flattens when the model starts to memorise. Samples go from noise to words. One step at a time shows which groups move most.",
    [fnLink("gptLossAndGrads"), fnLink("adamw"), fnLink("clipGradNorm"), fnLink("saveSafetensors")], true),
  tokenizer: section("tokenizer", "2 · Tokenizers compared", `CharTokenizer.fromText(text); trainBpe(corpus, 300); BpeTokenizer.fromTiktoken(ranks, { pattern: PATTERNS.r50k_base, specialTokens: SPECIAL_TOKENS.r50k_base })`,
    "The same text in three tokenizers: one id per character, a BPE trained on one paragraph, and GPT-2's 50,257 tokens. Fewer tokens means a shorter sequence for attention to cover.",
    [fnLink("trainBpe"), fnLink("BpeTokenizer")]),
};

// ——— the model picker ———
let info: ModelInfo | null = null;
let overview: WalkOverview | null = null;
let ownFiles: PickedBlob[] | null = null;
let loading: Promise<void> = Promise.resolve();
let charBytes: Promise<Uint8Array> | null = null;
const charModelBytes = () => (charBytes ??= fetch("./char-model.safetensors").then((r) => r.arrayBuffer()).then((b) => new Uint8Array(b)));

async function load(request: ModelRequest, label: string): Promise<boolean> {
  const previousStatus = modelStatus.textContent ?? "";
  modelStatus.textContent = `loading ${label}…`;
  try {
    const loaded = await modelWorker.call<ModelInfo>(request);
    info = loaded;
    modelError.textContent = "";
    const c = loaded.config as Record<string, number>;
    const shape = `${c.nLayer} layers × ${c.nHead} heads${c.nKvHead && c.nKvHead !== c.nHead ? ` (${c.nKvHead} key/value heads)` : ""}, C = ${c.nEmbd}, context ${c.blockSize}`;
    modelStatus.textContent = `${loaded.name}: a ${loaded.family === "gpt" ? "GPT" : "Llama"}, ${shape}, ${loaded.parameters.toLocaleString("en")} parameters; tokenizer: ${loaded.tokenizer}. `
      + `Loaded in ${loaded.loadMs.toFixed(0)} ms; runs in a Worker on ${loaded.threads} thread${loaded.threads === 1 ? "" : "s"}${loaded.reason ? ` (${loaded.reason})` : ""}. `
      + (loaded.residentBytes > 0 ? `Weights held once in the kernels' memory: ${(loaded.residentBytes / 1e6).toFixed(1)} MB resident of ${(loaded.memoryBytes / 1e6).toFixed(0)} MB.` : `Kernels' memory: ${(loaded.memoryBytes / 1e6).toFixed(0)} MB (not shared here, so the weights stay in JavaScript arrays).`);
    document.body.dataset.model = loaded.name;
    document.body.dataset.family = loaded.family;
    input.value = loaded.sample;
    setLayers(Array.from({ length: c.nLayer }, (_, i) => `<option value="${i}">${i}</option>`).join(""), 0);
    selected = { layer: 0, head: 0 };
    await update();
    return true;
  } catch (e) {
    // the previous model stays loaded in the worker and on the page
    modelError.textContent = `Could not load ${label}: ${(e as Error).message}${info ? ` — still walking ${info.name}` : ""}`;
    modelStatus.textContent = previousStatus; // what is still loaded, as it was
    if (info) modelSelect.value = modelSelect.dataset.current ?? "sort";
    document.body.dataset.loadError = String(Date.now());
    return false;
  }
}

async function pick(value: string): Promise<void> {
  const ok = value === "sort" ? await load({ type: "load", source: "sort" }, "nano-sort")
    : value === "chars" ? await load({ type: "load", source: "chars", files: [{ name: "char-model.safetensors", bytes: await charModelBytes() }] }, "the character model")
    : await load({ type: "load", source: "files", files: ownFiles ?? [] }, "your files");
  if (ok) modelSelect.dataset.current = value;
}
modelSelect.addEventListener("change", () => { loading = pick(modelSelect.value); });

/** Loads the visitor's files; once they load, the picker lists them as "yours" (and can come back to them). */
async function loadOwn(files: PickedBlob[], label: string): Promise<boolean> {
  if (!(await load({ type: "load", source: "files", files }, label))) return false;
  ownFiles = files;
  let option = modelSelect.querySelector<HTMLOptionElement>("option[value='own']");
  if (!option) { option = document.createElement("option"); option.value = "own"; modelSelect.append(option); }
  option.textContent = `yours: ${label}`;
  modelSelect.value = "own";
  modelSelect.dataset.current = "own";
  return true;
}
async function loadFiles(list: FileList | File[]): Promise<void> {
  const files = [...list].map((f) => ({ name: f.name, blob: f as Blob })); // read in the Worker, the weights a chunk at a time
  await loadOwn(files, files.map((f) => f.name).join(" + "));
}
modelFiles.addEventListener("change", () => {
  if (!modelFiles.files?.length) return;
  loading = loadFiles([...modelFiles.files]);
  modelFiles.value = ""; // choosing the same file again is a change too
});
const drop = $("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); if (e.dataTransfer?.files.length) loading = loadFiles(e.dataTransfer.files); });

// ——— the walk ———
// each of the layer sections (6–13) has a layer picker; they move together
const layerPickers = [fig.norm, fig.qkv, fig.proj, fig.mlp].map((f, i) => {
  const label = document.createElement("label");
  label.className = "layer-pick";
  label.textContent = "layer ";
  const select = document.createElement("select");
  if (i === 0) select.id = "layer";
  select.setAttribute("aria-label", "the layer sections 6–13 show");
  label.append(select);
  f.before(label);
  return select;
});
const layerSelect = layerPickers[0];
const setLayers = (html: string | null, value: number) => { for (const p of layerPickers) { if (html !== null) p.innerHTML = html; p.value = String(value); } };
let selected = { layer: 0, head: 0 };

const MAX_COLUMNS = 48; // at 10 px a cell, a heatmap fits one column of the page at its own size
/** The first columns of a wide [T, C] tensor (a heatmap of 3,072 columns shows nothing), and a note. */
function firstColumns(t: Tensor): [Tensor, string] {
  const [T, C] = t.shape;
  if (C <= MAX_COLUMNS) return [t, `[${T}, ${C}]`];
  const data = new Float32Array(T * MAX_COLUMNS);
  for (let i = 0; i < T; i++) data.set(t.data.subarray(i * C, i * C + MAX_COLUMNS), i * MAX_COLUMNS);
  return [{ data, shape: [T, MAX_COLUMNS] }, `[${T}, ${C}]: the first ${MAX_COLUMNS} channels`];
}
const heat = (t: Tensor, title: string, labels: string[]) => { const [shown, note] = firstColumns(t); return heatmapSvg(shown, { rowLabels: labels, title: `${title} ${note}`, scale: "diverging" }); };

/** Every figure that depends on the text, emptied: nothing stale stays on screen beside an error. */
function clearWalk(why: string): void {
  output.textContent = "";
  overview = null;
  for (const [name, el] of Object.entries(fig)) {
    if (name === "train" || name === "tokenizer") continue; // these do not read the text
    el.innerHTML = `<p class="stale">${esc(why)}</p>`;
  }
}

let walking = 0, walks = 0;
async function update(): Promise<void> {
  const mine = ++walking;
  const text = input.value;
  try {
    const t0 = performance.now();
    const o = await modelWorker.call<WalkOverview>({ type: "walk", text });
    if (mine !== walking) return;
    overview = o;
    inputError.textContent = "";
    drawOverview(o);
    await drawLayer();
    const ms = performance.now() - t0;
    walkStatus.textContent = `(forward ${o.forwardMs.toFixed(1)} ms in the worker; the whole walk ${ms.toFixed(0)} ms)`;
    page.lastWalkMs = ms;
    document.body.dataset.walked = text;
    document.body.dataset.walks = String(++walks);
  } catch (e) {
    if (mine !== walking) return;
    inputError.textContent = (e as Error).message;
    clearWalk(`(not computed: ${(e as Error).message})`);
    document.body.dataset.walked = "";
    document.body.dataset.walks = String(++walks);
  }
}

function drawOverview(o: WalkOverview): void {
  const t0 = performance.now();
  const { labels, dims } = o;
  show(fig.tokens, tokensSvg(o.spelt, { ids: o.ids, offsets: o.offsets, title: `${o.ids.length} tokens` }));
  const embeds = Object.entries(o.embed).map(([name, t]) => heat(t, name === "embed.tokens" ? "wte[ids]" : name === "embed.positions" ? "wpe[0…T)" : "their sum, x", labels));
  if (o.positions) {
    const P = o.positions.shape[0], T = o.ids.length;
    embeds.push(scatterSvg(o.positions, { labels: Array.from({ length: P }, (_, i) => `${i}`), groups: Array.from({ length: P }, (_, i) => (i < T ? "your text's positions" : "later positions")),
      title: `wpe's first ${P} rows (of ${dims.blockSize}) on their first two principal components` }));
  }
  show(fig.embed, ...embeds);
  drawAttention();
  show(fig.resid, lineSvg(labels.map((tok, p) => ({ name: `${p}: ${tok}`, values: o.residualNorms.map((layer) => layer[p]) })).slice(0, 12),
    { xLabel: "layer (0 = the embedding)", yLabel: "|x|", title: `|x| of each position through the ${dims.nLayer} layers (C = ${dims.nEmbd})${labels.length > 12 ? ": the first 12 positions" : ""}` }));
  const rows = o.predictions.map((guesses, t) => `<tr><td>${t}</td><td>${esc(labels[t])}</td>${guesses.map((g) => `<td>${esc(g.label)} <span class="muted">${(g.p * 100).toFixed(1)}%</span></td>`).join("")}</tr>`).join("");
  show(fig.logits, heatmapSvg(o.top.logits, { rowLabels: labels, colLabels: o.top.labels, title: `logits [${o.ids.length}, ${dims.vocabSize.toLocaleString("en")}]: the ${o.top.ids.length} columns most likely after the last token`, scale: "diverging" }),
    `<table class="predictions"><caption>each position's three best guesses for the next token</caption><thead><tr><th>t</th><th>token</th><th>1st</th><th>2nd</th><th>3rd</th></tr></thead><tbody>${rows}</tbody></table>`);
  renderSampling();
  drawAnswer(o.answer);
  timing(fig.tokens, `forward ${o.forwardMs.toFixed(1)} ms in the worker; drawn in ${(performance.now() - t0).toFixed(0)} ms`);
}

// the colours attentionSvg uses (viridis, 0 → 1), so a thumbnail and its enlargement match
const VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
function viridis(v: number): string {
  const x = Math.min(1, Math.max(0, v)) * (VIRIDIS.length - 1), i = Math.min(VIRIDIS.length - 2, Math.floor(x)), f = x - i;
  const [r, g, b] = VIRIDIS[i].map((c, k) => Math.round(c + (VIRIDIS[i + 1][k] - c) * f));
  return `rgb(${r}, ${g}, ${b})`;
}

/** The layer × head grid of thumbnails (each a button), and the selected head enlarged. */
function drawAttention(): void {
  if (!overview) return;
  const { attention, labels, dims } = overview;
  const T = labels.length;
  const grid = document.createElement("div");
  grid.className = "heads";
  grid.setAttribute("role", "group");
  grid.setAttribute("aria-label", `${dims.nLayer} layers × ${dims.nHead} heads: choose one to enlarge`);
  grid.style.gridTemplateColumns = `auto repeat(${dims.nHead}, auto)`;
  const px = Math.max(2, Math.min(8, Math.floor(64 / T)));
  let html = `<span></span>${Array.from({ length: dims.nHead }, (_, h) => `<span class="muted">head ${h}</span>`).join("")}`;
  for (let l = 0; l < dims.nLayer; l++) {
    html += `<span class="muted">layer ${l}</span>`;
    for (let h = 0; h < dims.nHead; h++) {
      const pressed = l === selected.layer && h === selected.head;
      html += `<button type="button" class="head" data-layer="${l}" data-head="${h}" aria-pressed="${pressed}" aria-label="layer ${l} head ${h}"><canvas width="${T * px}" height="${T * px}"></canvas></button>`;
    }
  }
  grid.innerHTML = html;
  grid.querySelectorAll<HTMLButtonElement>("button.head").forEach((b) => {
    const l = Number(b.dataset.layer), h = Number(b.dataset.head), w = attention[l].data, ctx = b.querySelector("canvas")!.getContext("2d")!;
    for (let t = 0; t < T; t++) for (let s = 0; s < T; s++) {
      const v = s > t ? -1 : w[(h * T + t) * T + s];
      ctx.fillStyle = v < 0 ? "#e4e4e4" : viridis(v);
      ctx.fillRect(s * px, t * px, px, px);
    }
    b.addEventListener("click", () => { selected = { layer: l, head: h }; setLayers(null, l); drawAttention(); void drawLayer(); });
  });
  const head = attention[selected.layer].data.slice(selected.head * T * T, (selected.head + 1) * T * T);
  const big = attentionSvg({ data: head, shape: [T, T] }, { tokens: labels, causal: true, title: `layer ${selected.layer}, head ${selected.head}` });
  fig.attention.replaceChildren(grid);
  fig.attention.insertAdjacentHTML("beforeend", big);
  if (dims.nHead <= 4) fig.attention.insertAdjacentHTML("beforeend", attentionSvg(attention[selected.layer], { tokens: labels, causal: true, title: `layer ${selected.layer}: all ${dims.nHead} heads` }));
}

async function drawLayer(): Promise<void> {
  if (!overview) return;
  const o = overview, labels = o.labels, layer = Number(layerSelect.value || 0);
  const { tensors: x, ms } = await modelWorker.call<WalkLayer>({ type: "layer", layer });
  if (o !== overview) return;
  const t0 = performance.now();
  const norm = o.family === "gpt" ? "layerNorm" : "rmsNorm";
  show(fig.norm, heat(x.x, `before: x (layer ${layer})`, labels), heat(x.ln1, `after: ln1(x) (${norm})`, labels),
    histogramSvg([{ name: "x", values: x.x.data }, { name: "ln1(x)", values: x.ln1.data }], { xLabel: "value", title: `the values before and after layer ${layer}'s first norm` }));
  show(fig.qkv, ...["q", "k", "v"].map((n) => heat(x[`attn.${n}`], `${n} (layer ${layer}, heads side by side)`, labels)));
  show(fig.proj, heat(x["attn.merged"], "heads merged", labels), heat(x["attn.out"], "projected: attn.out", labels));
  const mlp = o.family === "gpt" ? [["mlp.fc", "fc"], ["mlp.act", "gelu(fc)"], ["mlp.out", "out"]] : [["mlp.gate", "gate"], ["mlp.up", "up"], ["mlp.hidden", "silu(gate) ⊙ up"], ["mlp.out", "down: out"]];
  show(fig.mlp, ...mlp.map(([name, title]) => heat(x[name], `${title} (layer ${layer})`, labels)));
  const text = `layer ${layer}: taken from the walk in ${ms.toFixed(1)} ms, drawn in ${(performance.now() - t0).toFixed(0)} ms`;
  for (const f of [fig.norm, fig.qkv, fig.proj, fig.mlp]) timing(f, text);
}
for (const p of layerPickers) p.addEventListener("change", () => { selected = { layer: Number(p.value), head: 0 }; setLayers(null, selected.layer); drawAttention(); void drawLayer(); });

// ——— sampling: the sliders on the last position's distribution ———
const controls = document.createElement("div");
controls.className = "controls";
controls.innerHTML = [
  `<label>temperature <input id="temperature" type="range" min="0" max="3" step="0.05" value="1"><span id="temperature-value">1</span></label>`,
  `<label>top-k <select id="topK"><option value="">off</option><option>1</option><option>2</option><option>3</option><option>5</option><option>10</option><option>40</option></select></label>`,
  `<label>top-p <input id="topP" type="range" min="0.05" max="1" step="0.05" value="1"><span id="topP-value">1</span></label>`,
  `<label>min-p <input id="minP" type="range" min="0" max="1" step="0.05" value="0"><span id="minP-value">0</span></label>`,
].join("");
fig.sampling.before(controls);
const control = (id: string) => $<HTMLInputElement>(id);
function samplingOptions(): SamplingOptions {
  const temperature = Number(control("temperature").value), topP = Number(control("topP").value), minP = Number(control("minP").value), k = control("topK").value;
  return { temperature, ...(k ? { topK: Number(k) } : {}), ...(topP < 1 ? { topP } : {}), ...(minP > 0 ? { minP } : {}) };
}
function renderSampling(): number {
  const t0 = performance.now();
  for (const id of ["temperature", "topP", "minP"]) $(`${id}-value`).textContent = control(id).value;
  if (!overview) return 0;
  const o = overview, options = samplingOptions();
  const explanation = explainSampling(o.lastLogits, options);
  const chosen = sampleToken(o.lastLogits, options.temperature === 0 ? { temperature: 0 } : { ...options, rng: createRng(1) });
  const names = new Map(o.top.ids.map((id, i) => [id, o.top.labels[i]]));
  const label = (id: number) => names.get(id) ?? `#${id}`;
  show(fig.sampling, samplingSvg(explanation, { chosen, labels: label, show: 20, title: `the next token after “${o.labels[o.labels.length - 1]}”: sampled ${label(chosen)}` }));
  const ms = performance.now() - t0;
  timing(fig.sampling, `redrawn in ${ms.toFixed(1)} ms over ${o.lastLogits.length.toLocaleString("en")} logits`);
  return ms;
}
for (const id of ["temperature", "topK", "topP", "minP"]) control(id).addEventListener("input", () => { page.lastInteractionMs = renderSampling(); });

// ——— generation: the greedy answer from the walk, then sampled tokens streamed from the worker ———
const genControls = document.createElement("div");
genControls.className = "controls";
genControls.innerHTML = `<label>new tokens <input id="gen-steps" type="number" min="1" max="200" value="20"></label><button id="gen-start" type="button">Generate with the sliders' sampling</button><button id="gen-stop" type="button" disabled>Stop</button>`;
fig.generate.before(genControls);
const genTable = (steps: GenerationStep[], caption: string) =>
  `<table><caption>${esc(caption)}</caption><thead><tr><th>step</th><th>KV cache length</th><th>next</th><th>p</th><th>ms</th></tr></thead><tbody>${steps.map((s, i) => `<tr><td>${i + 1}</td><td>${s.cacheLength}</td><td>${esc(s.label)}</td><td>${(s.p * 100).toFixed(1)}%</td><td>${s.ms.toFixed(1)}</td></tr>`).join("")}</tbody></table>`;
function drawAnswer(answer: GenerationStep[]): void {
  output.textContent = answer.map((s) => s.label).join("");
  show(fig.generate, genTable(answer, `greedy: ${answer.length} tokens after the text`));
}
$("gen-start").addEventListener("click", async () => {
  const steps: GenerationStep[] = [];
  const prompt = input.value;
  const start = $<HTMLButtonElement>("gen-start"), stop = $<HTMLButtonElement>("gen-stop");
  start.disabled = true; stop.disabled = false;
  const draw = () => show(fig.generate, `<p class="generated"><strong>${esc(prompt)}</strong>${esc(steps.map((s) => s.label.replace(/␣/g, " ").replace(/⏎/g, "\n")).join(""))}</p>`, genTable(steps, "sampled, one token per step"));
  try {
    const r = await modelWorker.call<{ ms: number; stopped: boolean }, GenerationStep>({ type: "generate", text: prompt, steps: Number(control("gen-steps").value) || 20, options: samplingOptions(), seed: Date.now() % 100000 },
      (step) => { steps.push(step); draw(); });
    timing(fig.generate, `${steps.length} tokens in ${r.ms.toFixed(0)} ms${r.stopped ? " (stopped)" : ""}`);
    document.body.dataset.generated = String(steps.length);
  } catch (e) { show(fig.generate, `<p class="error">${esc((e as Error).message)}</p>`); }
  start.disabled = false; stop.disabled = true;
});
$("gen-stop").addEventListener("click", () => { void modelWorker.call({ type: "stop" }); });

let typing: ReturnType<typeof setTimeout> | undefined;
input.addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(() => void update(), 120); });

// ——— train on your own words ———
const trainer = connect<TrainRequest>(new Worker(new URL("./train-worker.ts", import.meta.url), { type: "module" }));
const trainControls = document.createElement("div");
trainControls.className = "train-controls";
const opts = (id: string, values: number[], chosen: number) => `<select id="${id}">${values.map((v) => `<option${v === chosen ? " selected" : ""}>${v}</option>`).join("")}</select>`;
trainControls.innerHTML = `<label for="train-text">Text to train on (a tenth is kept back for validation)</label>
<div class="controls"><label>a sample <select id="train-sample">${Object.keys(SAMPLE_TEXTS).map((k) => `<option>${esc(k)}</option>`).join("")}</select></label></div>
<textarea id="train-text" rows="6"></textarea>
<div class="controls"><label>layers ${opts("train-layers", [1, 2, 3, 4], 2)}</label><label>heads ${opts("train-heads", [1, 2, 4], 4)}</label><label>width C ${opts("train-width", [32, 48, 64, 128], 64)}</label>
<label>context ${opts("train-context", [16, 32, 64, 128], 32)}</label><label>steps ${opts("train-steps", [50, 100, 200, 300, 500, 1000], 200)}</label><label>sample every ${opts("train-every", [10, 25, 50, 100], 50)}</label></div>
<div class="controls"><button id="train-run" type="button">Train</button><button id="train-pause" type="button" disabled>Pause</button><button id="train-step" type="button">One step at a time</button>
<button id="train-download" type="button" disabled>Download the checkpoint</button><button id="train-walk" type="button" disabled>Walk it</button><button id="train-start" type="button">Train nano-sort (400 steps)</button><button id="train-stop" type="button" disabled>Stop nano-sort</button></div>
<p id="train-status" aria-live="polite"></p><p id="train-error" class="error" role="alert"></p>`;
fig.train.before(trainControls);
const trainText = $<HTMLTextAreaElement>("train-text"), trainStatus = $("train-status"), trainError = $("train-error");
const sampleSelect = $<HTMLSelectElement>("train-sample");
trainText.value = SAMPLE_TEXTS[sampleSelect.value];
sampleSelect.addEventListener("change", () => { trainText.value = SAMPLE_TEXTS[sampleSelect.value]; started = null; });
trainText.addEventListener("input", () => { started = null; });
for (const id of ["train-layers", "train-heads", "train-width", "train-context", "train-steps"]) $(id).addEventListener("change", () => { started = null; });

let started: { steps: number } | null = null; // the run the buttons continue; a new text or config starts another
let curve = { step: [] as number[], loss: [] as number[], valStep: [] as number[], val: [] as number[] }, lastSample = "", lastGroups: GroupUpdate[] = [];
const num = (id: string) => Number($<HTMLSelectElement>(id).value);
async function ensureStarted(): Promise<boolean> {
  if (started) return true;
  const config: CharConfig = { nLayer: num("train-layers"), nHead: num("train-heads"), nEmbd: num("train-width"), blockSize: num("train-context") };
  try {
    const r = await trainer.call<{ vocabSize: number; trainChars: number; valChars: number; parameters: number; val: number; threads: number; reason: string | null }>({ type: "start", text: trainText.value, config, steps: num("train-steps"), seed: 1 });
    started = { steps: num("train-steps") };
    curve = { step: [], loss: [], valStep: [0], val: [r.val] };
    lastSample = ""; lastGroups = [];
    trainError.textContent = "";
    trainStatus.textContent = `a GPT of ${r.parameters.toLocaleString("en")} parameters over ${r.vocabSize} characters; ${r.trainChars.toLocaleString("en")} to train on, ${r.valChars.toLocaleString("en")} to validate; on ${r.threads} thread${r.threads === 1 ? "" : "s"}${r.reason ? ` (${r.reason})` : ""}. Validation loss at step 0: ${r.val.toFixed(3)}.`;
    document.body.dataset.valFirst = String(r.val);
    $<HTMLButtonElement>("train-download").disabled = false; $<HTMLButtonElement>("train-walk").disabled = false;
    return true;
  } catch (e) { trainError.textContent = (e as Error).message; return false; }
}
function drawTraining(): void {
  const figures = [lineSvg([{ name: "training loss", values: curve.loss, x: curve.step }, { name: "validation loss", values: curve.val, x: curve.valStep }], { xLabel: "AdamW step", yLabel: "cross-entropy (nats)", title: "your character model, trained in your browser" })];
  if (lastSample) figures.push(`<figure class="sample"><figcaption>a sample after step ${curve.step.at(-1) ?? 0} (prompt | generated)</figcaption><pre>${esc(lastSample)}</pre></figure>`);
  if (lastGroups.length) {
    const maxGrad = Math.max(...lastGroups.map((g) => g.grad)), maxUpdate = Math.max(...lastGroups.map((g) => g.update / (g.weight || 1)));
    const bar = (v: number, max: number, cls: string) => `<span class="bar ${cls}" style="width:${((v / (max || 1)) * 8).toFixed(2)}em"></span>`;
    figures.push(`<table class="groups"><caption>step ${curve.step.at(-1)}: each parameter group's gradient and update</caption><thead><tr><th>group</th><th>|grad|</th><th>|Δθ| / |θ|</th></tr></thead><tbody>${lastGroups.map((g) =>
      `<tr><td>${esc(g.name)}</td><td>${bar(g.grad, maxGrad, "grad")} ${g.grad.toExponential(2)}</td><td>${bar(g.update / (g.weight || 1), maxUpdate, "update")} ${(g.update / (g.weight || 1)).toExponential(2)}</td></tr>`).join("")}</tbody></table>`);
  }
  show(fig.train, ...figures);
}
type Progress = { step: number; loss: number; val?: number; sample?: string; tokensPerSecond: number; groups?: GroupUpdate[] };
function record(p: Progress): void {
  curve.step.push(p.step); curve.loss.push(p.loss);
  if (p.val !== undefined) { curve.valStep.push(p.step); curve.val.push(p.val); document.body.dataset.valLast = String(p.val); }
  if (p.sample !== undefined) { lastSample = p.sample; document.body.dataset.sampled = "true"; }
  if (p.groups) lastGroups = p.groups;
}
$("train-run").addEventListener("click", async () => {
  if (!(await ensureStarted())) return;
  const run = $<HTMLButtonElement>("train-run"), pause = $<HTMLButtonElement>("train-pause");
  run.disabled = true; pause.disabled = false;
  lastGroups = [];
  const remaining = Math.max(1, started!.steps - (curve.step.at(-1) ?? 0));
  try {
    const r = await trainer.call<{ step: number; paused: boolean }, Progress>({ type: "run", steps: remaining, sampleEvery: num("train-every") }, (p) => {
      record(p);
      trainStatus.textContent = `step ${p.step}: training loss ${p.loss.toFixed(3)}${curve.val.length ? `, validation ${curve.val.at(-1)!.toFixed(3)}` : ""}, ${p.tokensPerSecond.toFixed(0)} tokens/s`;
      if (p.step % 5 === 0 || p.sample) drawTraining();
    });
    drawTraining();
    trainStatus.textContent += r.paused ? " (paused)" : " — done";
    if (!r.paused) document.body.dataset.trainedChars = String(r.step);
  } catch (e) { trainError.textContent = (e as Error).message; }
  run.disabled = false; pause.disabled = true;
});
$("train-pause").addEventListener("click", () => { void trainer.call({ type: "pause" }); });
$("train-step").addEventListener("click", async () => {
  if (!(await ensureStarted())) return;
  try {
    const r = await trainer.call<Progress>({ type: "step" });
    record(r);
    trainStatus.textContent = `one step: step ${r.step}, training loss ${r.loss.toFixed(3)}, validation ${r.val!.toFixed(3)}`;
    drawTraining();
    document.body.dataset.stepped = String(r.step);
  } catch (e) { trainError.textContent = (e as Error).message; }
});
async function checkpoint(): Promise<Uint8Array> { return trainer.call<Uint8Array>({ type: "save" }); }
$("train-download").addEventListener("click", async () => {
  const bytes = await checkpoint();
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([bytes as BlobPart], { type: "application/octet-stream" }));
  a.download = `char-model-step${curve.step.at(-1) ?? 0}.safetensors`;
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
});
$("train-walk").addEventListener("click", async () => {
  const bytes = await checkpoint();
  const name = `your character model (step ${curve.step.at(-1) ?? 0}).safetensors`;
  if (await loadOwn([{ name, blob: new Blob([bytes as BlobPart]) }], name)) {
    input.value = [...trainText.value].slice(0, Math.min(24, Number(info!.config.blockSize))).join("");
    await update();
    document.getElementById("tokens")!.scrollIntoView();
  }
});

// nano-sort from random weights, as before: its own worker, posting the loss per step
let sortWorker: Worker | null = null;
const sortStart = $<HTMLButtonElement>("train-start"), sortStop = $<HTMLButtonElement>("train-stop");
sortStart.addEventListener("click", () => {
  sortWorker?.terminate();
  const losses: number[] = [];
  sortWorker = new Worker(new URL("./train-worker.ts", import.meta.url), { type: "module" });
  sortStart.disabled = true; sortStop.disabled = false;
  const drawSort = () => show(fig.train, lineSvg([{ name: "training loss", values: losses }], { xLabel: "AdamW step", yLabel: "cross-entropy (nats)", title: "nano-sort, trained in your browser" }));
  sortWorker.onmessage = (e: MessageEvent<{ step?: number; loss?: number; done?: boolean; answer?: string; ms: number; threads?: number; reason?: string | null }>) => {
    if (e.data.done) {
      document.body.dataset.lossFirst = String(losses[0]);
      document.body.dataset.lossLast = String(losses[losses.length - 1]);
      drawSort();
      const on = `on ${e.data.threads} thread${e.data.threads === 1 ? "" : "s"}${e.data.reason ? ` (${e.data.reason})` : ""}`;
      trainStatus.textContent = `nano-sort done in ${(e.data.ms / 1000).toFixed(1)} s ${on}: CBABAC → ${e.data.answer}`;
      document.body.dataset.trained = e.data.answer;
      sortStart.disabled = false; sortStop.disabled = true;
      return;
    }
    losses.push(e.data.loss!);
    if (e.data.step! % 5 === 0) {
      trainStatus.textContent = `nano-sort step ${e.data.step! + 1}: loss ${e.data.loss!.toFixed(3)}, ${((e.data.step! + 1) * 64 * 11 / (e.data.ms / 1000)).toFixed(0)} tokens/s`;
      drawSort();
    }
  };
  sortWorker.postMessage({ steps: 400, seed: Math.floor(Math.random() * 1000) });
});
sortStop.addEventListener("click", () => { sortWorker?.terminate(); sortWorker = null; trainStatus.textContent += " (stopped)"; sortStart.disabled = false; sortStop.disabled = true; });

// ——— the tokenizer comparison: a character tokenizer, a BPE trained here, and GPT-2's ———
const corpus = "The transformer reads tokens. Tokens are pieces of text: words, parts of words, spaces and punctuation. A tokenizer learns which pieces are common and gives each an id. ".repeat(4);
const trained = trainBpe(corpus, 300);
let gpt2: Bpe | null = null;
const tokText = document.createElement("input");
tokText.type = "text";
tokText.id = "tokenizer-text";
tokText.className = "wide";
tokText.value = "Tokenizers split text into tokens!";
tokText.setAttribute("aria-label", "text to tokenize");
fig.tokenizer.before(tokText);
function renderTokenizers(): void {
  const text = tokText.value;
  const figures: string[] = [];
  const chars = CharTokenizer.fromText(text || " ");
  const charIds = chars.encode(text);
  let at = 0;
  figures.push(tokensSvg(text, { ids: charIds, offsets: [...text].map((ch) => [at, (at += ch.length)] as [number, number]), title: `characters: ${charIds.length} tokens` }));
  for (const [name, tok] of [["a BPE trained on a paragraph (300 tokens)", trained], ["GPT-2 (r50k_base)", gpt2]] as const) {
    if (!tok) continue;
    const { ids, offsets } = tok.encodeWithOffsets(text);
    figures.push(tokensSvg(text, { ids, offsets, title: `${name}: ${ids.length} tokens` }));
  }
  show(fig.tokenizer, ...figures);
}
tokText.addEventListener("input", renderTokenizers);
renderTokenizers();

const t0 = performance.now();
loading = pick("sort").then(() => { page.firstRenderMs = performance.now() - t0; });
fetch("./r50k_base.tiktoken").then((r) => r.text()).then(async (ranks) => {
  gpt2 = BpeTokenizer.fromTiktoken(ranks, { pattern: PATTERNS.r50k_base, specialTokens: SPECIAL_TOKENS.r50k_base });
  renderTokenizers();
  await loading;
  document.body.dataset.ready = "true";
});
