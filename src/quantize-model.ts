/**
 * A whole model stored in fewer bits: every weight matrix of a GPT or a Llama quantized to one
 * type, with per-tensor exceptions (llama.cpp's mixtures, e.g. Q4_0 with the embedding in Q8_0).
 * @module
 */
import type { Tensor } from "./tensor";
import { ShapeError, formatShape } from "./tensor";
import type { CausalLMParams } from "./families";
import type { GptParams } from "./gpt/params";
import { checkGptParams, parameterSpecs } from "./gpt/params";
import type { LlamaParams } from "./llama/params";
import { checkLlamaParams, llamaSpecs } from "./llama/params";
import { getPath, setPath } from "./internal/param-table";
import { checkOptions, describe } from "./internal/check";
import { type QuantizedTensor, type Weight, type WeightType, dequantize, isQuantized, quantize } from "./weight";
import { WEIGHT_TYPES } from "./kernels/weight-types";

/** Options of {@link quantizeModel}. @category 25 · Quantized weights */
export interface QuantizeModelOptions {
  /**
   * The type of one tensor, in place of `type`: called with its path in the params (`"wte"`,
   * `"h.0.attn.q.weight"`) and its float32 values; `undefined` keeps `type`, `"f32"` keeps it float32.
   */
  keep?: (path: string, tensor: Tensor) => WeightType | undefined;
}

/**
 * The same model with every weight matrix stored as `type`: the token embedding, each linear
 * layer's weight and a separate LM head. Norms, biases and GPT's position table stay float32 (the
 * same tensors, not copies); `keep` overrides per tensor. A matrix already stored is dequantized
 * first. Every matrix to quantize needs a last axis (its `in`) that holds whole blocks: otherwise a
 * ShapeError names it (keep it in `"f32"` or `"f16"` through `keep`).
 * @param params - a GPT's or a Llama's parameters
 * @param type - the type of the weight matrices
 * @param options - `keep(path, tensor)`: a type per tensor
 * @returns params of the same family, their weight matrices {@link QuantizedTensor}s
 * @category 25 · Quantized weights
 * @example
 * ```ts
 * const q4 = quantizeModel(params, "q4_0", { keep: (path) => (path === "wte" ? "q8_0" : undefined) });
 * for (const id of generate(q4, prompt, { maxNewTokens: 20, temperature: 0 })) console.log(id);
 * ```
 */
export function quantizeModel(params: GptParams<Weight>, type: WeightType, options?: QuantizeModelOptions): GptParams<Weight>;
export function quantizeModel(params: LlamaParams<Weight>, type: WeightType, options?: QuantizeModelOptions): LlamaParams<Weight>;
export function quantizeModel(params: CausalLMParams, type: WeightType, options?: QuantizeModelOptions): CausalLMParams {
  const fn = "quantizeModel";
  const { keep } = checkOptions(fn, options, ["keep"]);
  if (keep !== undefined && typeof keep !== "function") throw new TypeError(`${fn}: options.keep must be a function (path, tensor) → type or undefined, got ${describe(keep)}`);
  if (typeof type !== "string" || !(type in WEIGHT_TYPES)) throw new TypeError(`${fn}: type must be one of ${Object.keys(WEIGHT_TYPES).map((t) => `"${t}"`).join(", ")}, got ${describe(type)}`);
  if (params == null || typeof params !== "object" || params.config == null) throw new TypeError(`${fn}: params must be GptParams or LlamaParams (with their config), got ${describe(params)}`);
  const llama = "intermediateSize" in params.config;
  const rows = llama
    ? llamaSpecs(checkLlamaParams(fn, params as LlamaParams<Weight>, true))
    : parameterSpecs(checkGptParams(fn, params as GptParams<Weight>, true), (params as GptParams<Weight>).lmHead != null);
  const out = cloneTree(params) as Record<string | number, unknown>;
  for (const row of rows) {
    const path = row.path.join(".");
    const isMatrix = row.shape.length === 2 && path !== "wpe";
    if (!isMatrix) continue;
    const current = getPath(params, row.path) as Weight;
    const values = isQuantized(current) ? dequantize(current) : current;
    const chosen = keep?.(path, values) ?? type;
    if (typeof chosen !== "string" || !(chosen in WEIGHT_TYPES)) throw new TypeError(`${fn}: keep("${path}") returned ${describe(chosen)}, expected a weight type or undefined`);
    const block = WEIGHT_TYPES[chosen].blockSize;
    if (row.shape[1] % block !== 0) {
      const instead = K_FALLBACK[chosen] === undefined ? `"f32" or "f16"` : `"${K_FALLBACK[chosen]}" (llama.cpp's fallback for ${chosen})`;
      throw new ShapeError(`${fn}: ${path} has shape ${formatShape(row.shape)}, whose last axis is not a multiple of ${block} (${chosen} stores blocks of ${block}); keep it in ${instead} with options.keep`);
    }
    const stored: Weight = chosen === "f32" ? values : (quantize(values, chosen) as QuantizedTensor);
    setPath(out, row.path, stored);
  }
  return out as unknown as CausalLMParams;
}

/** The type llama.cpp's quantizer stores a K-quant tensor as when its rows do not hold whole super-blocks of 256 (llama_tensor_get_type's fallback). */
const K_FALLBACK: Partial<Record<WeightType, WeightType>> = { q4_k: "q5_0", q5_k: "q5_1", q6_k: "q8_0" };

/** A copy of the tree's objects and arrays (tensors shared), so that paths can be set in it. */
function cloneTree(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneTree);
  if (value === null || typeof value !== "object" || "data" in value || "bytes" in value) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = k === "config" ? v : cloneTree(v);
  return out;
}
