/**
 * GPT as a {@link CausalLM}: what `generate` calls.
 * @module
 */
import type { CausalLM } from "./causal-lm";
import type { GptParams } from "./gpt";
import { createGptCache, resetGptCache } from "./gpt";
import { createGptWorkspace } from "./workspace";
import { checkGptParams, resolveConfig } from "./internal/params";
import { forwardInWorkspace } from "./internal/forward";

export const gptLM: CausalLM<GptParams> = {
  check(fn, params) {
    const c = checkGptParams(fn, params);
    return { vocabSize: c.vocabSize, blockSize: c.blockSize };
  },
  weightMatrices(params) {
    const C = params.config.nEmbd;
    const out = params.h.flatMap((b) => [
      { data: b.attn.cAttn.weight.data, N: 3 * C, K: C }, // the workspace projects Q, K and V in one product
      { data: b.attn.cProj.weight.data, N: C, K: C },
      { data: b.mlp.cFc.weight.data, N: b.mlp.cFc.weight.shape[0], K: C },
      { data: b.mlp.cProj.weight.data, N: C, K: b.mlp.cProj.weight.shape[1] },
    ]);
    const head = params.lmHead ?? params.wte;
    out.push({ data: head.data, N: head.shape[0], K: C });
    return out;
  },
  session(params, chunk) {
    const c = resolveConfig("generate", params.config), D = c.nEmbd / c.nHead;
    const cache = createGptCache(c), ws = createGptWorkspace(c, { tokens: chunk });
    const kv = D % 4 === 0 ? cache.layers.flatMap((l) => [l.k, l.v]).map((data) => ({ data, N: c.nHead * c.blockSize, K: D })) : [];
    return {
      get length() { return cache.length; },
      reset: () => resetGptCache(cache),
      forward: (model, ids, T, logits) => { forwardInWorkspace(model, c, ids, T, cache, ws, logits); },
      get logits() { return ws.logits; },
      kv,
    };
  },
};
