/**
 * A Llama as a {@link CausalLM}: what `generate` calls.
 * @module
 */
import type { CausalLM } from "../causal-lm";
import type { Weight } from "../weight";
import type { LlamaParams } from "./params";
import { checkLlamaParams } from "./params";
import { resolveLlamaConfig } from "./config";
import { llamaCacheIn, llamaForwardKernels, llamaWorkspaceIn } from "./workspace";
import { snapshotParams } from "../internal/snapshot";
import { halvesIn } from "../backend/resident";

export const llamaLM: CausalLM<LlamaParams<Weight>> = {
  check(fn, params) {
    const c = checkLlamaParams(fn, params, true);
    return { vocabSize: c.vocabSize, blockSize: c.blockSize };
  },
  session(params, chunk, res, copyWeights, kvCache) {
    const c = resolveLlamaConfig("generate", params.config);
    const floats = res ? (n: number) => res.floats(n) : (n: number) => new Float32Array(n);
    const model = res && copyWeights ? snapshotParams(params, res, true) : params;
    const cache = llamaCacheIn(c, floats, kvCache === "f16" ? halvesIn(res) : undefined), ws = llamaWorkspaceIn(c, chunk, floats, 1);
    return {
      get length() { return cache.length; },
      reset: () => { for (const l of cache.layers) l.length = 0; (cache as { length: number }).length = 0; },
      forward: (ids, T, logits) => { llamaForwardKernels(ws, model, c, ids, T, cache, logits); },
      get logits() { return ws.logits; },
    };
  },
};
