/**
 * A GPT's configuration: its shape, the GPT-2 sizes, the defaults filled in and checked, and its
 * FLOPs per token.
 * @module
 */
import type { GeluApproximation } from "../activation";
import { checkGelu, checkInteger, checkOptions, checkPositive, describe as describeValue } from "../internal/check";

/** The shape of a GPT. @category 13–20 · The model */
export interface GptConfig {
  vocabSize: number;
  /** The longest context: the number of rows of `wpe`. */
  blockSize: number;
  nLayer: number;
  nHead: number;
  /** C, the width of the residual stream; must be divisible by nHead. */
  nEmbd: number;
  /** Biases in linear layers and layer norms. Default true. */
  bias?: boolean;
  /** Default `"tanh"` (GPT-2). */
  gelu?: GeluApproximation;
  /** Layer-norm epsilon. Default 1e-5. */
  eps?: number;
}

/**
 * The shapes of OpenAI's GPT-2 models (Radford et al. 2019; Hugging Face `gpt2`, `gpt2-medium`,
 * `gpt2-large`, `gpt2-xl`): vocabulary 50,257 (r50k_base), context 1,024, tanh GELU, biases, eps 1e-5,
 * LM head tied to `wte`. Their checkpoints carry no config, so pass one of these to
 * {@link gptFromStateDict}. Frozen: spread one to change a field.
 * @category 13–20 · The model
 * @example
 * ```ts
 * countParameters(GPT2_CONFIGS.small); // 124,439,808
 * const params = gptFromStateDict(loadSafetensors(bytes), GPT2_CONFIGS.small); // Hugging Face's gpt2/model.safetensors
 * ```
 */
export const GPT2_CONFIGS: Readonly<Record<"small" | "medium" | "large" | "xl", Readonly<GptConfig>>> = Object.freeze({
  small: gpt2(12, 12, 768),
  medium: gpt2(24, 16, 1024),
  large: gpt2(36, 20, 1280),
  xl: gpt2(48, 25, 1600),
});

function gpt2(nLayer: number, nHead: number, nEmbd: number): Readonly<GptConfig> {
  return Object.freeze({ vocabSize: 50257, blockSize: 1024, nLayer, nHead, nEmbd, bias: true, gelu: "tanh", eps: 1e-5 });
}

/** A config with every default filled in and checked. */
export type ResolvedConfig = Required<GptConfig>;

const CONFIG_FIELDS = ["vocabSize", "blockSize", "nLayer", "nHead", "nEmbd", "bias", "gelu", "eps"];

/** Fills in the defaults of a config and checks every field (an unknown one is an error), naming fn in errors. */
export function resolveConfig(fn: string, config: GptConfig): ResolvedConfig {
  if (config == null || typeof config !== "object") throw new TypeError(`${fn}: config must be a GptConfig object, got ${describeValue(config)}`);
  checkOptions(fn, config, CONFIG_FIELDS, "config field");
  const { vocabSize, blockSize, nLayer, nHead, nEmbd, bias = true, gelu = "tanh", eps = 1e-5 } = config;
  checkInteger(fn, "config.vocabSize", vocabSize, 1);
  checkInteger(fn, "config.blockSize", blockSize, 1);
  checkInteger(fn, "config.nLayer", nLayer, 0);
  checkInteger(fn, "config.nHead", nHead, 1);
  checkInteger(fn, "config.nEmbd", nEmbd, 1);
  if (nEmbd % nHead !== 0) {
    throw new RangeError(`${fn}: config.nEmbd = ${nEmbd} is not divisible by config.nHead = ${nHead}, expected a multiple of ${nHead}`);
  }
  if (typeof bias !== "boolean") throw new TypeError(`${fn}: config.bias must be a boolean, got ${describeValue(bias)}`);
  checkGelu(fn, "config.gelu", gelu);
  checkPositive(fn, "config.eps", eps);
  return { vocabSize, blockSize, nLayer, nHead, nEmbd, bias, gelu, eps };
}

/**
 * Forward-pass FLOPs per token at context length T: `2·(12·nLayer·C² + V·C) + 4·nLayer·T·C` —
 * two FLOPs per multiply-add of every weight matrix (biases, norms and softmax ignored), plus q·kᵀ and
 * weights·v over T keys. Training costs about 3× this (forward + backward).
 * @param config - the model's shape
 * @param T - the context length
 * @category 13–20 · The model
 * @example
 * ```ts
 * flopsPerToken({ vocabSize: 50257, blockSize: 1024, nLayer: 12, nHead: 12, nEmbd: 768 }, 1024); // ≈ 2.9e8
 * ```
 */
export function flopsPerToken(config: GptConfig, T: number): number {
  const c = resolveConfig("flopsPerToken", config);
  checkInteger("flopsPerToken", "T", T, 0);
  const C = c.nEmbd;
  return 2 * (12 * c.nLayer * C * C + c.vocabSize * C) + 4 * c.nLayer * T * C;
}
