/**
 * The shape of a Llama-family model (Llama 2/3, Mistral, Qwen2, SmolLM), and reading it from a
 * Hugging Face `config.json`.
 * @module
 */
import { checkInteger, checkOptions, checkPositive, describe } from "../internal/check";
import { type RopeScaling, checkRopeScaling } from "./rope-scaling";

export type { RopeScaling } from "./rope-scaling";

/**
 * Hugging Face's rope_scaling (`rope_type` or the older `type`): linear, llama3 and yarn read (yarn's
 * original context from `original_max_position_embeddings`, else max_position_embeddings, as
 * Hugging Face), default none, the others refused by name.
 */
function ropeScalingFromHf(fn: string, r: unknown, maxPositions: unknown): RopeScaling | undefined {
  if (r == null) return undefined;
  if (typeof r !== "object") throw new TypeError(`${fn}: rope_scaling is ${describe(r)}, expected an object`);
  const o = r as Record<string, unknown>, type = o.rope_type ?? o.type;
  const n = (k: string) => {
    if (typeof o[k] !== "number") throw new TypeError(`${fn}: rope_scaling.${k} is ${describe(o[k])}, expected a number`);
    return o[k] as number;
  };
  const optional = (k: string) => (o[k] == null ? undefined : n(k));
  if (type === "default") return undefined;
  if (type === "linear") return { type: "linear", factor: n("factor") };
  if (type === "llama3") return { type: "llama3", factor: n("factor"), lowFreqFactor: n("low_freq_factor"), highFreqFactor: n("high_freq_factor"), originalMaxPositionEmbeddings: n("original_max_position_embeddings") };
  if (type === "yarn") {
    for (const k of ["mscale", "mscale_all_dim"]) if (o[k] != null) throw new RangeError(`${fn}: rope_scaling.${k} (DeepSeek's YaRN variant) is not supported`);
    if (o.truncate === false) throw new RangeError(`${fn}: rope_scaling.truncate: false (gpt-oss's untruncated YaRN ramp) is not supported`);
    const original = optional("original_max_position_embeddings") ?? (typeof maxPositions === "number" ? maxPositions : n("original_max_position_embeddings"));
    const yarn: Extract<RopeScaling, { type: "yarn" }> = { type: "yarn", factor: n("factor"), originalMaxPositionEmbeddings: original };
    const betaFast = optional("beta_fast"), betaSlow = optional("beta_slow"), attentionFactor = optional("attention_factor");
    if (betaFast !== undefined) yarn.betaFast = betaFast;
    if (betaSlow !== undefined) yarn.betaSlow = betaSlow;
    if (attentionFactor !== undefined) yarn.attentionFactor = attentionFactor;
    return yarn;
  }
  throw new RangeError(`${fn}: rope_scaling type ${JSON.stringify(type)} is not supported (linear, llama3 and yarn are; dynamic and longrope not yet)`);
}

/**
 * The shape of a Llama-family decoder. C = nEmbd, H = nHead, Hkv = nKvHead, D = C / H.
 * @category 24 · Llama
 */
export interface LlamaConfig {
  vocabSize: number;
  /** The longest context (`max_position_embeddings`). */
  blockSize: number;
  nLayer: number;
  /** Query heads H. */
  nHead: number;
  /** Key/value heads Hkv (grouped-query attention; = H for multi-head, 1 for multi-query). Default H. */
  nKvHead?: number;
  /** C, the width of the residual stream (`hidden_size`); divisible by nHead. */
  nEmbd: number;
  /** The gated MLP's hidden width (`intermediate_size`). */
  intermediateSize: number;
  /** RoPE's frequency base θ (`rope_theta`). Default 10000. */
  ropeTheta?: number;
  /** RoPE scaling (`rope_scaling`: linear, Llama 3.1's llama3, YaRN, or per-frequency factors from a GGUF file). Default none. */
  ropeScaling?: RopeScaling;
  /** RMSNorm's epsilon (`rms_norm_eps`). Default 1e-6. */
  eps?: number;
  /** The LM head is the token embedding (`tie_word_embeddings`). Default false. */
  tiedEmbeddings?: boolean;
  /** q, k and v projections have biases (Qwen2). Default false. */
  qkvBias?: boolean;
  /** A sliding attention window in every layer (Mistral; Qwen2 with `use_sliding_window`). Default none. */
  window?: number;
  /** Token ids the model was trained with, kept for the caller (`bos_token_id`, `eos_token_id`); nothing here uses them. */
  bosTokenId?: number | null;
  eosTokenId?: number | number[] | null;
}

/** A Llama config with every default filled in. @category 24 · Llama */
export type ResolvedLlamaConfig = Required<Omit<LlamaConfig, "window" | "bosTokenId" | "eosTokenId" | "ropeScaling">> & Pick<LlamaConfig, "window" | "bosTokenId" | "eosTokenId" | "ropeScaling">;

const FIELDS = ["vocabSize", "blockSize", "nLayer", "nHead", "nKvHead", "nEmbd", "intermediateSize", "ropeTheta", "ropeScaling", "eps", "tiedEmbeddings", "qkvBias", "window", "bosTokenId", "eosTokenId"];

/** Fills in a Llama config's defaults and checks every field (an unknown one is an error). */
export function resolveLlamaConfig(fn: string, config: LlamaConfig): ResolvedLlamaConfig {
  if (config == null || typeof config !== "object") throw new TypeError(`${fn}: config must be a LlamaConfig object, got ${describe(config)}`);
  checkOptions(fn, config, FIELDS, "config field");
  const { vocabSize, blockSize, nLayer, nHead, nEmbd, intermediateSize } = config;
  const { nKvHead = nHead, ropeTheta = 10000, eps = 1e-6, tiedEmbeddings = false, qkvBias = false, window, bosTokenId, eosTokenId, ropeScaling } = config;
  checkInteger(fn, "config.vocabSize", vocabSize, 1);
  checkInteger(fn, "config.blockSize", blockSize, 1);
  checkInteger(fn, "config.nLayer", nLayer, 0);
  checkInteger(fn, "config.nHead", nHead, 1);
  checkInteger(fn, "config.nKvHead", nKvHead, 1);
  checkInteger(fn, "config.nEmbd", nEmbd, 1);
  checkInteger(fn, "config.intermediateSize", intermediateSize, 1);
  if (nEmbd % nHead !== 0) throw new RangeError(`${fn}: config.nEmbd = ${nEmbd} is not divisible by config.nHead = ${nHead}, expected a multiple of ${nHead}`);
  if (nHead % nKvHead !== 0) throw new RangeError(`${fn}: config.nKvHead = ${nKvHead} does not divide config.nHead = ${nHead}, expected a divisor of ${nHead} (each k/v head serves nHead / nKvHead query heads)`);
  if ((nEmbd / nHead) % 2 !== 0) throw new RangeError(`${fn}: the head size nEmbd / nHead = ${nEmbd / nHead} is odd, expected an even size (RoPE rotates pairs)`);
  checkPositive(fn, "config.ropeTheta", ropeTheta);
  checkPositive(fn, "config.eps", eps);
  if (typeof tiedEmbeddings !== "boolean") throw new TypeError(`${fn}: config.tiedEmbeddings must be a boolean, got ${describe(tiedEmbeddings)}`);
  if (typeof qkvBias !== "boolean") throw new TypeError(`${fn}: config.qkvBias must be a boolean, got ${describe(qkvBias)}`);
  if (window !== undefined) checkInteger(fn, "config.window", window, 1);
  if (ropeScaling !== undefined) checkRopeScaling(fn, ropeScaling, nEmbd / nHead);
  return { vocabSize, blockSize, nLayer, nHead, nKvHead, nEmbd, intermediateSize, ropeTheta, ropeScaling, eps, tiedEmbeddings, qkvBias, window, bosTokenId, eosTokenId };
}

/**
 * A {@link LlamaConfig} from a Hugging Face `config.json` (Llama, Mistral, Qwen2, SmolLM: `model_type`
 * `llama`, `mistral` or `qwen2`). Reads `vocab_size`, `hidden_size`, `intermediate_size`,
 * `num_hidden_layers`, `num_attention_heads`, `num_key_value_heads`, `max_position_embeddings`,
 * `rms_norm_eps`, `rope_theta`, `tie_word_embeddings`, `sliding_window` (unless `use_sliding_window`
 * is false, as Qwen2 says), `bos_token_id`, `eos_token_id`; Qwen2's q/k/v biases follow from its
 * `model_type`. A field of the wrong type (the string `"64"`) is an error, never coerced. Fields that
 * would change the model and are not implemented are refused by name: `hidden_act` other than
 * `"silu"`, `mlp_bias: true`, `rope_scaling` other than `linear` and `llama3` (which are read, as
 * Hugging Face computes their frequencies), `attention_bias: true`, and a sliding window on some
 * layers only (Qwen2's `max_window_layers` between 1 and the layer count, or mixed `layer_types`).
 *
 * @param configJson - the file's text, or its parsed object
 * @returns the config
 * @throws TypeError for a field of the wrong type or a missing one; RangeError for values out of range,
 *   RoPE scaling other than linear and llama3 or attention biases on o_proj (not supported), or an unknown `model_type`
 * @category 24 · Llama
 * @example
 * ```ts
 * const config = llamaConfigFromHf(readFileSync("config.json", "utf8"));
 * const params = llamaFromStateDict(loadSafetensors(readFileSync("model.safetensors")), config);
 * ```
 */
export function llamaConfigFromHf(configJson: string | object): LlamaConfig {
  const fn = "llamaConfigFromHf";
  let hf: Record<string, unknown>;
  if (typeof configJson === "string") {
    try { hf = JSON.parse(configJson); } catch (e) { throw new TypeError(`${fn}: configJson is not JSON (${(e as Error).message})`); }
  } else hf = configJson as Record<string, unknown>;
  if (hf == null || typeof hf !== "object" || Array.isArray(hf)) throw new TypeError(`${fn}: configJson must be a config.json object or its text, got ${describe(hf)}`);
  const type = hf.model_type;
  if (type !== undefined && type !== "llama" && type !== "mistral" && type !== "qwen2") {
    throw new RangeError(`${fn}: model_type ${JSON.stringify(type)} is not a Llama-family decoder this reads, expected "llama", "mistral" or "qwen2"`);
  }
  const num = (key: string, fallback?: number): number => {
    const v = hf[key];
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      throw new TypeError(`${fn}: ${key} is missing, expected a number`);
    }
    if (typeof v !== "number") throw new TypeError(`${fn}: ${key} is ${describe(v)}, expected a number`);
    return v;
  };
  const bool = (key: string, fallback: boolean): boolean => {
    const v = hf[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "boolean") throw new TypeError(`${fn}: ${key} is ${describe(v)}, expected true or false`);
    return v;
  };
  const ropeScaling = ropeScalingFromHf(fn, hf.rope_scaling, hf.max_position_embeddings);
  if (bool("attention_bias", false)) throw new RangeError(`${fn}: attention_bias: true (biases on q, k, v and o) is not supported; Qwen2's q/k/v biases are`);
  if (bool("mlp_bias", false)) throw new RangeError(`${fn}: mlp_bias: true (biases on gate, up and down) is not supported`);
  const act = hf.hidden_act ?? "silu";
  if (act !== "silu" && act !== "swish") throw new RangeError(`${fn}: hidden_act ${JSON.stringify(act)} is not supported, expected "silu" (SwiGLU, as Llama, Mistral, Qwen2 and SmolLM)`);
  const nHead = num("num_attention_heads");
  const nLayer = num("num_hidden_layers");
  let useWindow = bool("use_sliding_window", true) && hf.sliding_window != null;
  if (useWindow && type === "qwen2") {
    // Qwen2 windows only the layers from max_window_layers on (its layer_types): all or none is one window here
    const from = num("max_window_layers", 0);
    if (from >= nLayer) useWindow = false;
    else if (from > 0) throw new RangeError(`${fn}: max_window_layers = ${from} windows layers ${from}…${nLayer - 1} only (of ${nLayer}); a window on some layers and not others is not supported`);
  }
  if (hf.layer_types != null) {
    const kinds = hf.layer_types;
    if (!Array.isArray(kinds) || kinds.length !== nLayer || kinds.some((k) => k !== "full_attention" && k !== "sliding_attention")) throw new TypeError(`${fn}: layer_types is ${describe(kinds)}, expected ${nLayer} of "full_attention" / "sliding_attention"`);
    const windowed = kinds.filter((k) => k === "sliding_attention").length;
    if (windowed !== 0 && windowed !== nLayer) throw new RangeError(`${fn}: layer_types mixes "full_attention" and "sliding_attention" layers, which is not supported (one attention kind for every layer)`);
    if ((windowed === nLayer) !== useWindow) throw new RangeError(`${fn}: layer_types says every layer is ${windowed ? "windowed" : "full"}, but sliding_window/use_sliding_window say ${useWindow ? "windowed" : "full"}`);
  }
  const ids = (key: string): number | number[] | null | undefined => {
    const v = hf[key];
    if (v === undefined || v === null || typeof v === "number" || (Array.isArray(v) && v.every((x) => typeof x === "number"))) return v as number | number[] | null | undefined;
    throw new TypeError(`${fn}: ${key} is ${describe(v)}, expected a token id or a list of them`);
  };
  const bos = ids("bos_token_id");
  if (Array.isArray(bos)) throw new TypeError(`${fn}: bos_token_id is a list, expected one token id`);
  const config: LlamaConfig = {
    vocabSize: num("vocab_size"),
    blockSize: num("max_position_embeddings"),
    nLayer,
    nHead,
    nKvHead: num("num_key_value_heads", nHead),
    nEmbd: num("hidden_size"),
    intermediateSize: num("intermediate_size"),
    ropeTheta: num("rope_theta", 10000),
    ...(ropeScaling ? { ropeScaling } : {}),
    eps: num("rms_norm_eps", 1e-6),
    tiedEmbeddings: bool("tie_word_embeddings", false),
    qkvBias: type === "qwen2",
    ...(useWindow ? { window: num("sliding_window") } : {}),
    bosTokenId: bos ?? null,
    eosTokenId: ids("eos_token_id") ?? null,
  };
  if (hf.head_dim != null && num("head_dim") !== config.nEmbd / nHead) {
    throw new RangeError(`${fn}: head_dim = ${hf.head_dim as number} differs from hidden_size / num_attention_heads = ${config.nEmbd / nHead}, which this reads as the head size`);
  }
  resolveLlamaConfig(fn, config);
  return config;
}
