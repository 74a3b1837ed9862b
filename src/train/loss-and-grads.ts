/**
 * The whole GPT's loss and gradients (training, llm.c's gpt2_forward + gpt2_backward): the one
 * kernel-level forward that inference uses, in a mode that keeps every layer's activations, then
 * the backward pass through them.
 * Shapes: B sequences of T ids; C = nEmbd, H = nHead, D = C/H, V = vocabSize.
 * @module
 */
import type { ResolvedConfig } from "../gpt/config";
import { type GptParams, checkGptParams } from "../gpt/params";
import type { Tap, Tensor } from "../tensor";
import { checkAccumulate, checkOptions, describe } from "../internal/check";
import { checkBatch, gradsFor } from "./batch";
import { type ActivationStore, LAYER_NAMES, trainStore } from "../gpt/activations";
import { type BackwardScratch, backwardScratch, gptBackwardKernels } from "../gpt/backward";
import { gptForwardKernels } from "../gpt/workspace";
import { residentBuffers } from "../resident";

/** The gradient of every parameter of a GPT: {@link GptParams}'s structure without its config. @category 22–23 · Training */
export type GptGrads = Omit<GptParams, "config">;

/** Options of {@link gptLossAndGrads}. @category 22–23 · Training */
export interface GptLossAndGradsOptions {
  /** Gradient buffers to write into (e.g. from an earlier call, or {@link zerosLike}): no allocation per step. */
  grads?: GptGrads;
  /** Add to `grads` instead of overwriting it (gradient accumulation over micro-batches). */
  accumulate?: boolean;
  /**
   * Called after the forward pass with every activation the backward pass reads, by the names
   * {@link gptForward}'s taps use (`embed.sum`, `h.0.ln1`, `h.0.attn.q`, …, `lnF`, `logits`), as
   * views of the library's buffers (`[T, C]` for one sequence, `[B, T, C]` for a batch): copy to keep.
   */
  tap?: Tap;
}

/** What {@link gptLossAndGrads} returns. @category 22–23 · Training */
export interface GptLossAndGrads {
  /** The mean cross-entropy over every target that is not −1 (NaN when all are ignored). */
  loss: number;
  /** The gradient of `loss` with respect to every parameter. */
  grads: GptGrads;
}

interface Workspace { store: ActivationStore; scratch: BackwardScratch; config: ResolvedConfig }

/** Each model's training buffers, kept between calls and released with the params object. */
const workspaces = new WeakMap<GptParams, Workspace>();

/**
 * The training loss of a GPT on next-token targets, and its gradient with respect to every
 * parameter: the forward pass keeps what the backward needs per layer (layer-norm inputs, means
 * and reciprocal deviations, q, k, v, the MLP's pre- and post-GELU activations — never the
 * `[B, H, T, T]` attention weights, which the attention backward recomputes row by row), then the
 * backward runs through them in reverse (llm.c's `gpt2_backward`). A tied LM head's gradient is the
 * sum of its two uses (the embedding and the head).
 *
 * The activation buffers are allocated at the first call and reused by later calls with the same
 * params object (grown when a batch needs more rows); they are released with it.
 *
 * @param params - the model (from {@link initGpt} or {@link gptFromStateDict})
 * @param ids - one sequence of T ids, or a batch: an array of B sequences of equal length T ≤ blockSize
 * @param targets - the next-token ids, the same structure as `ids`; −1 is ignored
 * @param options - `grads` (buffers to reuse), `accumulate`, `tap`
 * @returns `{ loss, grads }` — the loss is the mean over every target that is not −1 (nanoGPT's
 *   `F.cross_entropy(…, ignore_index=-1)`)
 * @throws RangeError for an id or target out of range, or T > blockSize; ShapeError when ids and
 *   targets differ in structure or length, a batch's sequences differ in length, or `grads` does not
 *   have the structure of params (naming the path)
 * @remarks Matches PyTorch autograd on nanoGPT's `GPT.forward(idx, targets)` (without dropout).
 * @category 22–23 · Training
 * @example
 * ```ts
 * const params = initGpt({ vocabSize: 3, blockSize: 11, nLayer: 3, nHead: 3, nEmbd: 48 }, createRng(0));
 * const { loss, grads } = gptLossAndGrads(params, [[2, 1, 0], [0, 0, 1]], [[1, 0, 2], [0, 1, -1]]);
 * // loss ≈ ln 3 at init; grads.h[0].attn.cAttn.weight: [144, 48]
 * ```
 */
export function gptLossAndGrads(
  params: GptParams, ids: ArrayLike<number> | readonly ArrayLike<number>[], targets: ArrayLike<number> | readonly ArrayLike<number>[],
  options?: GptLossAndGradsOptions,
): GptLossAndGrads {
  const fn = "gptLossAndGrads";
  const o = checkOptions(fn, options, ["grads", "accumulate", "tap"]);
  const c = checkGptParams(fn, params);
  const { flatIds, flatTargets, B, T, batched } = checkBatch(fn, c, ids, targets);
  const accumulate = checkAccumulate(fn, o.accumulate, { name: "grads", given: o.grads !== undefined });
  if (o.tap !== undefined && typeof o.tap !== "function") throw new TypeError(`${fn}: tap must be a function, got ${describe(o.tap)}`);
  const grads = gradsFor<GptGrads>(fn, params, o.grads, accumulate);
  const ws = workspaceFor(params, c, B * T);
  gptForwardKernels(ws.store, params, c, flatIds, B, T, undefined, "all");
  if (o.tap) tapStore(o.tap, ws.store, c, B, T, batched);
  const loss = gptBackwardKernels(ws.store, ws.scratch, params, c, flatIds, flatTargets, B, T, grads);
  return { loss, grads };
}

function workspaceFor(params: GptParams, c: ResolvedConfig, rows: number): Workspace {
  const ws = workspaces.get(params);
  if (ws !== undefined && ws.store.rows >= rows && sameConfig(ws.config, c)) return ws;
  const buffers = residentBuffers(); // in the kernels' memory where it is shared: the kernels read and write them there
  const fresh = { store: trainStore(c, rows, buffers.floats), scratch: backwardScratch(c, rows, buffers.floats), config: c };
  buffers.done();
  workspaces.set(params, fresh);
  return fresh;
}

function sameConfig(a: ResolvedConfig, b: ResolvedConfig): boolean {
  return a.vocabSize === b.vocabSize && a.nLayer === b.nLayer && a.nHead === b.nHead && a.nEmbd === b.nEmbd;
}

/** Calls tap with every activation the store keeps, as views shaped for one sequence or a batch. */
function tapStore(tap: Tap, store: ActivationStore, c: ResolvedConfig, B: number, T: number, batched: boolean): void {
  const C = c.nEmbd, H = c.nHead, D = C / H;
  const view = (data: Float32Array, shape: number[]): Tensor => {
    const full = batched ? [B, ...shape] : shape;
    return { data: data.subarray(0, full.reduce((a, b) => a * b, 1)), shape: full };
  };
  const rows = (data: Float32Array, width: number) => view(data, [T, width]);
  tap("embed.sum", rows(store.embed, C));
  store.layers.forEach((a, i) => {
    for (const [name, key] of LAYER_NAMES) {
      const data = a[key] as Float32Array;
      const width = key === "fc" || key === "act" ? 4 * C : C;
      tap(`h.${i}.${name}`, key === "q" || key === "k" || key === "v" ? view(data, [H, T, D]) : rows(data, width));
    }
  });
  tap("lnF", rows(store.lnF, C));
  tap("logits", view(store.logits, [T, c.vocabSize]));
}
