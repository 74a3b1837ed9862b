/**
 * Generation (lesson 20): the complete pipeline, repeated — forward, pick a token, append, again —
 * with a KV cache so each new token costs O(T), not O(T²).
 * @module
 */
import type { GptParams } from "./gpt";
import { createGptCache, resetGptCache } from "./gpt";
import { checkGptParams } from "./internal/params";
import { argmax, type SamplingOptions } from "./sampling";
import { checkLogitRow, checkSampling, createSamplingScratch, sampleRow } from "./internal/sampling";
import { createGptWorkspace } from "./workspace";
import { forwardInWorkspace } from "./internal/forward";
import { checkIds, checkInteger, describe } from "./internal/check";
import { pinWeights, unpinWeights, withPinnedWeights } from "./kernels/wasm";

/** Every weight matrix a forward pass multiplies by, as the linear kernels see them. */
function weightMatrices(params: GptParams): { data: Float32Array; N: number; K: number }[] {
  const C = params.config.nEmbd;
  const out: { data: Float32Array; N: number; K: number }[] = [];
  for (const b of params.h) {
    out.push({ data: b.attn.cAttn.weight.data, N: 3 * C, K: C }); // the workspace projects Q, K and V in one product
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
 * newest token only, reusing the cached keys and values of the earlier ones, in a workspace
 * ({@link createGptWorkspace}) made once: a step allocates nothing. The prompt is run in chunks of
 * 64 tokens, and only the last position's logits are computed.
 *
 * Where WebAssembly SIMD is in use, the weights are copied once into WebAssembly memory when
 * iteration starts and the KV cache lives there too, so neither the prompt's chunks nor the steps
 * copy the weights or the cached keys and values again: `params` are read (and checked) once, and
 * changing them while iterating does not affect that generation. The copy is released when the
 * iteration ends — finished, thrown, or abandoned with `return()` (as `break` in a `for…of` does);
 * `wasmStatus().pinnedBytes` shows it.
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
 * @throws as {@link sampleToken} and {@link gptForward}; RangeError for an empty prompt or a bad maxNewTokens,
 *   and (while iterating) for NaN logits
 * @category Sampling
 * @example
 * ```ts
 * const out = [...generate(params, [2, 0, 1, 1, 0, 2], { maxNewTokens: 6, temperature: 0 })];
 * ```
 */
export function generate(params: GptParams, promptIds: ArrayLike<number>, options: GenerateOptions): Iterable<number> {
  const fn = "generate";
  const c = checkGptParams(fn, params);
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
      if (maxNew === 0) return;
      const V = c.vocabSize, D = c.nEmbd / c.nHead;
      const context = prompt.slice();
      const cache = createGptCache(c);
      const workspace = createGptWorkspace(c, { tokens: PREFILL_CHUNK });
      const scratch = createSamplingScratch(V);
      const next = [0]; // the id of a step, reused
      // the context's last blockSize tokens from position 0, in chunks; logits for the last token only
      const prefill = () => {
        const window = context.slice(-c.blockSize);
        resetGptCache(cache);
        for (let s = 0; s < window.length; s += workspace.tokens) {
          const chunk = window.slice(s, s + workspace.tokens);
          forwardInWorkspace(params, c, chunk, chunk.length, cache, workspace, s + chunk.length === window.length ? "last" : "none");
        }
      };
      const step = () => forwardInWorkspace(params, c, next, 1, cache, workspace, "last");
      // weights and the KV cache live in WebAssembly memory from the start (where it is in use), unless
      // one forward pass is all there is to do
      const kv = D % 4 === 0 ? cache.layers.flatMap((l) => [l.k, l.v]).map((data) => ({ data, N: c.nHead * c.blockSize, K: D })) : [];
      const pins = maxNew > 1 || prompt.length > workspace.tokens ? pinWeights([...weightMatrices(params), ...kv]) : null;
      try { // the pinned copy is released when generation ends, throws, or is abandoned (the iterator's return())
        withPinnedWeights(pins, prefill);
        for (let n = 0; ; n++) {
          const logits = workspace.logits; // [V]: generate asks for the last position's row only
          checkLogitRow(fn, logits, o.temperature);
          const id = o.temperature === 0 ? argmax(logits) : sampleRow(logits, o, scratch);
          yield id;
          if (stops.has(id) || n === maxNew - 1) return;
          context.push(id);
          next[0] = id;
          withPinnedWeights(pins, cache.length < c.blockSize ? step : prefill);
        }
      } finally {
        unpinWeights(pins);
      }
    },
  };
}

/** Prompt tokens per forward call while filling the cache (bounds the workspace, not the prompt). */
const PREFILL_CHUNK = 64;
