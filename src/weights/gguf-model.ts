/**
 * Models to and from GGUF files: llama.cpp's tensor names and metadata keys for the `llama`,
 * `qwen2` and `gpt2` architectures, and the Q/K row permutation its converter applies for RoPE.
 * @module
 */
import type { Tensor } from "../tensor";
import { ShapeError, formatShape } from "../tensor";
import type { GptConfig } from "../gpt/config";
import { type GptParams, checkGptParams } from "../gpt/params";
import type { LlamaConfig } from "../llama/config";
import { type LlamaParams, checkLlamaParams } from "../llama/params";
import { type QuantizedTensor, type Weight, type WeightType, isQuantized } from "../weight";
import { typeBytes } from "../kernels/weight-types";
import { quantizeModel } from "../quantize-model";
import { checkOptions, describe } from "../internal/check";
import { getPath, setPath } from "../internal/param-table";
import { type Gguf, type GgufValue, saveGguf } from "./gguf";
import { ggufTokenizerMetadata } from "./gguf-tokenizer";
import { type RopeScaling, ropeFreqFactors, yarnMscale } from "../llama/rope-scaling";
import type { BpeTokenizer } from "../tokenizer/bpe";

type Stored = Tensor | QuantizedTensor;

/** What each architecture calls its per-layer tensors, by our path. */
const LLAMA_NAMES: [string, string][] = [
  ["ln1.weight", "attn_norm.weight"], ["attn.q.weight", "attn_q.weight"], ["attn.k.weight", "attn_k.weight"], ["attn.v.weight", "attn_v.weight"],
  ["attn.q.bias", "attn_q.bias"], ["attn.k.bias", "attn_k.bias"], ["attn.v.bias", "attn_v.bias"], ["attn.o.weight", "attn_output.weight"],
  ["ln2.weight", "ffn_norm.weight"], ["mlp.gate.weight", "ffn_gate.weight"], ["mlp.up.weight", "ffn_up.weight"], ["mlp.down.weight", "ffn_down.weight"],
];
const GPT_NAMES: [string, string][] = [
  ["ln1.weight", "attn_norm.weight"], ["ln1.bias", "attn_norm.bias"], ["attn.cAttn.weight", "attn_qkv.weight"], ["attn.cAttn.bias", "attn_qkv.bias"],
  ["attn.cProj.weight", "attn_output.weight"], ["attn.cProj.bias", "attn_output.bias"], ["ln2.weight", "ffn_norm.weight"], ["ln2.bias", "ffn_norm.bias"],
  ["mlp.cFc.weight", "ffn_up.weight"], ["mlp.cFc.bias", "ffn_up.bias"], ["mlp.cProj.weight", "ffn_down.weight"], ["mlp.cProj.bias", "ffn_down.bias"],
];
/** Keys of an architecture's own namespace that the config reads (or that carry nothing it needs). */
const LLAMA_KEYS = ["context_length", "embedding_length", "block_count", "feed_forward_length", "attention.head_count", "attention.head_count_kv",
  "rope.freq_base", "attention.layer_norm_rms_epsilon", "rope.dimension_count", "vocab_size", "attention.key_length", "attention.value_length", "rope.scaling.type", "rope.scaling.factor",
  "rope.scaling.original_context_length", "rope.scaling.finetuned", "rope.scaling.yarn_ext_factor", "rope.scaling.yarn_attn_factor", "rope.scaling.yarn_beta_fast", "rope.scaling.yarn_beta_slow"];
const GPT_KEYS = ["context_length", "embedding_length", "block_count", "feed_forward_length", "attention.head_count", "attention.layer_norm_epsilon", "vocab_size"];

/**
 * The model in a GGUF file (from {@link loadGguf}): `general.architecture` `"llama"` (Llama 2, 3,
 * 3.1 and 3.2, Mistral without a window, SmolLM, TinyLlama) or `"qwen2"` as
 * {@link LlamaParams}, `"gpt2"` as {@link GptParams}; the config from the architecture's keys,
 * the weights as the file stores them (views of its bytes, see loadGguf; for `llama`, q and k are
 * copies, the converter's Q/K row permutation undone), so the logits are those of the Hugging Face checkpoint
 * the file came from. RoPE scaling: `linear` and `yarn` from the metadata (yarn's original context
 * from `rope.scaling.original_context_length`, else the context length, as llama.cpp), Llama 3.1's
 * from `rope_freqs.weight` (each frequency's divisor: `ropeScaling: { type: "factors" }`). An
 * architecture, a key of its namespace, or a tensor it does not know (e.g. longrope scaling) is an
 * error naming it.
 * @param gguf - a loaded GGUF file
 * @returns the family's params
 * @throws TypeError or RangeError naming the architecture, key or tensor
 * @category 25 · Quantized weights
 * @example
 * ```ts
 * const model = modelFromGguf(loadGguf(bytes));
 * for (const id of generate(model, prompt, { maxNewTokens: 20, temperature: 0 })) console.log(id);
 * ```
 */
export function modelFromGguf(gguf: Gguf): GptParams<Weight> | LlamaParams<Weight> {
  const fn = "modelFromGguf";
  if (gguf == null || typeof gguf !== "object" || gguf.metadata == null || gguf.tensors == null) throw new TypeError(`${fn}: expected a GGUF from loadGguf, got ${describe(gguf)}`);
  const arch = gguf.metadata["general.architecture"];
  if (arch?.type !== "string") throw new RangeError(`${fn}: the file has no general.architecture string`);
  const meta = new Meta(fn, gguf, arch.value);
  const tensors = new TensorSet(fn, gguf.tensors);
  const params = arch.value === "llama" || arch.value === "qwen2" ? llamaFrom(meta, tensors, arch.value) : arch.value === "gpt2" ? gptFrom(meta, tensors) : null;
  if (params === null) throw new RangeError(`${fn}: general.architecture is "${arch.value}", expected "llama", "qwen2" or "gpt2"`);
  tensors.checkAllUsed();
  return params;
}

/** Reads an architecture's keys, refusing those of its namespace that it does not know. */
class Meta {
  constructor(readonly fn: string, readonly gguf: Gguf, readonly arch: string) {}
  known(keys: string[]): void {
    for (const key of Object.keys(this.gguf.metadata)) {
      if (key.startsWith(`${this.arch}.`) && !keys.includes(key.slice(this.arch.length + 1))) {
        throw new RangeError(`${this.fn}: metadata key "${key}" is not supported (it would change the model; this reader knows ${keys.map((k) => `${this.arch}.${k}`).join(", ")})`);
      }
    }
  }
  get(key: string): GgufValue | undefined { return this.gguf.metadata[`${this.arch}.${key}`]; }
  number(key: string, fallback?: number): number {
    const v = this.get(key);
    if (v === undefined) {
      if (fallback !== undefined) return fallback;
      throw new RangeError(`${this.fn}: metadata key "${this.arch}.${key}" is missing`);
    }
    if (v.type === "array" || v.type === "string" || v.type === "bool") throw new RangeError(`${this.fn}: metadata key "${this.arch}.${key}" is a ${v.type}, expected a number`);
    return v.type === "f32" ? shortestF32(v.value) : Number(v.value);
  }
}

/** The shortest decimal that rounds to the float32 x (1e-6 for the f32 nearest 1e-6: the value the config had). */
function shortestF32(x: number): number {
  for (let p = 1; p < 9; p++) {
    const d = Number(x.toPrecision(p));
    if (Math.fround(d) === x) return d;
  }
  return x;
}

/** The file's tensors, each taken once; what is left at the end is an error. */
class TensorSet {
  private readonly used = new Set<string>();
  constructor(readonly fn: string, readonly all: Record<string, Stored>) {}
  has(name: string): boolean { return name in this.all; }
  take(name: string, shape: number[]): Stored {
    const t = this.all[name];
    if (t === undefined) throw new RangeError(`${this.fn}: tensor "${name}" is missing (expected ${formatShape(shape)})`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) throw new ShapeError(`${this.fn}: tensor "${name}" has shape ${formatShape(t.shape)}, expected ${formatShape(shape)}`);
    this.used.add(name);
    return t;
  }
  /** A float32 tensor (norms, biases, GPT's positions): stored ones are refused by name. */
  float(name: string, shape: number[]): Tensor {
    const t = this.take(name, shape);
    if (isQuantized(t)) throw new TypeError(`${this.fn}: tensor "${name}" is stored as ${t.type}; norms, biases and position tables are read as F32`);
    return t;
  }
  checkAllUsed(): void {
    const left = Object.keys(this.all).filter((n) => !this.used.has(n));
    if (left.length) throw new RangeError(`${this.fn}: the file has tensors this model does not use: ${left.slice(0, 5).map((n) => `"${n}"`).join(", ")}${left.length > 5 ? `, … (${left.length})` : ""}`);
  }
}

/**
 * YaRN as llama.cpp reads it: the original context (default the context length), betas 32 and 1
 * unless the file says otherwise, and cos/sin times yarn_attn_factor·(1 + 0.1·ln factor).
 */
function yarnFrom(meta: Meta, arch: string, contextLength: number): RopeScaling {
  const factor = meta.number("rope.scaling.factor");
  const ext = meta.number("rope.scaling.yarn_ext_factor", 1);
  if (ext !== 1) throw new RangeError(`${meta.fn}: metadata key "${arch}.rope.scaling.yarn_ext_factor" is ${ext}; only YaRN's full ramp (1) is supported`);
  const yarn: Extract<RopeScaling, { type: "yarn" }> = { type: "yarn", factor, originalMaxPositionEmbeddings: meta.number("rope.scaling.original_context_length", contextLength) };
  if (meta.get("rope.scaling.yarn_beta_fast")) yarn.betaFast = meta.number("rope.scaling.yarn_beta_fast");
  if (meta.get("rope.scaling.yarn_beta_slow")) yarn.betaSlow = meta.number("rope.scaling.yarn_beta_slow");
  if (meta.get("rope.scaling.yarn_attn_factor")) yarn.attentionFactor = meta.number("rope.scaling.yarn_attn_factor") * yarnMscale(factor);
  return yarn;
}

/** YaRN's keys as the converter writes them (Qwen2.5): type, factor, original context; llama.cpp reads no betas or attention factor for these architectures. */
function yarnMetadata(fn: string, arch: string, s: Extract<RopeScaling, { type: "yarn" }>): Record<string, GgufValue> {
  const defaults = (s.betaFast ?? 32) === 32 && (s.betaSlow ?? 1) === 1 && (s.attentionFactor === undefined || s.attentionFactor === yarnMscale(s.factor));
  if (!defaults) throw new RangeError(`${fn}: YaRN with betaFast, betaSlow or attentionFactor other than the defaults (32, 1, 0.1·ln factor + 1) cannot be written for llama.cpp's ${arch} architecture, which does not read them`);
  return {
    [`${arch}.rope.scaling.type`]: { type: "string", value: "yarn" }, [`${arch}.rope.scaling.factor`]: { type: "f32", value: s.factor },
    [`${arch}.rope.scaling.original_context_length`]: { type: "u32", value: s.originalMaxPositionEmbeddings },
  };
}

function llamaFrom(meta: Meta, tensors: TensorSet, arch: "llama" | "qwen2"): LlamaParams<Weight> {
  meta.known(LLAMA_KEYS);
  const scaling = meta.get("rope.scaling.type");
  const scalingType = scaling === undefined ? "none" : scaling.type === "string" ? scaling.value : `a ${scaling.type}`;
  if (scalingType !== "none" && scalingType !== "linear" && scalingType !== "yarn") {
    throw new RangeError(`${meta.fn}: metadata key "${arch}.rope.scaling.type" is ${JSON.stringify(scalingType)}; RoPE scaling "${scalingType}" is not supported yet (linear and yarn are, and llama3's rope_freqs.weight)`);
  }
  const C = meta.number("embedding_length"), H = meta.number("attention.head_count"), Hkv = meta.number("attention.head_count_kv", H);
  const D = C / H, embd = tensors.all["token_embd.weight"];
  if (embd === undefined) throw new RangeError(`${meta.fn}: tensor "token_embd.weight" is missing`);
  const rot = meta.number("rope.dimension_count", D);
  if (rot !== D) throw new RangeError(`${meta.fn}: metadata key "${arch}.rope.dimension_count" is ${rot}, expected the head size ${D} (partial rotary embeddings are not supported)`);
  const qkvBias = tensors.has("blk.0.attn_q.bias");
  const config: LlamaConfig = {
    vocabSize: embd.shape[0], blockSize: meta.number("context_length"), nLayer: meta.number("block_count"), nHead: H, nKvHead: Hkv, nEmbd: C,
    intermediateSize: meta.number("feed_forward_length"), ropeTheta: meta.number("rope.freq_base", 10000),
    eps: meta.number("attention.layer_norm_rms_epsilon", 1e-5), tiedEmbeddings: !tensors.has("output.weight"), qkvBias,
  };
  if (scalingType === "linear") config.ropeScaling = { type: "linear", factor: meta.number("rope.scaling.factor") };
  if (scalingType === "yarn") config.ropeScaling = yarnFrom(meta, arch, config.blockSize);
  if (tensors.has("rope_freqs.weight")) { // llama.cpp's freq_factors: Llama 3.1's scaling, each frequency divided by its factor
    if (config.ropeScaling) throw new RangeError(`${meta.fn}: the file has both rope_freqs.weight and linear RoPE scaling`);
    config.ropeScaling = { type: "factors", factors: Array.from(tensors.float("rope_freqs.weight", [D / 2]).data) };
  }
  const bos = meta.gguf.metadata["tokenizer.ggml.bos_token_id"], eos = meta.gguf.metadata["tokenizer.ggml.eos_token_id"];
  if (bos !== undefined && bos.type !== "array") config.bosTokenId = Number(bos.value);
  if (eos !== undefined && eos.type !== "array") config.eosTokenId = Number(eos.value);
  const V = config.vocabSize, I = config.intermediateSize;
  const permute = arch === "llama";
  const h = Array.from({ length: config.nLayer }, (_, i) => {
    const b = `blk.${i}.`;
    const lin = (name: string, out: number, inp: number, heads: number | null, bias: boolean) => {
      const weight = tensors.take(`${b}${name}.weight`, [out, inp]);
      const linear: { weight: Weight; bias?: Tensor } = { weight: heads === null ? weight : unpermuteRows(weight, heads) };
      if (bias) {
        const t = tensors.float(`${b}${name}.bias`, [out]);
        linear.bias = heads === null ? t : (unpermuteRows(t, heads) as Tensor);
      }
      return linear;
    };
    return {
      ln1: { weight: tensors.float(`${b}attn_norm.weight`, [C]) },
      attn: {
        q: lin("attn_q", C, C, permute ? H : null, qkvBias), k: lin("attn_k", Hkv * D, C, permute ? Hkv : null, qkvBias),
        v: lin("attn_v", Hkv * D, C, null, qkvBias), o: lin("attn_output", C, C, null, false),
      },
      ln2: { weight: tensors.float(`${b}ffn_norm.weight`, [C]) },
      mlp: { gate: lin("ffn_gate", I, C, null, false), up: lin("ffn_up", I, C, null, false), down: lin("ffn_down", C, I, null, false) },
    };
  });
  const params = { config, wte: tensors.take("token_embd.weight", [V, C]), h, lnF: { weight: tensors.float("output_norm.weight", [C]) } } as LlamaParams<Weight>;
  if (!config.tiedEmbeddings) params.lmHead = tensors.take("output.weight", [V, C]);
  checkLlamaParams(meta.fn, params, true);
  return params;
}

function gptFrom(meta: Meta, tensors: TensorSet): GptParams<Weight> {
  meta.known(GPT_KEYS);
  const C = meta.number("embedding_length"), embd = tensors.all["token_embd.weight"];
  if (embd === undefined) throw new RangeError(`${meta.fn}: tensor "token_embd.weight" is missing`);
  const ff = meta.number("feed_forward_length", 4 * C);
  if (ff !== 4 * C) throw new RangeError(`${meta.fn}: metadata key "gpt2.feed_forward_length" is ${ff}, expected 4 × ${C} (GPT's MLP)`);
  const config: GptConfig = {
    vocabSize: embd.shape[0], blockSize: meta.number("context_length"), nLayer: meta.number("block_count"), nHead: meta.number("attention.head_count"),
    nEmbd: C, bias: true, gelu: "tanh", eps: meta.number("attention.layer_norm_epsilon", 1e-5),
  };
  const params: Record<string, unknown> = { config };
  const V = config.vocabSize;
  params.wte = tensors.take("token_embd.weight", [V, C]);
  params.wpe = tensors.take("position_embd.weight", [config.blockSize, C]);
  params.h = Array.from({ length: config.nLayer }, (_, i) => {
    const shapes: Record<string, number[]> = { "attn_qkv.weight": [3 * C, C], "attn_qkv.bias": [3 * C], "attn_output.weight": [C, C], "ffn_up.weight": [4 * C, C], "ffn_up.bias": [4 * C], "ffn_down.weight": [C, 4 * C] };
    const block: Record<string, unknown> = {};
    for (const [path, name] of GPT_NAMES) {
      const full = `blk.${i}.${name}`, shape = shapes[name] ?? [C];
      setPath(block, path.split("."), shape.length === 2 ? tensors.take(full, shape) : tensors.float(full, shape));
    }
    return block;
  });
  params.lnF = { weight: tensors.float("output_norm.weight", [C]), bias: tensors.float("output_norm.bias", [C]) };
  if (tensors.has("output.weight")) params.lmHead = tensors.take("output.weight", [V, C]);
  checkGptParams(meta.fn, params as unknown as GptParams<Weight>, true);
  return params as unknown as GptParams<Weight>;
}

/**
 * llama.cpp's converter stores q and k with each head's rows reordered for its RoPE (pairs
 * interleaved: row h·D + 2j + i holds Hugging Face's row h·D + i·D/2 + j); this puts them back.
 */
function unpermuteRows(w: Stored, heads: number): Stored {
  return moveRows(w, heads, (h, i, j, D) => [h * D + i * (D / 2) + j, h * D + 2 * j + i]);
}

/** The converter's permutation itself (Hugging Face's rows into llama.cpp's order). */
function permuteRows(w: Stored, heads: number): Stored {
  return moveRows(w, heads, (h, i, j, D) => [h * D + 2 * j + i, h * D + i * (D / 2) + j]);
}

/** A copy of w whose row `to` is w's row `from`, for every (head, half, index) of the map. */
function moveRows(w: Stored, heads: number, map: (h: number, i: number, j: number, D: number) => [number, number]): Stored {
  const rows = w.shape[0], D = rows / heads;
  const stored = isQuantized(w);
  const rowSize = stored ? typeBytes(w.type, w.shape[1] ?? 1) : (w.shape[1] ?? 1);
  const src: Uint8Array | Float32Array = stored ? w.bytes : w.data;
  const out = stored ? new Uint8Array(src.length) : new Float32Array(src.length);
  for (let h = 0; h < heads; h++) for (let i = 0; i < 2; i++) for (let j = 0; j < D / 2; j++) {
    const [to, from] = map(h, i, j, D);
    out.set(src.subarray(from * rowSize, (from + 1) * rowSize), to * rowSize);
  }
  return stored ? { type: w.type, shape: [...w.shape], bytes: out as Uint8Array } : { data: out as Float32Array, shape: [...w.shape] };
}

/** Options of {@link modelToGguf}. @category 25 · Quantized weights */
export interface ModelToGgufOptions {
  /** Store the weight matrices as this type (as {@link quantizeModel}); default: as they are. */
  type?: WeightType;
  /** The model's tokenizer, written as llama.cpp's converter writes one (see {@link tokenizerFromGguf}); default: a placeholder. */
  tokenizer?: BpeTokenizer;
  /** Metadata to add or replace (e.g. `general.name`). */
  metadata?: Record<string, GgufValue>;
}

const FILE_TYPES: Record<WeightType, number> = { f32: 0, f16: 1, q4_0: 2, q4_1: 3, q8_0: 7, q5_0: 8, q5_1: 9, q4_k: 15, q5_k: 17, q6_k: 18, bf16: 32 };

/**
 * A GGUF file that llama.cpp loads: the converter's tensor names and metadata for `llama` (a
 * Llama, with q and k rows permuted as the converter does), `qwen2` (a Llama with q/k/v biases) or
 * `gpt2` (a GPT), norms and biases in F32, the weight matrices as they are or quantized to `type`.
 * The file carries the `tokenizer` given (a byte-level BPE {@link BpeTokenizer} with GPT-2's,
 * cl100k's or o200k's pattern), or else a placeholder vocabulary (`tokenizer.ggml.model` `"gpt2"`,
 * tokens `t0` … so that llama.cpp can load it and be fed token ids) unless `metadata` gives
 * `tokenizer.ggml.*` keys.
 * @param params - a GPT's or a Llama's parameters (float32 or stored)
 * @param options - `type`, `tokenizer`, `metadata`
 * @returns the file's bytes
 * @category 25 · Quantized weights
 * @example
 * ```ts
 * writeFileSync("char-model-q8_0.gguf", modelToGguf(params, { type: "q8_0" })); // llama-cli -m char-model-q8_0.gguf …
 * ```
 */
export function modelToGguf(params: GptParams<Weight> | LlamaParams<Weight>, options?: ModelToGgufOptions): Uint8Array {
  const fn = "modelToGguf";
  const o = checkOptions(fn, options, ["type", "tokenizer", "metadata"]);
  if (params == null || typeof params !== "object" || params.config == null) throw new TypeError(`${fn}: params must be GptParams or LlamaParams, got ${describe(params)}`);
  const p = o.type === undefined ? params : quantizeModel(params as LlamaParams<Weight>, o.type);
  const metadata: Record<string, GgufValue> = {};
  const tensors: Record<string, Stored> = {};
  const u32 = (v: number): GgufValue => ({ type: "u32", value: v }), f32 = (v: number): GgufValue => ({ type: "f32", value: v });
  let V: number;
  if ("intermediateSize" in p.config) {
    const c = checkLlamaParams(fn, p as LlamaParams<Weight>, true), lp = p as LlamaParams<Weight>;
    const arch = c.qkvBias ? "qwen2" : "llama", D = c.nEmbd / c.nHead;
    if (c.window !== undefined) throw new RangeError(`${fn}: a sliding window (config.window) has no place in a ${arch} GGUF here`);
    V = c.vocabSize;
    Object.assign(metadata, {
      "general.architecture": { type: "string", value: arch }, "general.file_type": u32(fileType(lp)),
      [`${arch}.context_length`]: u32(c.blockSize), [`${arch}.embedding_length`]: u32(c.nEmbd), [`${arch}.block_count`]: u32(c.nLayer),
      [`${arch}.feed_forward_length`]: u32(c.intermediateSize), [`${arch}.attention.head_count`]: u32(c.nHead), [`${arch}.attention.head_count_kv`]: u32(c.nKvHead),
      [`${arch}.rope.freq_base`]: f32(c.ropeTheta), [`${arch}.attention.layer_norm_rms_epsilon`]: f32(c.eps), [`${arch}.rope.dimension_count`]: u32(D),
    });
    tensors["token_embd.weight"] = lp.wte;
    if (c.ropeScaling?.type === "linear") Object.assign(metadata, { [`${arch}.rope.scaling.type`]: { type: "string", value: "linear" }, [`${arch}.rope.scaling.factor`]: f32(c.ropeScaling.factor) });
    else if (c.ropeScaling?.type === "yarn") Object.assign(metadata, yarnMetadata(fn, arch, c.ropeScaling));
    else if (c.ropeScaling) tensors["rope_freqs.weight"] = { data: Float32Array.from(ropeFreqFactors(c.ropeScaling, D, c.ropeTheta)!), shape: [D / 2] }; // as the converter writes Llama 3.1's
    tensors["output_norm.weight"] = lp.lnF.weight;
    if (lp.lmHead) tensors["output.weight"] = lp.lmHead;
    lp.h.forEach((b, i) => {
      for (const [path, name] of LLAMA_NAMES) {
        let t = getPath(b, path.split(".")) as Stored | undefined;
        if (t == null) continue;
        if (arch === "llama" && (path.startsWith("attn.q.") || path.startsWith("attn.k."))) t = permuteRows(t, path.startsWith("attn.q.") ? c.nHead : c.nKvHead);
        tensors[`blk.${i}.${name}`] = t;
      }
    });
  } else {
    const c = checkGptParams(fn, p as GptParams<Weight>, true), gp = p as GptParams<Weight>;
    if (!c.bias) throw new RangeError(`${fn}: a GPT without biases (config.bias false) has no gpt2 GGUF layout`);
    if (c.gelu !== "tanh") throw new RangeError(`${fn}: llama.cpp's gpt2 uses the tanh GELU; config.gelu is "${c.gelu}"`);
    V = c.vocabSize;
    Object.assign(metadata, {
      "general.architecture": { type: "string", value: "gpt2" }, "general.file_type": u32(fileType(gp)),
      "gpt2.context_length": u32(c.blockSize), "gpt2.embedding_length": u32(c.nEmbd), "gpt2.block_count": u32(c.nLayer),
      "gpt2.feed_forward_length": u32(4 * c.nEmbd), "gpt2.attention.head_count": u32(c.nHead), "gpt2.attention.layer_norm_epsilon": f32(c.eps),
    });
    tensors["token_embd.weight"] = gp.wte;
    tensors["position_embd.weight"] = gp.wpe;
    tensors["output_norm.weight"] = gp.lnF.weight;
    tensors["output_norm.bias"] = gp.lnF.bias!;
    if (gp.lmHead) tensors["output.weight"] = gp.lmHead;
    gp.h.forEach((b, i) => {
      for (const [path, name] of GPT_NAMES) tensors[`blk.${i}.${name}`] = getPath(b, path.split(".")) as Stored;
    });
  }
  if (Object.values(tensors).some(isQuantized)) metadata["general.quantization_version"] = u32(2);
  const extra = o.metadata ?? {};
  if (o.tokenizer !== undefined) Object.assign(metadata, ggufTokenizerMetadata(o.tokenizer, V));
  else if (!Object.keys(extra).some((k) => k.startsWith("tokenizer.ggml."))) Object.assign(metadata, placeholderVocabulary(V));
  Object.assign(metadata, extra);
  return saveGguf({ metadata, tensors });
}

/** llama.cpp's general.file_type: the type most weight matrices have (llama_ftype). */
function fileType(params: object): number {
  const counts = new Map<WeightType, number>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isQuantized(v)) counts.set(v.type, (counts.get(v.type) ?? 0) + 1);
    else if (v !== null && typeof v === "object" && !("data" in v)) for (const [k, x] of Object.entries(v)) if (k !== "config") walk(x);
  };
  walk(params);
  let best: WeightType = "f32", n = 0;
  for (const [t, c] of counts) if (c > n) { best = t; n = c; }
  return FILE_TYPES[best];
}

/** V tokens `t0` … as a byte-level BPE vocabulary with one merge: enough for llama.cpp to load the file and take ids. */
function placeholderVocabulary(V: number): Record<string, GgufValue> {
  return {
    "tokenizer.ggml.model": { type: "string", value: "gpt2" },
    "tokenizer.ggml.pre": { type: "string", value: "default" },
    "tokenizer.ggml.tokens": { type: "array", itemType: "string", value: Array.from({ length: V }, (_, i) => `t${i}`) },
    "tokenizer.ggml.token_type": { type: "array", itemType: "i32", value: new Int32Array(V).fill(1) },
    "tokenizer.ggml.merges": { type: "array", itemType: "string", value: ["t 0"] },
  };
}
