/**
 * A Llama-family model's parameters: their layout (mirroring GPT's, so the two read side by side),
 * initialisation, and loading from a Hugging Face state dict.
 * @module
 */
import type { Tensor } from "../tensor";
import type { Weight } from "../weight";
import { ShapeError, formatShape } from "../tensor";
import type { Linear } from "../linear";
import type { GatedMlpParams } from "../mlp";
import type { Rng } from "../random";
import { describe, isFloat32Array, sameShape } from "../internal/check";
import { initFromTable, setPath, tableProblems } from "../internal/param-table";
import { type LlamaConfig, type ResolvedLlamaConfig, resolveLlamaConfig } from "./config";

/** Llama's attention projections (Hugging Face's `q_proj`, `k_proj`, `v_proj`, `o_proj`): q `[H·D, C]`, k and v `[Hkv·D, C]`, o `[C, H·D]`. @category 24 · Llama */
export interface LlamaAttentionParams<W extends Weight = Tensor> {
  q: Linear<W>;
  k: Linear<W>;
  v: Linear<W>;
  o: Linear<W>;
}

/** One Llama block: RMSNorm weights instead of layer norms, separate q/k/v projections, a gated MLP. @category 24 · Llama */
export interface LlamaBlockParams<W extends Weight = Tensor> {
  /** `input_layernorm`: RMSNorm weight `[C]` (no bias). */
  ln1: { weight: Tensor };
  attn: LlamaAttentionParams<W>;
  /** `post_attention_layernorm`: RMSNorm weight `[C]`. */
  ln2: { weight: Tensor };
  /** `gate_proj`, `up_proj` `[I, C]`, `down_proj` `[C, I]`. */
  mlp: GatedMlpParams<W>;
}

/**
 * A Llama-family model's parameters, laid out as {@link GptParams} is: `wte`, `h`, `lnF`, `lmHead` —
 * and no `wpe`: positions enter inside attention, by rotating q and k (RoPE).
 * @category 24 · Llama
 */
export interface LlamaParams<W extends Weight = Tensor> {
  config: LlamaConfig;
  /** Token embeddings `[V, C]` (`model.embed_tokens`); also the LM head when `config.tiedEmbeddings`. */
  wte: W;
  h: LlamaBlockParams<W>[];
  /** The final RMSNorm (`model.norm`). */
  lnF: { weight: Tensor };
  /** The LM head `[V, C]`, absent when tied. */
  lmHead?: W;
}

interface Spec { path: (string | number)[]; name: string; shape: number[]; init: "normal" | "ones" | "zeros" }

/** Every tensor of a Llama with this config: where it lives in {@link LlamaParams}, its Hugging Face name, shape and initialisation. */
export function llamaSpecs(c: ResolvedLlamaConfig): Spec[] {
  const C = c.nEmbd, D = C / c.nHead, I = c.intermediateSize;
  const specs: Spec[] = [{ path: ["wte"], name: "model.embed_tokens.weight", shape: [c.vocabSize, C], init: "normal" }];
  for (let i = 0; i < c.nLayer; i++) {
    const p = `model.layers.${i}.`;
    const lin = (path: (string | number)[], name: string, out: number, inp: number, bias: boolean) => {
      specs.push({ path: ["h", i, ...path, "weight"], name: `${p}${name}.weight`, shape: [out, inp], init: "normal" });
      if (bias) specs.push({ path: ["h", i, ...path, "bias"], name: `${p}${name}.bias`, shape: [out], init: "zeros" });
    };
    specs.push({ path: ["h", i, "ln1", "weight"], name: `${p}input_layernorm.weight`, shape: [C], init: "ones" });
    lin(["attn", "q"], "self_attn.q_proj", c.nHead * D, C, c.qkvBias);
    lin(["attn", "k"], "self_attn.k_proj", c.nKvHead * D, C, c.qkvBias);
    lin(["attn", "v"], "self_attn.v_proj", c.nKvHead * D, C, c.qkvBias);
    lin(["attn", "o"], "self_attn.o_proj", C, c.nHead * D, false);
    specs.push({ path: ["h", i, "ln2", "weight"], name: `${p}post_attention_layernorm.weight`, shape: [C], init: "ones" });
    lin(["mlp", "gate"], "mlp.gate_proj", I, C, false);
    lin(["mlp", "up"], "mlp.up_proj", I, C, false);
    lin(["mlp", "down"], "mlp.down_proj", C, I, false);
  }
  specs.push({ path: ["lnF", "weight"], name: "model.norm.weight", shape: [C], init: "ones" });
  if (!c.tiedEmbeddings) specs.push({ path: ["lmHead"], name: "lm_head.weight", shape: [c.vocabSize, C], init: "normal" });
  return specs;
}

/**
 * Initialises a Llama-family model as Hugging Face's `LlamaPreTrainedModel` does: every linear and
 * embedding weight N(0, 0.02), biases 0, RMSNorm weights 1.
 *
 * @param config - the model's shape
 * @param rng - from {@link createRng}
 * @returns fresh parameters, `config` included
 * @throws RangeError for a bad config (e.g. nKvHead not dividing nHead)
 * @category 24 · Llama
 * @example
 * ```ts
 * const params = initLlama({ vocabSize: 64, blockSize: 32, nLayer: 2, nHead: 4, nKvHead: 2, nEmbd: 32, intermediateSize: 64 }, createRng(0));
 * ```
 */
export function initLlama(config: LlamaConfig, rng: Rng): LlamaParams {
  const c = resolveLlamaConfig("initLlama", config);
  if (rng == null || typeof rng.normal !== "function") throw new TypeError(`initLlama: rng must come from createRng(seed), got ${describe(rng)}`);
  const params = { config: { ...config }, h: [] } as unknown as Record<string, unknown>;
  initFromTable(params, llamaSpecs(c), rng, { normal: 0.02, residual: 0.02 });
  return params as unknown as LlamaParams;
}

/** Checks every tensor of Llama params against their config; one error lists every problem, one per line. */
export function checkLlamaParams(fn: string, params: LlamaParams<Weight>, stored = false): ResolvedLlamaConfig {
  if (params == null || typeof params !== "object") throw new TypeError(`${fn}: params must be LlamaParams, got ${describe(params)}`);
  const c = resolveLlamaConfig(fn, params.config);
  const problems = tableProblems(params, llamaSpecs(c), stored);
  if (c.tiedEmbeddings && params.lmHead != null) problems.push("params.lmHead is present, but config.tiedEmbeddings says the head is wte");
  if (problems.length) throw new ShapeError(`${fn}: params do not fit the config:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  return c;
}

/** Buffers Hugging Face checkpoints carry that are not parameters. */
const BUFFER = /(^|\.)rotary_emb\.inv_freq$/;

/**
 * Llama-family parameters from a Hugging Face state dict (e.g. {@link loadSafetensors} of
 * `model.safetensors`, F32, F16 or BF16; a sharded one through {@link loadSafetensorsShards}).
 * Names: `model.embed_tokens.weight`, `model.layers.{i}.self_attn.{q,k,v,o}_proj.weight` (q/k/v
 * biases when `config.qkvBias`, as Qwen2), `model.layers.{i}.mlp.{gate,up,down}_proj.weight`,
 * `model.layers.{i}.input_layernorm.weight`, `model.layers.{i}.post_attention_layernorm.weight`,
 * `model.norm.weight`, `lm_head.weight` unless tied; the `model.` prefix may be absent. RoPE's
 * `rotary_emb.inv_freq` buffers are skipped; a tied checkpoint that also stores `lm_head.weight`
 * equal to the embeddings loads (a different one is an error).
 *
 * @param record - tensors by name
 * @param config - from {@link llamaConfigFromHf}, or written by hand
 * @returns parameters sharing the record's tensors
 * @throws ShapeError listing every missing, unexpected and misshapen tensor at once (one per line, expected shapes from the config)
 * @category 24 · Llama
 * @example
 * ```ts
 * const params = llamaFromStateDict(loadSafetensors(bytes), llamaConfigFromHf(configText));
 * ```
 */
export function llamaFromStateDict(record: Record<string, Tensor>, config: LlamaConfig): LlamaParams {
  const fn = "llamaFromStateDict";
  const c = resolveLlamaConfig(fn, config);
  if (record == null || typeof record !== "object") throw new TypeError(`${fn}: record must be an object of tensors, got ${describe(record)}`);
  const prefixed = Object.keys(record).some((k) => k.startsWith("model."));
  const byName = new Map<string, [string, Tensor]>();
  for (const [key, t] of Object.entries(record)) byName.set(!prefixed && key !== "lm_head.weight" ? `model.${key}` : key, [key, t]);
  const spelt = (name: string) => (prefixed || name === "lm_head.weight" ? name : name.slice("model.".length));
  const problems: string[] = [];
  const params = { config: { ...config }, h: [] } as unknown as Record<string, unknown>;
  const used = new Set<string>();
  for (const s of llamaSpecs(c)) {
    const found = byName.get(s.name);
    if (!found) { problems.push(`missing ${spelt(s.name)} ${formatShape(s.shape)}`); continue; }
    const [key, t] = found;
    used.add(s.name);
    if (t == null || !isFloat32Array(t.data) || !Array.isArray(t.shape)) { problems.push(`${key} is not a tensor`); continue; }
    if (!sameShape(t.shape, s.shape)) { problems.push(`${key} has shape ${formatShape(t.shape)}, expected ${formatShape(s.shape)}`); continue; }
    setPath(params, s.path, t);
  }
  const head = byName.get("lm_head.weight");
  if (c.tiedEmbeddings && head !== undefined) {
    used.add("lm_head.weight");
    const wte = byName.get("model.embed_tokens.weight")?.[1];
    if (wte == null || !sameShape(head[1].shape, wte.shape) || !head[1].data.every((v, i) => Object.is(v, wte.data[i]))) {
      problems.push("lm_head.weight differs from the embeddings, but the config says they are tied (tie_word_embeddings)");
    }
  }
  for (const [name, [key]] of byName) if (!used.has(name) && !BUFFER.test(name)) problems.push(`unexpected ${key}`);
  if (problems.length) throw new ShapeError(`${fn}: the state dict does not fit the config (${problems.length} problem${problems.length > 1 ? "s" : ""}):\n${problems.map((p) => `  ${p}`).join("\n")}`);
  return params as unknown as LlamaParams;
}
