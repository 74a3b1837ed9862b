/**
 * A Llama's loss and gradients (training the modern decoder): the same contract as
 * {@link gptLossAndGrads}, over the Llama kernels in training mode (llama/backward.ts).
 * Shapes: B sequences of T ids; C = nEmbd, H = nHead, Hkv = nKvHead, D = C/H, I = intermediateSize.
 * @module
 */
import type { LlamaParams } from "../llama/params";
import { checkLlamaParams } from "../llama/params";
import type { ResolvedLlamaConfig } from "../llama/config";
import { type LlamaGradBuffers, type LlamaTrainStore, llamaTrainBackward, llamaTrainForward, llamaTrainStore } from "../llama/backward";
import type { Tensor } from "../tensor";
import { checkAccumulate, checkOptions } from "../internal/check";
import { checkBatch, gradsFor } from "./batch";
import { residentBuffers } from "../resident";

/** The gradient of every parameter of a Llama: {@link LlamaParams}'s structure without its config. @category 24 · Llama */
export type LlamaGrads = Omit<LlamaParams, "config">;

/** Options of {@link llamaLossAndGrads}. @category 24 · Llama */
export interface LlamaLossAndGradsOptions {
  /** Gradient buffers to write into (e.g. from an earlier call, or {@link zerosLike}): no allocation per step. */
  grads?: LlamaGrads;
  /** Add to `grads` instead of overwriting it (gradient accumulation over micro-batches). */
  accumulate?: boolean;
}

/** Each model's training buffers (one sequence length), kept between calls and released with the params object. */
const stores = new WeakMap<LlamaParams, { store: LlamaTrainStore; config: ResolvedLlamaConfig }>();

/**
 * The training loss of a Llama on next-token targets, and its gradient with respect to every
 * parameter — the contract of {@link gptLossAndGrads}: one sequence or a batch of equal length, the
 * mean over every target that is not −1, `grads` shaped as the params (a tied head's gradient is
 * the sum of its two uses, in `wte`). The forward keeps each layer's RMSNorm inputs and reciprocal
 * RMS, the rotated q and k, v, the attention output and the MLP's gate, up and hidden values; the
 * backward runs through them in reverse: SwiGLU's, RoPE's (the rotation back), grouped-query
 * attention's (dk, dv summed over each group of query heads, as autograd through `repeat_kv`),
 * the sliding window's and RMSNorm's gradients. A batch runs sequence by sequence.
 *
 * @param params - the model (from {@link initLlama} or {@link llamaFromStateDict})
 * @param ids - one sequence of T ids, or an array of B sequences of equal length T ≤ blockSize
 * @param targets - the next-token ids, the structure of `ids`; −1 is ignored
 * @param options - `grads`, `accumulate`
 * @returns `{ loss, grads }`
 * @throws as {@link gptLossAndGrads}
 * @remarks Matches PyTorch autograd through Hugging Face's `LlamaForCausalLM` (eager attention, no dropout).
 * @category 24 · Llama
 * @example
 * ```ts
 * const params = initLlama({ vocabSize: 8, blockSize: 8, nLayer: 1, nHead: 4, nKvHead: 2, nEmbd: 16, intermediateSize: 32 }, createRng(0));
 * const { loss, grads } = llamaLossAndGrads(params, [1, 2, 3], [2, 3, 4]);
 * adamw(params).step(grads);
 * ```
 */
export function llamaLossAndGrads(
  params: LlamaParams, ids: ArrayLike<number> | readonly ArrayLike<number>[], targets: ArrayLike<number> | readonly ArrayLike<number>[],
  options?: LlamaLossAndGradsOptions,
): { loss: number; grads: LlamaGrads } {
  const fn = "llamaLossAndGrads";
  const o = checkOptions(fn, options, ["grads", "accumulate"]);
  const c = checkLlamaParams(fn, params);
  const { flatIds, flatTargets, B, T } = checkBatch(fn, c, ids, targets);
  const accumulate = checkAccumulate(fn, o.accumulate, { name: "grads", given: o.grads !== undefined });
  const grads = gradsFor<LlamaGrads>(fn, params, o.grads, accumulate);
  let count = 0;
  for (let i = 0; i < flatTargets.length; i++) if (flatTargets[i] !== -1) count++;
  const store = storeFor(params, c, T), buffers = gradBuffers(grads);
  let loss = 0;
  for (let b = 0; b < B; b++) {
    const seq = flatIds.subarray(b * T, (b + 1) * T), tgt = flatTargets.subarray(b * T, (b + 1) * T);
    llamaTrainForward(store, params, c, seq);
    loss += llamaTrainBackward(store, params, c, seq, tgt, count ? 1 / count : 0, buffers);
  }
  return { loss: count ? loss / count : NaN, grads };
}

function storeFor(params: LlamaParams, c: ResolvedLlamaConfig, T: number): LlamaTrainStore {
  const held = stores.get(params);
  if (held && held.store.T === T && held.config.nEmbd === c.nEmbd && held.config.nLayer === c.nLayer && held.config.vocabSize === c.vocabSize
    && held.config.intermediateSize === c.intermediateSize && held.config.nKvHead === c.nKvHead) return held.store;
  const buffers = residentBuffers(); // in the kernels' memory where it is shared: the kernels read and write them there
  const store = llamaTrainStore(c, T, buffers.floats);
  buffers.done();
  stores.set(params, { store, config: c });
  return store;
}

function gradBuffers(g: LlamaGrads): LlamaGradBuffers {
  const d = (t: Tensor) => t.data, opt = (t: Tensor | null | undefined) => t?.data ?? null;
  return {
    wte: d(g.wte), lmHead: opt(g.lmHead), lnF: d(g.lnF.weight),
    h: g.h.map((b) => ({
      ln1: d(b.ln1.weight), ln2: d(b.ln2.weight),
      q: d(b.attn.q.weight), qBias: opt(b.attn.q.bias), k: d(b.attn.k.weight), kBias: opt(b.attn.k.bias), v: d(b.attn.v.weight), vBias: opt(b.attn.v.bias), o: d(b.attn.o.weight),
      gate: d(b.mlp.gate.weight), gateBias: opt(b.mlp.gate.bias), up: d(b.mlp.up.weight), upBias: opt(b.mlp.up.bias), down: d(b.mlp.down.weight), downBias: opt(b.mlp.down.bias),
    })),
  };
}
