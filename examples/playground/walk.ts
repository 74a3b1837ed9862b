// One walk through a model over a text: the forward once with taps (kept for the layer the page asks
// for next), and what every section draws. Runs in the model Worker (and in Node's tests); the page
// only draws what comes back. Public API only.
import { argmax, dequantize, explainSampling, mergeHeads, softmax, type GptParams, type SamplingOptions, type Tensor, type Weight } from "../../src/index";
import type { PlaygroundModel } from "./models";

export interface WalkOverview {
  text: string;
  ids: number[];
  /** Each token's piece, spaces and newlines made visible: the figures' labels. */
  labels: string[];
  /** The text as the tokens spell it, and each token's span in it (for tokensSvg). */
  spelt: string;
  offsets: [number, number][];
  family: "gpt" | "llama";
  dims: { nLayer: number; nHead: number; nKvHead: number; nEmbd: number; vocabSize: number; blockSize: number; hidden: number };
  forwardMs: number;
  /** embed.tokens (and GPT's embed.positions, embed.sum). */
  embed: Record<string, Tensor>;
  /** A GPT's position table, its first rows (at most 128): wpe as points. */
  positions: Tensor | null;
  /** [H, T, T] per layer. */
  attention: Tensor[];
  /** |x| at every position: the embedding, then after each layer. */
  residualNorms: number[][];
  /** The 20 tokens most likely after the last position, and every position's logits for them [T, 20]. */
  top: { ids: number[]; labels: string[]; logits: Tensor };
  /** The model's three best guesses after each position. */
  predictions: { label: string; p: number }[][];
  lastLogits: Float32Array;
  /** The greedy continuation over the KV cache, one row per step. */
  answer: GenerationStep[];
}

export interface GenerationStep { id: number; label: string; p: number; cacheLength: number; ms: number }

export interface WalkLayer { layer: number; tensors: Record<string, Tensor>; ms: number }

/** A token's piece as a label: a space as ␣, a newline as ⏎, a tab as ⇥. */
export const visible = (piece: string) => (piece.length ? piece.replace(/ /g, "␣").replace(/\n/g, "⏎").replace(/\t/g, "⇥").replace(/\r/g, "␍") : "∅");

const rowNorms = (t: Tensor) => { const [T, C] = t.shape; return Array.from({ length: T }, (_, i) => { let s = 0; for (let j = i * C; j < (i + 1) * C; j++) s += t.data[j] * t.data[j]; return Math.sqrt(s); }); };

function dimsOf(model: PlaygroundModel): WalkOverview["dims"] {
  const c = model.params.config as unknown as Record<string, number>;
  const hidden = model.family === "llama" ? c.intermediateSize : 4 * c.nEmbd;
  return { nLayer: c.nLayer, nHead: c.nHead, nKvHead: c.nKvHead ?? c.nHead, nEmbd: c.nEmbd, vocabSize: c.vocabSize, blockSize: c.blockSize, hidden };
}

/** The ids the model reads for a text: the tokenizer's, after the BOS token where the model has one. */
export function idsOf(model: PlaygroundModel, text: string): number[] {
  const ids = model.tokenizer.encode(text);
  return model.bos === null ? ids : [model.bos, ...ids];
}

/** The walk over `text`: the overview every section starts from, and the taps for {@link walkLayer}. */
export function walk(model: PlaygroundModel, text: string): { overview: WalkOverview; taps: Map<string, Tensor> } {
  const why = model.check(text);
  if (why) throw new Error(why);
  const ids = idsOf(model, text);
  const dims = dimsOf(model);
  const taps = new Map<string, Tensor>();
  const t0 = performance.now();
  const logits = model.forward(ids, { tap: (name, t) => taps.set(name, t) });
  const forwardMs = performance.now() - t0;
  const tap = (name: string) => {
    const t = taps.get(name);
    if (!t) throw new Error(`the forward gave no "${name}" tap`);
    return t;
  };
  const pieces = ids.map((id) => model.tokenizer.piece(id));
  let at = 0;
  const offsets = pieces.map((p) => [at, (at += p.length)] as [number, number]);
  const embed: Record<string, Tensor> = model.family === "gpt"
    ? { "embed.tokens": tap("embed.tokens"), "embed.positions": tap("embed.positions"), "embed.sum": tap("embed.sum") }
    : { "embed.tokens": tap("embed.tokens") };
  let positions: Tensor | null = null;
  if (model.family === "gpt") {
    const wpe = (model.params as GptParams<Weight>).wpe;
    const table = "data" in wpe ? wpe : dequantize(wpe);
    const rows = Math.min(table.shape[0], 128), C = table.shape[1];
    positions = { data: table.data.slice(0, rows * C), shape: [rows, C] };
  }
  const stream = [model.family === "gpt" ? "embed.sum" : "embed.tokens", ...Array.from({ length: dims.nLayer }, (_, i) => `h.${i}.resid2`)];
  const T = ids.length, V = logits.shape[1];
  const lastLogits = logits.data.slice((T - 1) * V, T * V);
  const top = explainSampling(lastLogits, { temperature: 1, topK: 20 }).candidates.filter((c) => c.kept).map((c) => c.id);
  const topLogits = new Float32Array(T * top.length);
  for (let t = 0; t < T; t++) top.forEach((id, j) => { topLogits[t * top.length + j] = logits.data[t * V + id]; });
  const predictions = Array.from({ length: T }, (_, t) => {
    const row = logits.data.subarray(t * V, (t + 1) * V);
    return explainSampling(row, { temperature: 1, topK: 3 }).candidates.filter((c) => c.kept).map((c) => ({ label: visible(model.tokenizer.piece(c.id)), p: c.probability }));
  });
  const overview: WalkOverview = {
    text, ids, labels: pieces.map(visible), spelt: pieces.join(""), offsets, family: model.family, dims, forwardMs, embed, positions,
    attention: Array.from({ length: dims.nLayer }, (_, i) => tap(`h.${i}.attn.weights`)),
    residualNorms: stream.map((n) => rowNorms(tap(n))),
    top: { ids: top, labels: top.map((id) => visible(model.tokenizer.piece(id))), logits: { data: topLogits, shape: [T, top.length] } },
    predictions, lastLogits,
    answer: [...generateSteps(model, ids, model.answerTokens, () => ({ temperature: 0 }))],
  };
  return { overview, taps };
}

/** One layer's tensors from the walk's taps: its norms, Q/K/V (heads side by side), attention output and MLP. */
export function walkLayer(model: PlaygroundModel, taps: Map<string, Tensor>, layer: number): WalkLayer {
  const t0 = performance.now();
  const p = `h.${layer}.`;
  const get = (name: string) => {
    const t = taps.get(p + name);
    if (!t) throw new Error(`no layer ${layer} in this walk (the model has ${dimsOf(model).nLayer})`);
    return t;
  };
  const names = model.family === "gpt"
    ? ["ln1", "attn.merged", "attn.out", "resid1", "ln2", "mlp.fc", "mlp.act", "mlp.out", "resid2"]
    : ["ln1", "attn.merged", "attn.out", "resid1", "ln2", "mlp.gate", "mlp.up", "mlp.hidden", "mlp.out", "resid2"];
  const tensors: Record<string, Tensor> = { "x": layer === 0 ? taps.get(model.family === "gpt" ? "embed.sum" : "embed.tokens")! : taps.get(`h.${layer - 1}.resid2`)! };
  for (const n of names) tensors[n] = get(n);
  for (const n of ["q", "k", "v"]) tensors[`attn.${n}`] = mergeHeads(get(`attn.${n}`)); // [H, T, D] → [T, H·D]: the heads side by side
  return { layer, tensors, ms: performance.now() - t0 };
}

/**
 * Tokens one at a time over the KV cache: the prompt once, then one forward per new token. `options`
 * is asked before every step (the page's sliders can move while it runs).
 */
export function* generateSteps(model: PlaygroundModel, ids: readonly number[], steps: number, options: () => SamplingOptions & { sample?: (logits: Float32Array) => number }): Generator<GenerationStep> {
  const cache = model.createCache() as { length: number };
  const V = model.params.config.vocabSize;
  let t0 = performance.now();
  let out = model.forward(ids, { cache });
  const limit = model.params.config.blockSize;
  for (let s = 0; s < steps; s++) {
    const last = out.data.slice(out.data.length - V);
    const o = options();
    const id = o.sample ? o.sample(last) : argmax(last);
    const p = softmax({ data: last, shape: [V] }).data[id];
    yield { id, label: visible(model.tokenizer.piece(id)), p, cacheLength: cache.length, ms: performance.now() - t0 };
    if (s === steps - 1 || cache.length >= limit) break; // the next forward needs room in the context
    t0 = performance.now();
    out = model.forward([id], { cache });
  }
}
