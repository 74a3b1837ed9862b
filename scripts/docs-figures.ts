// The figures of the lessons page (docs/lessons.md), drawn with transformer-primitives/viz from real
// models: the sort model (examples/assets/sort-model.safetensors), the character model trained by
// this library (examples/assets/char-model.safetensors), GPT-2's tokenizer, and a nano-sort trained
// here for 150 steps for the loss curve. `npm run docs` runs it before typedoc; the SVGs go to
// docs/figures/ (generated, not committed).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  BpeTokenizer, CharTokenizer, PATTERNS, SPECIAL_TOKENS, adamw, clipGradNorm, createRng, explainSampling, gptConfigFromMetadata,
  gptForward, gptFromStateDict, gptLossAndGrads, initGpt, loadSafetensors, safetensorsMetadata, sampleToken, softmax, type Tensor,
} from "transformer-primitives";
import { sortModel } from "transformer-primitives/pretrained";
import { attentionSvg, heatmapSvg, histogramSvg, lineSvg, samplingSvg, scatterSvg, tokensSvg } from "transformer-primitives/viz";

const out = new URL("../docs/figures/", import.meta.url);
mkdirSync(out, { recursive: true });
let written = 0;
const save = (name: string, svg: string) => { writeFileSync(new URL(`${name}.svg`, out), svg); written++; };

// the sort model on CBABAC
const word = "CBABAC", tokens = [...word], ids = tokens.map((ch) => "ABC".indexOf(ch));
const taps = new Map<string, Tensor>();
const logits = gptForward(sortModel(), ids, { tap: (n, t) => taps.set(n, t) });
const tap = (n: string) => taps.get(n)!;
save("tokens", tokensSvg(word, { ids, offsets: ids.map((_, i) => [i, i + 1] as [number, number]), title: "CBABAC: one token per letter" }));
save("positions", scatterSvg(sortModel().wpe, { labels: Array.from({ length: 11 }, (_, i) => `${i}`), groups: Array.from({ length: 11 }, (_, i) => (i < 6 ? "input positions" : "answer positions")), title: "the sort model's 11 position embeddings (PCA)" }));
save("embeddings", heatmapSvg(tap("embed.sum"), { rowLabels: tokens, title: "wte[ids] + wpe[positions] [6, 48]", scale: "diverging" }));
save("layer-norm", heatmapSvg(tap("h.0.ln1"), { rowLabels: tokens, title: "ln1(x): each row mean 0, variance 1, then scaled [6, 48]", scale: "diverging" }));
save("layer-norm-distribution", histogramSvg([{ name: "x", values: tap("embed.sum").data }, { name: "ln1(x)", values: tap("h.0.ln1").data }], { xLabel: "value", title: "values before and after the first layer norm" }));
for (let i = 0; i < 3; i++) save(`attention-layer-${i}`, attentionSvg(tap(`h.${i}.attn.weights`), { tokens, causal: true, title: `the sort model, layer ${i}` }));
save("mlp", heatmapSvg(tap("h.0.mlp.act"), { rowLabels: tokens, title: "gelu(c_fc(x)) in layer 0 [6, 192]", scale: "diverging" }));
const norms = (t: Tensor) => Array.from({ length: t.shape[0] }, (_, r) => Math.hypot(...t.data.subarray(r * t.shape[1], (r + 1) * t.shape[1])));
const stream = ["embed.sum", "h.0.resid2", "h.1.resid2", "h.2.resid2"].map((n) => norms(tap(n)));
save("residual", lineSvg(tokens.map((tok, p) => ({ name: `${p}: ${tok}`, values: stream.map((l) => l[p]) })), { xLabel: "layer (0 = the embedding)", yLabel: "|x|", title: "the residual stream's length, position by position" }));
save("logits", heatmapSvg(softmax(logits), { rowLabels: tokens, colLabels: ["A", "B", "C"], title: "softmax(logits): what each position predicts next" }));
const last = logits.data.slice(15, 18), sampling = { temperature: 8, topK: 2 };
save("sampling", samplingSvg(explainSampling(last, sampling), { chosen: sampleToken(last, { ...sampling, rng: createRng(7) }), labels: (id) => "ABC"[id], title: "the next letter after CBABAC at temperature 8, top-k 2" }));

// GPT-2's tokenizer beside the character model's
const text = "The transformer reads tokens, not letters.";
const ranks = readFileSync(createRequire(import.meta.url).resolve("gpt-tokenizer/data/r50k_base.tiktoken"), "utf8");
const gpt2 = BpeTokenizer.fromTiktoken(ranks, { pattern: PATTERNS.r50k_base, specialTokens: SPECIAL_TOKENS.r50k_base });
save("tokens-gpt2", tokensSvg(text, { ...gpt2.encodeWithOffsets(text), title: "GPT-2's byte-level BPE (r50k_base)" }));

// the character model trained by this library: its first layer's attention over a sentence
const bytes = new Uint8Array(readFileSync(new URL("../examples/assets/char-model.safetensors", import.meta.url)));
const meta = safetensorsMetadata(bytes);
const chars = CharTokenizer.fromText(JSON.parse(meta.vocab));
const charModel = gptFromStateDict(loadSafetensors(bytes), gptConfigFromMetadata(meta));
const sentence = "The model reads the text.";
const charTaps = new Map<string, Tensor>();
gptForward(charModel, chars.encode(sentence), { tap: (n, t) => charTaps.set(n, t) });
save("attention-chars", attentionSvg(charTaps.get("h.0.attn.weights")!, { tokens: [...sentence].map((ch) => (ch === " " ? "·" : ch)), causal: true, title: "the character model (trained here), layer 0" }));

// a loss curve: nano-sort trained from scratch for 150 steps
const params = initGpt({ vocabSize: 3, blockSize: 11, nLayer: 3, nHead: 3, nEmbd: 48 }, createRng(0));
const optimizer = adamw(params, { lr: 5e-4 }), rng = createRng(1), losses: number[] = [];
for (let step = 0; step < 150; step++) {
  const batchIds: number[][] = [], targets: number[][] = [];
  for (let b = 0; b < 32; b++) {
    const input = Array.from({ length: 6 }, () => Math.floor(rng.uniform() * 3));
    const seq = [...input, ...[...input].sort()];
    batchIds.push(seq.slice(0, -1));
    targets.push(seq.slice(1).map((t, i) => (i < 5 ? -1 : t)));
  }
  const { loss, grads } = gptLossAndGrads(params, batchIds, targets);
  clipGradNorm(grads, 1);
  optimizer.step(grads);
  losses.push(loss);
}
save("training", lineSvg([{ name: "training loss", values: losses }], { xLabel: "AdamW step", yLabel: "cross-entropy (nats)", title: "nano-sort learning to sort, from scratch" }));
console.log(`docs/figures: ${written} figures written`);
