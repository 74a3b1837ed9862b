// The GPT backward pass over a "train" activation store (./activations.ts) that the one
// kernel-level forward (./forward.ts) filled: llm.c's gpt2_backward, layer by layer in reverse,
// each op's backward kernel beside its forward. Gradients are added into `grads` (zero it first).
import type { GptParams } from "./params";
import type { ResolvedConfig } from "./config";
import { type ActivationStore, finalResidual, sequenceOf } from "./activations";
import { crossEntropyBackwardKernel, crossEntropyKernel } from "../kernels/loss";
import { linearBackwardKernel } from "../kernels/linear";
import { layerNormBackwardKernel } from "../kernels/norm";
import { geluBackwardKernel } from "../kernels/activation";
import { attentionBackwardKernel } from "../kernels/attention-backward";
import { mergeHeadsBackward, splitQkvBackward } from "../kernels/heads";
import { embeddingBackwardKernel } from "../kernels/embedding";

/** Gradient buffers the backward pass works in, for up to `rows` = B·T rows. */
export interface BackwardScratch {
  readonly rows: number;
  /** The residual stream's gradient [N, C], carried down through the layers. */
  readonly dres: Float32Array;
  readonly dln: Float32Array;
  readonly dqkv: Float32Array;
  readonly dq: Float32Array;
  readonly dk: Float32Array;
  readonly dv: Float32Array;
  readonly dheads: Float32Array;
  readonly dfc: Float32Array;
  readonly dact: Float32Array;
}

export function backwardScratch(c: ResolvedConfig, rows: number, f: (n: number) => Float32Array): BackwardScratch {
  const C = c.nEmbd, N = rows;
  return {
    rows, dres: f(N * C), dln: f(N * C), dqkv: f(N * 3 * C), dq: f(N * C), dk: f(N * C), dv: f(N * C), dheads: f(N * C),
    dfc: f(N * 4 * C), dact: f(N * 4 * C),
  };
}

/** The gradient of every parameter, shaped as GptParams without its config. */
export type GptGradsLike = Omit<GptParams, "config">;

/**
 * The mean cross-entropy of the logits in the store against `targets` (flat, B·T, −1 ignored), and
 * its gradient with respect to every parameter, added into grads. Overwrites store.logits with
 * dlogits. Returns the loss (NaN when every target is ignored; the gradients are then 0).
 */
export function gptBackwardKernels(
  store: ActivationStore, s: BackwardScratch, params: GptParams, c: ResolvedConfig,
  ids: ArrayLike<number>, targets: ArrayLike<number>, B: number, T: number, grads: GptGradsLike,
): number {
  const C = c.nEmbd, H = c.nHead, D = C / H, V = c.vocabSize, N = B * T, hidden = 4 * C, scale = 1 / Math.sqrt(D);
  let count = 0;
  for (let i = 0; i < N; i++) if (targets[i] !== -1) count++;
  const loss = crossEntropyKernel(store.logits, targets, N, V) / count;
  const dlogits = store.logits;
  crossEntropyBackwardKernel(dlogits, store.logits, targets, N, V, count === 0 ? 0 : 1 / count);

  // LM head (tied: into wte's gradient, which the embedding adds to below), then the final layer norm
  const head = params.lmHead ?? params.wte, dhead = (grads.lmHead ?? grads.wte).data;
  const { dres, dln, dqkv, dq, dk, dv, dheads, dfc, dact } = s;
  dln.fill(0, 0, N * C);
  linearBackwardKernel(dln, dhead, null, dlogits, store.lnF, head.data, N, C, V);
  dres.fill(0, 0, N * C);
  layerNormBackwardKernel(dres, grads.lnF.weight.data, grads.lnF.bias?.data ?? null, dln, finalResidual(store), params.lnF.weight.data, store.lnFMean!, store.lnFRstd!, N, C);

  for (let i = c.nLayer - 1; i >= 0; i--) {
    const p = params.h[i], g = grads.h[i], a = store.layers[i];
    const x = i === 0 ? store.embed : store.layers[i - 1].resid2;
    // resid2 = resid1 + mlp(ln2(resid1)): dres flows on unchanged and into the MLP
    dact.fill(0, 0, N * hidden);
    linearBackwardKernel(dact, g.mlp.cProj.weight.data, g.mlp.cProj.bias?.data ?? null, dres, a.act, p.mlp.cProj.weight.data, N, hidden, C);
    dfc.fill(0, 0, N * hidden);
    geluBackwardKernel(dfc, dact, a.fc, N * hidden, c.gelu === "tanh");
    dln.fill(0, 0, N * C);
    linearBackwardKernel(dln, g.mlp.cFc.weight.data, g.mlp.cFc.bias?.data ?? null, dfc, a.ln2, p.mlp.cFc.weight.data, N, C, hidden);
    layerNormBackwardKernel(dres, g.ln2.weight.data, g.ln2.bias?.data ?? null, dln, a.resid1, p.ln2.weight.data, a.ln2Mean!, a.ln2Rstd!, N, C);
    // resid1 = x + attn(ln1(x))
    dln.fill(0, 0, N * C); // dmerged
    linearBackwardKernel(dln, g.attn.cProj.weight.data, g.attn.cProj.bias?.data ?? null, dres, a.merged, p.attn.cProj.weight.data, N, C, C);
    mergeHeadsBackward(dheads, dln, B, H, T, D);
    dq.fill(0, 0, N * C);
    dk.fill(0, 0, N * C);
    dv.fill(0, 0, N * C);
    attentionBackwardKernel(dq, dk, dv, dheads, a.q, a.k, a.v, null, null, 0, B * H, T, T, D, D, scale, true);
    for (let b = 0; b < B; b++) {
      const h = b * H * T * D;
      splitQkvBackward(dqkv.subarray(b * T * 3 * C), dq.subarray(h), dk.subarray(h), dv.subarray(h), T, H, D);
    }
    dln.fill(0, 0, N * C);
    linearBackwardKernel(dln, g.attn.cAttn.weight.data, g.attn.cAttn.bias?.data ?? null, dqkv, a.ln1, p.attn.cAttn.weight.data, N, C, 3 * C);
    layerNormBackwardKernel(dres, g.ln1.weight.data, g.ln1.bias?.data ?? null, dln, x, p.ln1.weight.data, a.ln1Mean!, a.ln1Rstd!, N, C);
  }
  for (let b = 0; b < B; b++) {
    embeddingBackwardKernel(grads.wte.data, grads.wpe.data, dres.subarray(b * T * C), sequenceOf(ids, b, T), T, C, 0);
  }
  return loss;
}
