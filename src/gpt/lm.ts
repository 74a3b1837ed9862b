/**
 * GPT as a {@link CausalLM}: what `generate` calls.
 * @module
 */
import type { CausalLM } from "../causal-lm";
import type { Weight } from "../weight";
import { resolveConfig } from "./config";
import { type GptParams, checkGptParams } from "./params";
import { forwardInWorkspace, gptCacheIn, gptWorkspaceIn, resetGptCache } from "./workspace";
import { snapshotParams } from "../internal/snapshot";
import { halvesIn } from "../backend/resident";

export const gptLM: CausalLM<GptParams<Weight>> = {
  check(fn, params) {
    const c = checkGptParams(fn, params, true);
    return { vocabSize: c.vocabSize, blockSize: c.blockSize };
  },
  session(params, chunk, res, copyWeights, kvCache) {
    const c = resolveConfig("generate", params.config);
    const floats = res ? (n: number) => res.floats(n) : (n: number) => new Float32Array(n);
    const model = res && copyWeights ? snapshotParams(params, res, true) : params;
    const cache = gptCacheIn(c, floats, kvCache === "f16" ? halvesIn(res) : undefined), ws = gptWorkspaceIn(c, chunk, floats, 1);
    return {
      get length() { return cache.length; },
      reset: () => resetGptCache(cache),
      forward: (ids, T, logits) => { forwardInWorkspace(model, c, ids, T, cache, ws, logits); },
      get logits() { return ws.logits; },
    };
  },
};
