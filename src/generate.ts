/**
 * Generation (lesson 20): the complete pipeline, repeated — forward, pick a token, append, again —
 * with a KV cache so each new token costs O(T), not O(T²).
 * @module
 */
import type { GptParams } from "./gpt";
import { createGptCache, gptForward, resetGptCache } from "./gpt";
import { resolveConfig } from "./internal/params";
import type { Tensor } from "./tensor";
import { sampleToken, type SamplingOptions } from "./sampling";
import { checkSampling } from "./internal/sampling";
import { checkIds, checkInteger, describe } from "./internal/check";
import { pinWeights, withPinnedWeights, type PinnedWeights } from "./kernels/wasm";

/** Every weight matrix a forward pass multiplies by, as the linear kernels see them. */
function weightMatrices(params: GptParams): { data: Float32Array; N: number; K: number }[] {
  const C = params.config.nEmbd;
  const out: { data: Float32Array; N: number; K: number }[] = [];
  for (const b of params.h) {
    const w = b.attn.cAttn.weight.data;
    for (let part = 0; part < 3; part++) out.push({ data: w.subarray(part * C * C, (part + 1) * C * C), N: C, K: C });
    out.push({ data: b.attn.cProj.weight.data, N: C, K: C });
    out.push({ data: b.mlp.cFc.weight.data, N: b.mlp.cFc.weight.shape[0], K: C });
    out.push({ data: b.mlp.cProj.weight.data, N: C, K: b.mlp.cProj.weight.shape[1] });
  }
  const head = params.lmHead ?? params.wte;
  out.push({ data: head.data, N: head.shape[0], K: C });
  return out;
}

/** Options of {@link generate}. @category Sampling */
export interface GenerateOptions extends SamplingOptions {
  /** How many tokens to generate at most. */
  maxNewTokens: number;
  /** Token ids that end generation (the stop id itself is yielded). */
  stopIds?: ArrayLike<number>;
}

/**
 * Generates tokens after a prompt, one at a time, as an iterable. Each step runs the model on the
 * newest token only, reusing the cached keys and values of the earlier ones.
 *
 * Where WebAssembly SIMD is in use, the weights are copied once into WebAssembly memory when
 * iteration starts, so each step multiplies by them without copying them again: changing `params`
 * while iterating does not affect that generation.
 *
 * When the context reaches `blockSize`, it is cropped to the last `blockSize` tokens as nanoGPT
 * does (`idx[:, -block_size:]`): positions restart at 0 for that window, so the cache is rebuilt
 * from the window, which costs one full forward per token from then on. Prompts longer than
 * `blockSize` are cropped the same way.
 *
 * @param params - the model
 * @param promptIds - at least one token id
 * @param options - `maxNewTokens` (required), `temperature` (default 1; 0 = greedy), `topK`, `topP`, `minP`, `rng`, `stopIds`
 * @returns an iterable of new token ids (arguments are checked at the call, before the first token)
 * @throws as {@link sampleToken} and {@link gptForward}; RangeError for an empty prompt or a bad maxNewTokens
 * @category Sampling
 * @example
 * ```ts
 * const out = [...generate(params, [2, 0, 1, 1, 0, 2], { maxNewTokens: 6, temperature: 0 })];
 * ```
 */
export function generate(params: GptParams, promptIds: ArrayLike<number>, options: GenerateOptions): Iterable<number> {
  const fn = "generate";
  if (params == null || typeof params !== "object") throw new TypeError(`${fn}: params must be GptParams, got ${describe(params)}`);
  const c = resolveConfig(fn, params.config);
  const o = checkSampling(fn, options);
  checkInteger(fn, "maxNewTokens", options.maxNewTokens, 0);
  if (promptIds == null || typeof promptIds === "string" || typeof promptIds.length !== "number") {
    throw new TypeError(`${fn}: promptIds must be an array of token ids, got ${describe(promptIds)}`);
  }
  if (promptIds.length === 0) throw new RangeError(`${fn}: promptIds is empty, expected at least one token`);
  checkIds(fn, "promptIds", promptIds, c.vocabSize);
  const stops = new Set(Array.from(options.stopIds ?? []));
  const prompt = Array.from(promptIds);
  const maxNew = options.maxNewTokens;
  return {
    *[Symbol.iterator]() {
      const context = prompt.slice();
      const cache = createGptCache(c);
      let pins: PinnedWeights | null = null;
      const forward = (ids: number[]) => withPinnedWeights(pins, () => gptForward(params, ids, { cache }));
      const window = () => {
        resetGptCache(cache);
        return forward(context.slice(-c.blockSize));
      };
      let logits: Tensor = window(); // the prompt (this also checks params against the config)
      if (maxNew > 1) pins = pinWeights(weightMatrices(params));
      for (let n = 0; n < maxNew; n++) {
        const V = c.vocabSize;
        const last = logits.data.subarray(logits.data.length - V);
        const next = sampleToken(last, o);
        yield next;
        if (stops.has(next) || n === maxNew - 1) return;
        context.push(next);
        logits = cache.length < c.blockSize ? forward([next]) : window();
      }
    },
  };
}
