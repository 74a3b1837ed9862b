/**
 * Generation (lesson 20): the complete pipeline, repeated — forward, pick a token, append, again —
 * with a KV cache so each new token costs O(T), not O(T²). Any model family works through the
 * causal-LM interface (`causal-lm.ts`); this file knows none of them.
 * @module
 */
import { argmax, type SamplingOptions } from "./sampling";
import { checkLogitRow, checkSampling, createSamplingScratch, sampleRow } from "./internal/sampling";
import { checkIds, checkInteger, describe } from "./internal/check";
import { KernelMemoryFull, residency } from "./backend/index";
import { createResidency } from "./backend/resident";
import { isResidentParams } from "./resident";
import { type CausalLMParams, familyOf } from "./families";

/** The stop ids as a set, checked: one id, or an array or iterable of ids of the vocabulary. */
function stopSet(fn: string, stopIds: unknown, vocab: number): Set<number> {
  if (stopIds === undefined) return new Set();
  if (typeof stopIds === "number") {
    checkIds(fn, "stopIds", [stopIds], vocab);
    return new Set([stopIds]);
  }
  const iterable = stopIds != null && typeof stopIds !== "string" && typeof (stopIds as Iterable<number>)[Symbol.iterator] === "function";
  const arrayLike = stopIds != null && typeof stopIds === "object" && typeof (stopIds as ArrayLike<number>).length === "number";
  if (!iterable && !arrayLike) throw new TypeError(`${fn}: stopIds must be a token id or an array of token ids, got ${describe(stopIds)}`);
  const ids = Array.from(stopIds as Iterable<number>);
  checkIds(fn, "stopIds", ids, vocab);
  return new Set(ids);
}

/** Options of {@link generate}. @category 18–21 · Sampling and generation */
export interface GenerateOptions extends SamplingOptions {
  /** How many tokens to generate at most. */
  maxNewTokens: number;
  /**
   * Token ids that end generation (the stop id itself is yielded): one id (e.g. a config's
   * `eosTokenId`) or an array / iterable of ids, each an integer id of the vocabulary.
   */
  stopIds?: number | ArrayLike<number> | Iterable<number>;
  /**
   * How the KV cache stores keys and values: `"f32"` (default) or `"f16"` — binary16, half the
   * bytes (SmolLM2-135M at 1024 positions: 47 MB → 24 MB, plus one layer's float32 copy), each
   * value rounded to the nearest binary16 (relative error ≤ 2⁻¹¹), as llama.cpp's default cache.
   */
  kvCache?: "f32" | "f16";
}

/**
 * Generates tokens after a prompt, one at a time, as an iterable. Each step runs the model on the
 * newest token only, reusing the cached keys and values of the earlier ones, in a workspace
 * ({@link createGptWorkspace}) made once: a step allocates nothing. The prompt is run in chunks of
 * 64 tokens, and only the last position's logits are computed.
 *
 * `params` are checked at the call and again when iteration starts (the first `next()`), and read
 * once then: a generation works on a
 * copy of them, so changing them while iterating does not affect it, on every path. Where WebAssembly
 * SIMD is in use, that copy, the KV cache and the workspace live in the kernels' memory (one
 * residency of the kernel backend): where that memory is shared (Node, Workers,
 * cross-origin-isolated pages) the kernels read and write them where they are, so a step copies
 * nothing but its id in and its logits out; where it is not, the weight matrices are kept there and
 * the rest in JavaScript. Under `useWasm(false)` every tensor is copied in JavaScript. Either way it
 * is one more copy of the model while the generation runs: to hold the weights only once, let go of
 * `params` after the call (e.g. `generate(gptFromStateDict(loadSafetensors(bytes)), …)`), and the
 * JavaScript copy is garbage once iteration has started; or pass {@link residentParams}' copy, whose
 * tensors already live in the kernels' memory: it is read where it is, not copied (so do not
 * change it while the generation runs). (With `maxNewTokens: 1` and a prompt of at
 * most 64 tokens the one forward pass reads `params` directly: nothing can change them meanwhile.)
 * The copies are released when the iteration ends — finished, thrown, or abandoned with `return()`
 * (as `break` in a `for…of` does); `wasmStatus().residentBytes` shows what live generations hold.
 * Generations may be interleaved: each has its own. A model too large for WebAssembly memory
 * (2 GiB) runs from JavaScript arrays instead, each product copying its weight in (slower, not an error).
 *
 * When the context reaches `blockSize`, it is cropped to the last `blockSize` tokens as nanoGPT
 * does (`idx[:, -block_size:]`): positions restart at 0 for that window, so the cache is rebuilt
 * from the window, which costs one full forward per token from then on. Prompts longer than
 * `blockSize` are cropped the same way.
 *
 * @param params - the model: {@link GptParams} or {@link LlamaParams}
 * @param promptIds - at least one token id
 * @param options - `maxNewTokens` (required), `temperature` (default 1; 0 = greedy), `topK`, `topP`, `minP`, `rng`, `stopIds`, `kvCache`
 * @returns a generator of new token ids: `for…of`, spread, or `.next()` one at a time (arguments are
 *   checked at the call, before the first token; like every generator it runs once)
 * @throws as {@link sampleToken} and {@link gptForward}; RangeError for an empty prompt or a bad maxNewTokens,
 *   and (while iterating) for NaN logits
 * @category 18–21 · Sampling and generation
 * @example
 * ```ts
 * const out = [...generate(params, [2, 0, 1, 1, 0, 2], { maxNewTokens: 6, temperature: 0 })];
 * ```
 */
export function generate(params: CausalLMParams, promptIds: ArrayLike<number>, options: GenerateOptions): Generator<number, void, undefined> {
  const fn = "generate";
  const lm = familyOf(fn, params);
  const c = lm.check(fn, params);
  const o = checkSampling(fn, options, { extraKeys: ["maxNewTokens", "stopIds", "kvCache"] });
  const kvCache = options.kvCache ?? "f32";
  if (kvCache !== "f32" && kvCache !== "f16") throw new RangeError(`${fn}: kvCache must be "f32" or "f16", got ${describe(options.kvCache)}`);
  checkInteger(fn, "maxNewTokens", options.maxNewTokens, 0);
  if (promptIds == null || typeof promptIds === "string" || typeof promptIds.length !== "number") {
    throw new TypeError(`${fn}: promptIds must be an array of token ids, got ${describe(promptIds)}`);
  }
  if (promptIds.length === 0) throw new RangeError(`${fn}: promptIds is empty, expected at least one token`);
  checkIds(fn, "promptIds", promptIds, c.vocabSize);
  const stops = stopSet(fn, options.stopIds, c.vocabSize);
  const prompt = Array.from(promptIds);
  const maxNew = options.maxNewTokens;
  // held until the session has its copy: then the generation keeps no reference to the caller's tensors
  let source: CausalLMParams | null = params;
  return run();
  function* run(): Generator<number, void, undefined> {
    lm.check(fn, source!); // again: a tensor may have been replaced between the call and the first next()
    if (maxNew === 0) return;
    const context = prompt.slice();
    const scratch = createSamplingScratch(c.vocabSize);
    const next = [0]; // the id of a step, reused
    // the weights (a snapshot), the KV cache and the workspace live in one residency of the kernel
    // backend from the start — unless one forward pass is all there is to do (see the doc above)
    const onePass = maxNew === 1 && prompt.length <= PREFILL_CHUNK;
    const chunkSize = Math.min(PREFILL_CHUNK, c.blockSize);
    let res = onePass ? null : residency();
    try { // the residency is released when generation ends, throws, or is abandoned (the iterator's return())
      // params already in the kernels' memory (residentParams) are read where they are; any others are copied
      const copyWeights = res !== null && !isResidentParams(source!);
      let session;
      try {
        session = lm.session(source!, chunkSize, res, copyWeights, kvCache);
      } catch (e) {
        if (!(e instanceof KernelMemoryFull)) throw e;
        res!.release(); // a model larger than the kernels' memory: the snapshot in JavaScript, each product copying its weight in
        res = createResidency(null);
        session = lm.session(source!, chunkSize, res, copyWeights, kvCache);
      }
      source = null;
      // the context's last blockSize tokens from position 0, in chunks; logits for the last token only
      const prefill = () => {
        const window = context.slice(-c.blockSize);
        session.reset();
        for (let s = 0; s < window.length; s += chunkSize) {
          const chunk = window.slice(s, s + chunkSize);
          session.forward(chunk, chunk.length, s + chunk.length === window.length ? "last" : "none");
        }
      };
      prefill();
      for (let n = 0; ; n++) {
        const logits = session.logits; // [V]: generate asks for the last position's row only
        checkLogitRow(fn, logits, o.temperature);
        const id = o.temperature === 0 ? argmax(logits) : sampleRow(logits, o, scratch);
        yield id;
        if (stops.has(id) || n === maxNew - 1) return;
        context.push(id);
        next[0] = id;
        if (session.length < c.blockSize) session.forward(next, 1, "last");
        else prefill();
      }
    } finally {
      res?.release();
    }
  }
}

/** Prompt tokens per forward call while filling the cache (bounds the workspace, not the prompt). */
const PREFILL_CHUNK = 64;
