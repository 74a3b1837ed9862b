/**
 * The model families `generate` knows, told apart by their parameters. A third family is one more
 * file implementing {@link CausalLM} and one more line here.
 * @module
 */
import type { CausalLM } from "./causal-lm";
import type { GptParams } from "./gpt/params";
import type { LlamaParams } from "./llama/params";
import { gptLM } from "./gpt/lm";
import { llamaLM } from "./llama/lm";
import { describe } from "./internal/check";
import type { Weight } from "./weight";

/** Parameters of any family `generate` runs (their weight matrices float32 or stored: {@link Weight}). @category 18–21 · Sampling and generation */
export type CausalLMParams = GptParams<Weight> | LlamaParams<Weight>;

/** The family of these parameters: a Llama's config has an `intermediateSize`, a GPT's has none (and a `wpe`). */
export function familyOf(fn: string, params: CausalLMParams): CausalLM<CausalLMParams> {
  if (params == null || typeof params !== "object" || params.config == null) {
    throw new TypeError(`${fn}: params must be GptParams or LlamaParams (with their config), got ${describe(params)}`);
  }
  return ("intermediateSize" in params.config ? llamaLM : gptLM) as CausalLM<CausalLMParams>;
}
