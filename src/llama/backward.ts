/**
 * The Llama backward pass, kernel by kernel, through the activations that the one kernel-level
 * forward (workspace.ts's llamaForwardKernels) keeps for every layer in training mode.
 * Shapes: T ids of one sequence; C = nEmbd, H = nHead, Hkv = nKvHead, D = C/H, I = intermediateSize.
 * @module
 */
import { embeddingBackwardKernel } from "../kernels/embedding";
import { rmsNormBackwardKernel } from "../kernels/norm";
import { linearBackwardKernel } from "../kernels/linear";
import { ropeTokensBackward } from "../kernels/positional";
import { ropeAttentionFactor, ropeFreqFactors } from "./rope-scaling";
import type { AttentionVariant } from "../kernels/attention";
import { attentionBackwardKernel } from "../kernels/attention-backward";
import { siluGatedBackward } from "../kernels/activation";
import { mergeHeadsForward, splitHeadsForward } from "../kernels/heads";
import { type LlamaLayerBuffers, type LlamaWorkspace, llamaForwardKernels, llamaWorkspaceIn } from "./workspace";
import { crossEntropyBackwardKernel, crossEntropyKernel } from "../kernels/loss";
import type { ResolvedLlamaConfig } from "./config";
import type { LlamaParams } from "./params";

/** The training buffers of one Llama at one sequence length, reused between steps: the forward's
 * workspace, each layer's own activations, and the backward's scratch. */
export interface LlamaTrainStore {
  readonly T: number;
  readonly ws: LlamaWorkspace;
  readonly layers: LlamaLayerBuffers[];
  readonly rstdF: Float32Array;
  readonly dx: Float32Array; readonly dln: Float32Array; readonly dmerged: Float32Array; readonly dheads: Float32Array;
  readonly dq: Float32Array; readonly dk: Float32Array; readonly dv: Float32Array;
  readonly dqProj: Float32Array; readonly dkProj: Float32Array; readonly dvProj: Float32Array;
  readonly dhidden: Float32Array; readonly dgate: Float32Array; readonly dup: Float32Array;
}

/** The training buffers for sequences of T, made by f. */
export function llamaTrainStore(c: ResolvedLlamaConfig, T: number, f: (n: number) => Float32Array): LlamaTrainStore {
  const C = c.nEmbd, D = C / c.nHead, kvC = c.nKvHead * D, I = c.intermediateSize;
  const layers = Array.from({ length: c.nLayer }, (): LlamaLayerBuffers => ({
    xIn: f(T * C), xMid: f(T * C), ln1: f(T * C), rstd1: f(T), ln2: f(T * C), rstd2: f(T),
    q: f(T * C), k: f(T * kvC), v: f(T * kvC), merged: f(T * C), gate: f(T * I), up: f(T * I), hidden: f(T * I),
  }));
  return {
    T, ws: llamaWorkspaceIn(c, T, f, T), layers, rstdF: f(T),
    dx: f(T * C), dln: f(T * C), dmerged: f(T * C), dheads: f(T * C), dq: f(T * C), dk: f(T * kvC), dv: f(T * kvC),
    dqProj: f(T * C), dkProj: f(T * kvC), dvProj: f(T * kvC), dhidden: f(T * I), dgate: f(T * I), dup: f(T * I),
  };
}

/** The one kernel-level forward (llamaForwardKernels) over one sequence, every layer's activations kept; logits for every position in `s.ws.logits`. */
export function llamaTrainForward(s: LlamaTrainStore, params: LlamaParams, c: ResolvedLlamaConfig, ids: ArrayLike<number>): void {
  llamaForwardKernels(s.ws, params, c, ids, s.T, undefined, "all", { layers: s.layers, rstdF: s.rstdF });
}

/** Gradient buffers by parameter, as {@link llamaTrainBackward} adds into them. */
export interface LlamaGradBuffers {
  wte: Float32Array;
  lmHead: Float32Array | null;
  lnF: Float32Array;
  h: {
    ln1: Float32Array; ln2: Float32Array;
    q: Float32Array; qBias: Float32Array | null; k: Float32Array; kBias: Float32Array | null; v: Float32Array; vBias: Float32Array | null; o: Float32Array;
    gate: Float32Array; gateBias: Float32Array | null; up: Float32Array; upBias: Float32Array | null; down: Float32Array; downBias: Float32Array | null;
  }[];
}

/**
 * The loss of one sequence (summed over its targets that are not −1) after {@link llamaTrainForward},
 * and its gradient times `scale` added into `g`. Overwrites the store's logits with their gradient.
 */
export function llamaTrainBackward(s: LlamaTrainStore, params: LlamaParams, c: ResolvedLlamaConfig, ids: ArrayLike<number>, targets: ArrayLike<number>, scale: number, g: LlamaGradBuffers): number {
  const T = s.T, C = c.nEmbd, H = c.nHead, Hkv = c.nKvHead, D = C / H, kvC = Hkv * D, I = c.intermediateSize, V = c.vocabSize;
  const variant: AttentionVariant = { group: H / Hkv, window: c.window ?? 0, slopes: null };
  const logits = s.ws.logits;
  const loss = crossEntropyKernel(logits, targets, T, V);
  crossEntropyBackwardKernel(logits, logits, targets, T, V, scale);
  const head = params.lmHead ?? params.wte;
  s.dln.fill(0);
  linearBackwardKernel(s.dln, g.lmHead ?? g.wte, null, logits, s.ws.ln, head.data, T, C, V);
  s.dx.fill(0);
  rmsNormBackwardKernel(s.dx, g.lnF, s.dln, s.ws.x, params.lnF.weight.data, s.rstdF, T, C);
  for (let i = c.nLayer - 1; i >= 0; i--) {
    const p = params.h[i], a = s.layers[i], gi = g.h[i];
    // the MLP: x = xMid + down(act(gate(ln2)) · up(ln2))
    s.dhidden.fill(0);
    linearBackwardKernel(s.dhidden, gi.down, gi.downBias, s.dx, a.hidden, p.mlp.down.weight.data, T, I, C);
    siluGatedBackward(s.dgate, s.dup, s.dhidden, a.gate, a.up, T * I);
    s.dln.fill(0);
    linearBackwardKernel(s.dln, gi.gate, gi.gateBias, s.dgate, a.ln2, p.mlp.gate.weight.data, T, C, I);
    linearBackwardKernel(s.dln, gi.up, gi.upBias, s.dup, a.ln2, p.mlp.up.weight.data, T, C, I);
    rmsNormBackwardKernel(s.dx, gi.ln2, s.dln, a.xMid!, p.ln2.weight.data, a.rstd2!, T, C);
    // attention: xMid = xIn + o(attention(rope(q(ln1)), rope(k(ln1)), v(ln1)))
    s.dmerged.fill(0);
    linearBackwardKernel(s.dmerged, gi.o, null, s.dx, a.merged, p.attn.o.weight.data, T, C, C);
    splitHeadsForward(s.dheads, s.dmerged, T, H, D, T, 0);
    s.dq.fill(0); s.dk.fill(0); s.dv.fill(0);
    attentionBackwardKernel(s.dq, s.dk, s.dv, s.dheads, a.q, a.k, a.v, null, null, 0, H, T, T, D, D, 1 / Math.sqrt(D), true, variant);
    mergeHeadsForward(s.dqProj, s.dq, 1, H, T, D);
    mergeHeadsForward(s.dkProj, s.dk, 1, Hkv, T, D);
    mergeHeadsForward(s.dvProj, s.dv, 1, Hkv, T, D);
    const factors = ropeFreqFactors(c.ropeScaling, D, c.ropeTheta), mscale = ropeAttentionFactor(c.ropeScaling);
    ropeTokensBackward(s.dqProj, T, H, D, 0, c.ropeTheta, false, factors, mscale);
    ropeTokensBackward(s.dkProj, T, Hkv, D, 0, c.ropeTheta, false, factors, mscale);
    s.dln.fill(0);
    linearBackwardKernel(s.dln, gi.q, gi.qBias, s.dqProj, a.ln1, p.attn.q.weight.data, T, C, C);
    linearBackwardKernel(s.dln, gi.k, gi.kBias, s.dkProj, a.ln1, p.attn.k.weight.data, T, C, kvC);
    linearBackwardKernel(s.dln, gi.v, gi.vBias, s.dvProj, a.ln1, p.attn.v.weight.data, T, C, kvC);
    rmsNormBackwardKernel(s.dx, gi.ln1, s.dln, a.xIn!, p.ln1.weight.data, a.rstd1!, T, C);
  }
  embeddingBackwardKernel(g.wte, null, s.dx, ids, T, C, 0);
  return loss;
}
