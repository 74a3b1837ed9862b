// The one kernel-level GPT forward pass, over an activation store (./activations.ts), on checked
// inputs: what gptForward's `workspace` option, generate and training run. (gptForward without a
// workspace composes the ops instead — the readable lesson; tests keep the two equal.)
import type { GptCache, GptParams } from "../gpt";
import type { GptWorkspace } from "../workspace";
import type { ResolvedConfig } from "./params";
import { type ActivationStore, finalResidual, inferStore, sequenceOf } from "./activations";
import { embeddingForward } from "../kernels/embedding";
import { layerNormForward } from "../kernels/norm";
import { linearKernel } from "../kernels/linear";
import { attentionKernel } from "../kernels/attention";
import { geluKernel } from "../kernels/activation";
import { mergeHeadsForward, splitQkvForward } from "../kernels/heads";

/** Which rows of logits a forward pass computes. */
export type LogitRows = "all" | "last" | "none";

/**
 * The forward pass of B sequences of T ids (ids flat, B·T of them, B·T ≤ store.rows) into the
 * store. With a cache (B = 1), the ids follow the cache's positions and their keys and values are
 * appended to it. Returns the number of logit rows written to store.logits. Allocates nothing once
 * the logits buffer is large enough (and, for B > 1, only small views).
 */
export function gptForwardKernels(
  store: ActivationStore, params: GptParams, c: ResolvedConfig, ids: ArrayLike<number>, B: number, T: number,
  cache: GptCache | undefined, logitRows: LogitRows,
): number {
  const C = c.nEmbd, H = c.nHead, D = C / H, hidden = 4 * C, scale = 1 / Math.sqrt(D), N = B * T;
  const offset = cache ? cache.length : 0;
  const tanh = c.gelu === "tanh";
  if (B === 1) embeddingForward(store.embed, ids, params.wte.data, params.wpe.data, T, C, offset);
  else for (let b = 0; b < B; b++) embeddingForward(store.embed.subarray(b * T * C), sequenceOf(ids, b, T), params.wte.data, params.wpe.data, T, C, 0);
  let x = store.embed;
  for (let i = 0; i < c.nLayer; i++) {
    const p = params.h[i], a = store.layers[i], layer = cache?.layers[i];
    layerNormForward(a.ln1, a.ln1Mean, a.ln1Rstd, x, p.ln1.weight.data, p.ln1.bias?.data ?? null, N, C, c.eps);
    linearKernel(a.qkv, a.ln1, p.attn.cAttn.weight.data, p.attn.cAttn.bias?.data ?? null, N, C, 3 * C);
    const k = layer ? layer.k : a.k, v = layer ? layer.v : a.v;
    const kvRows = layer ? layer.capacity : T, at = layer ? layer.length : 0;
    if (B === 1) splitQkvForward(a.q, k, v, a.qkv, T, H, D, kvRows, at);
    else for (let b = 0; b < B; b++) {
      const h = b * H * T * D;
      splitQkvForward(a.q.subarray(h), k.subarray(h), v.subarray(h), a.qkv.subarray(b * T * 3 * C), T, H, D, T, 0);
    }
    if (layer) layer.length = at + T;
    attentionKernel(a.heads, null, a.q, k, v, null, null, 0, B * H, T, at + T, D, D, scale, true, kvRows);
    mergeHeadsForward(a.merged, a.heads, B, H, T, D);
    linearKernel(a.attnOut, a.merged, p.attn.cProj.weight.data, p.attn.cProj.bias?.data ?? null, N, C, C);
    addInto(a.resid1, x, a.attnOut, N * C);
    layerNormForward(a.ln2, a.ln2Mean, a.ln2Rstd, a.resid1, p.ln2.weight.data, p.ln2.bias?.data ?? null, N, C, c.eps);
    linearKernel(a.fc, a.ln2, p.mlp.cFc.weight.data, p.mlp.cFc.bias?.data ?? null, N, C, hidden);
    geluKernel(a.act, a.fc, N * hidden, tanh);
    linearKernel(a.mlpOut, a.act, p.mlp.cProj.weight.data, p.mlp.cProj.bias?.data ?? null, N, hidden, C);
    addInto(a.resid2, a.resid1, a.mlpOut, N * C);
    x = a.resid2;
  }
  if (cache) (cache as { length: number }).length = offset + T;
  if (logitRows === "none") return 0;
  const rows = logitRows === "all" ? N : 1;
  x = finalResidual(store);
  if (rows < N) x.copyWithin(0, (N - 1) * C, N * C); // only the last position's logits are wanted (inference: x is scratch)
  layerNormForward(store.lnF, store.lnFMean, store.lnFRstd, x, params.lnF.weight.data, params.lnF.bias?.data ?? null, rows, C, c.eps);
  const head = params.lmHead ?? params.wte, V = c.vocabSize;
  if (store.logits.length < rows * V) store.logits = new Float32Array(rows * V);
  linearKernel(store.logits, store.lnF, head.data, null, rows, C, V);
  return rows;
}

/** out = x + y over n values (out may be x: the residual connection in place). */
function addInto(out: Float32Array, x: Float32Array, y: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = x[i] + y[i];
}

const stores = new WeakMap<GptWorkspace, ActivationStore>();

/**
 * The forward pass in a workspace (B = 1, inference): the workspace's buffers seen as an "infer"
 * store. Returns the number of logit rows written to ws.logits.
 */
export function forwardInWorkspace(
  params: GptParams, c: ResolvedConfig, ids: ArrayLike<number>, T: number,
  cache: GptCache | undefined, ws: GptWorkspace, logitRows: LogitRows,
): number {
  let store = stores.get(ws);
  if (store === undefined) stores.set(ws, (store = inferStore(c, ws.tokens, ws)));
  store.logits = ws.logits;
  const rows = gptForwardKernels(store, params, c, ids, 1, T, cache, logitRows);
  (ws as { logits: Float32Array }).logits = store.logits;
  return rows;
}
