// The playground: the sort model, lesson by lesson, in the browser. Every section is computed from
// the input with the library's public functions and drawn with its `viz` module; the call that
// computed it is printed beside it. `npm run playground` serves it; `npm run build:playground`
// writes a static site to docs/playground/.
import {
  BpeTokenizer, CharTokenizer, PATTERNS, SPECIAL_TOKENS, argmax, createGptCache, createRng, explainSampling, generate,
  gptConfigFromMetadata, gptForward, gptFromStateDict, loadSafetensors, safetensorsMetadata, sampleToken, softmax, trainBpe,
  type BpeTokenizer as Bpe, type Tensor,
} from "../../src/index";
import { SORT_MODEL_LETTERS, sortModel } from "../../src/pretrained/index";
import { attentionSvg, heatmapSvg, histogramSvg, lineSvg, samplingSvg, scatterSvg, tokensSvg } from "../../src/viz/index";

const params = sortModel();
const letters = SORT_MODEL_LETTERS;
const { nLayer, nHead, nEmbd } = params.config;
const lessons = document.getElementById("lessons")!;
const input = document.getElementById("input") as HTMLInputElement;
const output = document.getElementById("output")!;
const inputError = document.getElementById("input-error")!;
// an error nobody caught is shown on the page too, not only in the console
const pageError = document.createElement("p");
pageError.id = "page-error";
pageError.className = "error";
pageError.setAttribute("role", "alert");
document.body.prepend(pageError);
const showError = (what: unknown) => { pageError.textContent = `Something failed: ${what instanceof Error ? what.message : String(what)}`; };
window.addEventListener("error", (e) => showError(e.error ?? e.message));
window.addEventListener("unhandledrejection", (e) => showError(e.reason));

/** A section: a heading, the call that computes it, and a place for its figures. */
function section(id: string, title: string, code: string, intro = ""): HTMLElement {
  const s = document.createElement("section");
  s.id = id;
  s.setAttribute("aria-labelledby", `${id}-title`);
  s.innerHTML = `<h2 id="${id}-title">${title}</h2>${intro ? `<p>${intro}</p>` : ""}<pre><code>${code.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</code></pre><div class="figures"></div>`;
  lessons.append(s);
  return s.querySelector(".figures") as HTMLElement;
}
const show = (el: HTMLElement, ...svgs: string[]) => { el.innerHTML = svgs.join(""); };

/** [H, T, D] → [T, H·D]: the heads side by side, as the model's channels. */
function channels(t: Tensor): Tensor {
  const [H, T, D] = t.shape;
  const data = new Float32Array(T * H * D);
  for (let h = 0; h < H; h++) for (let i = 0; i < T; i++) data.set(t.data.subarray((h * T + i) * D, (h * T + i + 1) * D), i * H * D + h * D);
  return { data, shape: [T, H * D] };
}
const norms = (t: Tensor) => { const [T, C] = t.shape; return Array.from({ length: T }, (_, i) => Math.hypot(...t.data.subarray(i * C, (i + 1) * C))); };

// the sections, in lesson order
const fig = {
  tokens: section("tokens", "2 · Tokens", `const ids = [...word].map((ch) => "ABC".indexOf(ch));   // a character tokenizer: A = 0, B = 1, C = 2`),
  embed: section("embeddings", "3–5 · Token and position embeddings", `gptForward(params, ids, { tap }) // taps "embed.tokens" = wte[ids], "embed.positions" = wpe[0…T), "embed.sum"`, "Why does wpe have 11 rows? The model reads up to 11 positions: 6 letters and the 5 sorted ones it has written before the last."),
  norm: section("layer-norm", "6 · Layer norm", `layerNorm(x, h[0].ln1.weight, h[0].ln1.bias) // tap "h.0.ln1": each row to mean 0, variance 1, then scaled and shifted`),
  qkv: section("qkv", "7–9 · Queries, keys, values", `projectQKV(x, h[0].attn.cAttn.weight, h[0].attn.cAttn.bias) → splitHeads(…, 3) // taps "h.0.attn.q", "k", "v": [H, T, D] shown as [T, C]`),
  attention: section("attention", "10–11 · Causal attention, every layer and head", `scaledDotProductAttention(q, k, v, { causal: true, returnWeights: true }) // tap "h.i.attn.weights" [H, T, T]`, "Rows are queries, columns keys; hatched cells are hidden by the causal mask (not weights near 0)."),
  proj: section("projection", "12 · Projection", `linear(merged, h[0].attn.cProj.weight, h[0].attn.cProj.bias) // tap "h.0.attn.out"`),
  mlp: section("mlp", "13 · The MLP", `mlp(x, h[0].mlp) // taps "h.0.mlp.fc" [T, 4C] and "h.0.mlp.act" = gelu(fc)`),
  resid: section("residual", "14–16 · Residual stream, layer by layer", `tap "embed.sum", then "h.i.resid2" for each layer i // the length |x| of each position's vector`),
  logits: section("logits", "17 · Logits", `layerNorm(x, lnF.weight, lnF.bias) → linear(…, wte) // tap "logits" [T, V]: one score per letter at every position`),
  sampling: section("sampling", "18 · Softmax and sampling", `explainSampling(logits.at(-1), { temperature, topK, topP, minP }); sampleToken(logits.at(-1), { temperature, topK, topP, minP, rng })`),
  generate: section("generation", "20 · Generation, one token at a time", `const cache = createGptCache(config); gptForward(params, prompt, { cache }); then gptForward(params, [next], { cache }) per token`),
  train: section("train", "22–23 · Train it yourself", `gptLossAndGrads(params, batch, targets) → clipGradNorm(grads, 1) → optimizer.step(grads) // in a Web Worker: the page stays live`, "nano-sort from random weights: 64 sequences a step, the loss on the sorted half. Around 200 steps it sorts CBABAC."),
  chars: section("chars", "The character model writes", `generate(charModel, chars.encode(prompt), { maxNewTokens: 200, temperature: 0.8, topK: 40, rng }) // a 4-layer GPT this library trained on English text`),
  tokenizer: section("tokenizer", "2 · Tokenizers compared", `CharTokenizer.fromText(text); trainBpe(corpus, 300); BpeTokenizer.fromTiktoken(ranks, { pattern: PATTERNS.r50k_base, specialTokens: SPECIAL_TOKENS.r50k_base })`),
};

// sampling controls: temperature, top-k, top-p, min-p
const controls = document.createElement("div");
controls.className = "controls";
controls.innerHTML = [
  `<label>temperature <input id="temperature" type="range" min="0" max="3" step="0.05" value="1"><span id="temperature-value">1</span></label>`,
  `<label>top-k <select id="topK"><option value="">off</option><option>1</option><option>2</option><option>3</option></select></label>`,
  `<label>top-p <input id="topP" type="range" min="0.05" max="1" step="0.05" value="1"><span id="topP-value">1</span></label>`,
  `<label>min-p <input id="minP" type="range" min="0" max="1" step="0.05" value="0"><span id="minP-value">0</span></label>`,
].join("");
fig.sampling.before(controls);
const control = (id: string) => document.getElementById(id) as HTMLInputElement;

let lastLogits: Float32Array = new Float32Array(3);

function renderSampling(): number {
  const t0 = performance.now();
  const temperature = Number(control("temperature").value), topP = Number(control("topP").value), minP = Number(control("minP").value);
  const k = control("topK").value;
  const options = { temperature, ...(k ? { topK: Number(k) } : {}), ...(topP < 1 ? { topP } : {}), ...(minP > 0 ? { minP } : {}) };
  for (const id of ["temperature", "topP", "minP"]) document.getElementById(`${id}-value`)!.textContent = control(id).value;
  const explanation = explainSampling(lastLogits, options);
  const chosen = sampleToken(lastLogits, { ...options, rng: createRng(1) });
  show(fig.sampling, samplingSvg(explanation, { chosen, labels: (id) => letters[id], title: `the next letter after ${input.value.toUpperCase()}: sampled ${letters[chosen]}` }));
  return performance.now() - t0;
}

function render(word: string): void {
  const ids = [...word].map((ch) => letters.indexOf(ch));
  const tokens = [...word];
  const taps = new Map<string, Tensor>();
  const logits = gptForward(params, ids, { tap: (name, t) => taps.set(name, t) });
  const tap = (name: string) => taps.get(name)!;
  show(fig.tokens, tokensSvg(word, { ids, offsets: ids.map((_, i) => [i, i + 1] as [number, number]), title: `${word}: ${ids.length} tokens` }));
  const embed = (name: string, title: string) => heatmapSvg(tap(name), { rowLabels: tokens, title, scale: "diverging" });
  show(fig.embed, embed("embed.tokens", "wte[ids] [6, 48]"), embed("embed.positions", "wpe[0…6) [6, 48]"), embed("embed.sum", "their sum, x [6, 48]"),
    scatterSvg(params.wpe, { labels: Array.from({ length: params.config.blockSize }, (_, i) => `${i}`), groups: Array.from({ length: params.config.blockSize }, (_, i) => (i < 6 ? "input positions" : "answer positions")), title: "all 11 rows of wpe, on their first two principal components" }));
  show(fig.norm, embed("embed.sum", "before: x"), embed("h.0.ln1", "after: ln1(x)"),
    histogramSvg([{ name: "x (all 6 tokens)", values: tap("embed.sum").data }, { name: "ln1(x)", values: tap("h.0.ln1").data }], { xLabel: "value", title: "the values before and after the first layer norm" }));
  show(fig.qkv, ...["q", "k", "v"].map((n) => heatmapSvg(channels(tap(`h.0.attn.${n}`)), { rowLabels: tokens, title: `${n} (layer 0, heads side by side)`, scale: "diverging" })));
  show(fig.attention, ...Array.from({ length: nLayer }, (_, i) => attentionSvg(tap(`h.${i}.attn.weights`), { tokens, causal: true, title: `layer ${i}: ${nHead} heads` })));
  show(fig.proj, embed("h.0.attn.merged", "heads merged [6, 48]"), embed("h.0.attn.out", "projected: attn.out [6, 48]"));
  show(fig.mlp, heatmapSvg(tap("h.0.mlp.fc"), { rowLabels: tokens, title: "fc [6, 192]", scale: "diverging" }), heatmapSvg(tap("h.0.mlp.act"), { rowLabels: tokens, title: "gelu(fc) [6, 192]", scale: "diverging" }));
  const stream = ["embed.sum", ...Array.from({ length: nLayer }, (_, i) => `h.${i}.resid2`)].map((n) => norms(tap(n)));
  show(fig.resid, lineSvg(tokens.map((tok, p) => ({ name: `${p}: ${tok}`, values: stream.map((layer) => layer[p]) })), { xLabel: "layer (0 = the embedding)", yLabel: "|x|", title: `|x| of each position through the ${nLayer} layers (C = ${nEmbd})` }));
  show(fig.logits, heatmapSvg(logits, { rowLabels: tokens, colLabels: [...letters], title: "logits [6, 3]", scale: "diverging" }),
    heatmapSvg(softmax(logits), { rowLabels: tokens, colLabels: [...letters], title: "softmax(logits)" }));
  lastLogits = logits.data.slice((ids.length - 1) * 3);
  renderSampling();
  // generation: the prompt once, then one token per step over the KV cache (greedy)
  const cache = createGptCache(params.config);
  let step = gptForward(params, ids, { cache });
  const rows: string[] = [];
  const out: number[] = [];
  for (let s = 0; s < 6; s++) {
    const last = step.data.subarray(step.data.length - 3);
    const next = argmax(last), p = softmax({ data: Float32Array.from(last), shape: [3] }).data[next];
    rows.push(`<tr><td>${s + 1}</td><td>${word}|${out.map((i) => letters[i]).join("")}</td><td>${cache.length}</td><td>${letters[next]}</td><td>${(p * 100).toFixed(1)}%</td></tr>`);
    out.push(next);
    if (s < 5) step = gptForward(params, [next], { cache });
  }
  fig.generate.innerHTML = `<table><caption>greedy generation</caption><thead><tr><th>step</th><th>context</th><th>KV cache length</th><th>next</th><th>p</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
  output.textContent = out.map((i) => letters[i]).join("");
}

// the tokenizer comparison: a character tokenizer, a BPE trained here, and GPT-2's
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

/** Every figure that depends on the input, emptied: nothing stale stays on screen beside an error. */
function clearWalk(why: string): void {
  output.textContent = "";
  for (const [name, el] of Object.entries(fig)) {
    if (name === "train" || name === "chars" || name === "tokenizer") continue; // these do not read the input
    el.innerHTML = `<p class="stale">${why}</p>`;
  }
}

function update(): void {
  const word = input.value.toUpperCase();
  if (!/^[ABC]{6}$/.test(word)) {
    const bad = [...word].find((ch) => !"ABC".includes(ch));
    inputError.textContent = bad !== undefined
      ? `"${bad}" is not a letter the model knows: six letters from A, B, C, please`
      : `${word.length} of 6 letters: six letters from A, B, C, please`;
    clearWalk("(waiting for six letters from A, B, C)");
    return;
  }
  inputError.textContent = "";
  try {
    render(word);
  } catch (e) {
    inputError.textContent = `the walk failed: ${(e as Error).message}`;
    clearWalk("(not computed: see the error above)");
  }
}

const t0 = performance.now();
update();
renderTokenizers();
(window as unknown as { firstRenderMs: number }).firstRenderMs = performance.now() - t0;
input.addEventListener("input", update);
tokText.addEventListener("input", renderTokenizers);
for (const id of ["temperature", "topK", "topP", "minP"]) control(id).addEventListener("input", () => {
  (window as unknown as { lastInteractionMs: number }).lastInteractionMs = renderSampling();
});
// train it yourself: a worker runs the training loop and posts the loss; the curve is redrawn as it comes
const trainControls = document.createElement("div");
trainControls.className = "controls";
trainControls.innerHTML = `<button id="train-start" type="button">Train nano-sort (400 steps)</button><button id="train-stop" type="button" disabled>Stop</button><span id="train-status" aria-live="polite"></span>`;
fig.train.before(trainControls);
let worker: Worker | null = null;
const trainStatus = document.getElementById("train-status")!;
const startButton = document.getElementById("train-start") as HTMLButtonElement, stopButton = document.getElementById("train-stop") as HTMLButtonElement;
startButton.addEventListener("click", () => {
  worker?.terminate();
  const losses: number[] = [];
  worker = new Worker(new URL("./train-worker.ts", import.meta.url), { type: "module" });
  startButton.disabled = true; stopButton.disabled = false;
  worker.onmessage = (e: MessageEvent<{ step?: number; loss?: number; done?: boolean; answer?: string; ms: number; threads?: number; reason?: string | null }>) => {
    if (e.data.done) {
      document.body.dataset.lossFirst = String(losses[0]);
      document.body.dataset.lossLast = String(losses[losses.length - 1]);
      show(fig.train, lineSvg([{ name: "training loss", values: losses }], { xLabel: "AdamW step", yLabel: "cross-entropy (nats)", title: "nano-sort, trained in your browser" }));
      const on = `on ${e.data.threads} thread${e.data.threads === 1 ? "" : "s"}${e.data.reason ? ` (${e.data.reason})` : ""}`;
      trainStatus.textContent = `done in ${(e.data.ms / 1000).toFixed(1)} s ${on}: CBABAC → ${e.data.answer}`;
      document.body.dataset.trained = e.data.answer;
      startButton.disabled = false; stopButton.disabled = true;
      return;
    }
    losses.push(e.data.loss!);
    if (e.data.step! % 5 === 0) {
      trainStatus.textContent = `step ${e.data.step! + 1}: loss ${e.data.loss!.toFixed(3)}, ${((e.data.step! + 1) * 64 * 11 / (e.data.ms / 1000)).toFixed(0)} tokens/s`;
      show(fig.train, lineSvg([{ name: "training loss", values: losses }], { xLabel: "AdamW step", yLabel: "cross-entropy (nats)", title: "nano-sort, trained in your browser" }));
    }
  };
  worker.postMessage({ steps: 400, seed: Math.floor(Math.random() * 1000) });
});
stopButton.addEventListener("click", () => { worker?.terminate(); worker = null; trainStatus.textContent += " (stopped)"; startButton.disabled = false; stopButton.disabled = true; });

// the character model trained by this library writes text after a prompt
const charControls = document.createElement("div");
charControls.className = "controls";
charControls.innerHTML = `<input id="chars-prompt" type="text" class="wide" value="The program " aria-label="prompt for the character model"><button id="chars-write" type="button" disabled>Write</button><span id="chars-error" class="error" role="alert"></span>`;
fig.chars.before(charControls);
fetch("./char-model.safetensors").then((r) => r.arrayBuffer()).then((buffer) => {
  const bytes = new Uint8Array(buffer), meta = safetensorsMetadata(bytes);
  const charModel = gptFromStateDict(loadSafetensors(bytes), gptConfigFromMetadata(meta));
  const chars = CharTokenizer.fromText(JSON.parse(meta.vocab));
  const button = document.getElementById("chars-write") as HTMLButtonElement, prompt = document.getElementById("chars-prompt") as HTMLInputElement;
  let seed = 1;
  const charsError = document.getElementById("chars-error")!;
  const write = () => {
    const missing = [...prompt.value].filter((ch) => !chars.chars.includes(ch));
    if (missing.length) {
      charsError.textContent = `the model has never seen ${[...new Set(missing)].map((ch) => JSON.stringify(ch)).join(", ")}: it knows ${chars.vocabSize} characters (English letters, digits, punctuation)`;
      fig.chars.innerHTML = "";
      return;
    }
    charsError.textContent = "";
    const ids = chars.encode(prompt.value.length ? prompt.value : " ");
    const text = chars.decode([...generate(charModel, ids, { maxNewTokens: 200, temperature: 0.8, topK: 40, rng: createRng(seed++) })]);
    fig.chars.innerHTML = `<p><strong>${prompt.value.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</strong>${text.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</p>`;
    document.body.dataset.wrote = "true";
  };
  button.disabled = false;
  button.addEventListener("click", write);
  document.body.dataset.charsReady = "true";
});

fetch("./r50k_base.tiktoken").then((r) => r.text()).then((ranks) => {
  gpt2 = BpeTokenizer.fromTiktoken(ranks, { pattern: PATTERNS.r50k_base, specialTokens: SPECIAL_TOKENS.r50k_base });
  renderTokenizers();
  document.body.dataset.ready = "true";
});
