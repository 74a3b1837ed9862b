/**
 * A Llama as a {@link CausalLM}: what `generate` calls.
 * @module
 */
import type { CausalLM } from "../causal-lm";
import type { LlamaParams } from "./params";
import { checkLlamaParams } from "./params";
import { resolveLlamaConfig } from "./config";
import { createLlamaCache, createLlamaWorkspace, llamaForwardKernels } from "./workspace";

export const llamaLM: CausalLM<LlamaParams> = {
  check(fn, params) {
    const c = checkLlamaParams(fn, params);
    return { vocabSize: c.vocabSize, blockSize: c.blockSize };
  },
  weightMatrices(params) {
    const c = params.config, C = c.nEmbd, D = C / c.nHead, kvC = (c.nKvHead ?? c.nHead) * D, I = c.intermediateSize;
    const out = params.h.flatMap((b) => [
      { data: b.attn.q.weight.data, N: C, K: C },
      { data: b.attn.k.weight.data, N: kvC, K: C },
      { data: b.attn.v.weight.data, N: kvC, K: C },
      { data: b.attn.o.weight.data, N: C, K: C },
      { data: b.mlp.gate.weight.data, N: I, K: C },
      { data: b.mlp.up.weight.data, N: I, K: C },
      { data: b.mlp.down.weight.data, N: C, K: I },
    ]);
    const head = params.lmHead ?? params.wte;
    out.push({ data: head.data, N: head.shape[0], K: C });
    return out;
  },
  session(params, chunk) {
    const c = resolveLlamaConfig("generate", params.config), D = c.nEmbd / c.nHead;
    const cache = createLlamaCache(c), ws = createLlamaWorkspace(c, { tokens: chunk });
    const kv = D % 4 === 0 ? cache.layers.flatMap((l) => [l.k, l.v]).map((data) => ({ data, N: c.nKvHead * c.blockSize, K: D })) : [];
    return {
      get length() { return cache.length; },
      reset: () => { for (const l of cache.layers) l.length = 0; (cache as { length: number }).length = 0; },
      forward: (model, ids, T, logits) => { llamaForwardKernels(ws, model, c, ids, T, cache, logits); },
      get logits() { return ws.logits; },
      kv,
    };
  },
};
