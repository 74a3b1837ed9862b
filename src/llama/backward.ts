/**
 * The Llama forward pass in training mode (every layer's activations kept) and the backward pass
 * through them, kernel by kernel — the same kernels as the inference workspace, in the same order.
 * Shapes: T ids of one sequence; C = nEmbd, H = nHead, Hkv = nKvHead, D = C/H, I = intermediateSize.
 * @module
 */
import { embeddingBackwardKernel, embeddingForward } from "../kernels/embedding";
import { rmsNormBackwardKernel, rmsNormForward } from "../kernels/norm";
import { linearBackwardKernel, linearKernel } from "../kernels/linear";
import { ropeTokensBackward, ropeTokensForward } from "../kernels/positional";
import { type AttentionVariant, attentionKernel } from "../kernels/attention";
import { attentionBackwardKernel } from "../kernels/attention-backward";
import { gatedForward, siluGatedBackward } from "../kernels/activation";
import { mergeHeadsForward, splitHeadsForward } from "../kernels/heads";
import { crossEntropyBackwardKernel, crossEntropyKernel } from "../kernels/loss";
import type { ResolvedLlamaConfig } from "./config";
import type { LlamaParams } from "./params";

/** What one layer's backward reads, kept by the forward. */
interface LayerActivations {
  /** The residual stream into the layer `[T, C]`, and after its attention `[T, C]`. */
  xIn: Float32Array;
  xMid: Float32Array;
  /** RMSNorm outputs `[T, C]` and their reciprocal RMS `[T]`. */
  ln1: Float32Array; rstd1: Float32Array;
  ln2: Float32Array; rstd2: Float32Array;
  /** q `[H, T, D]` and k `[Hkv, T, D]` rotated, v `[Hkv, T, D]`. */
  q: Float32Array; k: Float32Array; v: Float32Array;
  /** Attention output merged `[T, C]`. */
  merged: Float32Array;
  /** The MLP's gate and up before the activation, and act(gate)·up `[T, I]`. */
  gate: Float32Array; up: Float32Array; hidden: Float32Array;
}

/** The training buffers of one Llama at one sequence length, reused between steps. */
export interface LlamaTrainStore {
  readonly T: number;
  readonly layers: LayerActivations[];
  readonly x: Float32Array;
  readonly lnF: Float32Array;
  readonly rstdF: Float32Array;
  readonly logits: Float32Array;
  /** Scratch for the backward: projections before the head split and their gradients. */
  readonly qProj: Float32Array; readonly kProj: Float32Array; readonly vProj: Float32Array; readonly heads: Float32Array;
  readonly dx: Float32Array; readonly dln: Float32Array; readonly dmerged: Float32Array; readonly dheads: Float32Array;
  readonly dq: Float32Array; readonly dk: Float32Array; readonly dv: Float32Array;
  readonly dqProj: Float32Array; readonly dkProj: Float32Array; readonly dvProj: Float32Array;
  readonly dhidden: Float32Array; readonly dgate: Float32Array; readonly dup: Float32Array;
}

export function llamaTrainStore(c: ResolvedLlamaConfig, T: number): LlamaTrainStore {
  const C = c.nEmbd, D = C / c.nHead, kvC = c.nKvHead * D, I = c.intermediateSize;
  const f = (n: number) => new Float32Array(n);
  const layers = Array.from({ length: c.nLayer }, (): LayerActivations => ({
    xIn: f(T * C), xMid: f(T * C), ln1: f(T * C), rstd1: f(T), ln2: f(T * C), rstd2: f(T),
    q: f(T * C), k: f(T * kvC), v: f(T * kvC), merged: f(T * C), gate: f(T * I), up: f(T * I), hidden: f(T * I),
  }));
  return {
    T, layers, x: f(T * C), lnF: f(T * C), rstdF: f(T), logits: f(T * c.vocabSize),
    qProj: f(T * C), kProj: f(T * kvC), vProj: f(T * kvC), heads: f(T * C),
    dx: f(T * C), dln: f(T * C), dmerged: f(T * C), dheads: f(T * C), dq: f(T * C), dk: f(T * kvC), dv: f(T * kvC),
    dqProj: f(T * C), dkProj: f(T * kvC), dvProj: f(T * kvC), dhidden: f(T * I), dgate: f(T * I), dup: f(T * I),
  };
}

const bias = (l: { bias?: { data: Float32Array } | null }) => l.bias?.data ?? null;

/** The forward pass of one sequence (positions 0 … T − 1), keeping what the backward reads; logits for every position. */
export function llamaTrainForward(s: LlamaTrainStore, params: LlamaParams, c: ResolvedLlamaConfig, ids: ArrayLike<number>): void {
  const T = s.T, C = c.nEmbd, H = c.nHead, Hkv = c.nKvHead, D = C / H, kvC = Hkv * D, I = c.intermediateSize;
  const variant: AttentionVariant = { group: H / Hkv, window: c.window ?? 0, slopes: null };
  embeddingForward(s.x, ids, params.wte.data, null, T, C, 0);
  for (let i = 0; i < c.nLayer; i++) {
    const p = params.h[i], a = s.layers[i];
    a.xIn.set(s.x);
    rmsNormForward(a.ln1, a.rstd1, s.x, p.ln1.weight.data, T, C, c.eps);
    linearKernel(s.qProj, a.ln1, p.attn.q.weight.data, bias(p.attn.q), T, C, C);
    linearKernel(s.kProj, a.ln1, p.attn.k.weight.data, bias(p.attn.k), T, C, kvC);
    linearKernel(s.vProj, a.ln1, p.attn.v.weight.data, bias(p.attn.v), T, C, kvC);
    ropeTokensForward(s.qProj, T, H, D, 0, c.ropeTheta, false);
    ropeTokensForward(s.kProj, T, Hkv, D, 0, c.ropeTheta, false);
    splitHeadsForward(a.q, s.qProj, T, H, D, T, 0);
    splitHeadsForward(a.k, s.kProj, T, Hkv, D, T, 0);
    splitHeadsForward(a.v, s.vProj, T, Hkv, D, T, 0);
    attentionKernel(s.heads, null, a.q, a.k, a.v, null, null, 0, H, T, T, D, D, 1 / Math.sqrt(D), true, T, variant);
    mergeHeadsForward(a.merged, s.heads, 1, H, T, D);
    linearKernel(s.qProj, a.merged, p.attn.o.weight.data, null, T, C, C); // qProj as scratch: the attention's projection
    addInPlace(s.x, s.qProj, T * C);
    a.xMid.set(s.x);
    rmsNormForward(a.ln2, a.rstd2, s.x, p.ln2.weight.data, T, C, c.eps);
    linearKernel(a.gate, a.ln2, p.mlp.gate.weight.data, bias(p.mlp.gate), T, C, I);
    linearKernel(a.up, a.ln2, p.mlp.up.weight.data, bias(p.mlp.up), T, C, I);
    gatedForward(a.hidden, a.gate, a.up, T * I, "silu");
    linearKernel(s.qProj, a.hidden, p.mlp.down.weight.data, bias(p.mlp.down), T, I, C);
    addInPlace(s.x, s.qProj, T * C);
  }
  rmsNormForward(s.lnF, s.rstdF, s.x, params.lnF.weight.data, T, C, c.eps);
  linearKernel(s.logits, s.lnF, (params.lmHead ?? params.wte).data, null, T, C, c.vocabSize);
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
  const loss = crossEntropyKernel(s.logits, targets, T, V);
  crossEntropyBackwardKernel(s.logits, s.logits, targets, T, V, scale);
  const head = params.lmHead ?? params.wte;
  s.dln.fill(0);
  linearBackwardKernel(s.dln, g.lmHead ?? g.wte, null, s.logits, s.lnF, head.data, T, C, V);
  s.dx.fill(0);
  rmsNormBackwardKernel(s.dx, g.lnF, s.dln, s.x, params.lnF.weight.data, s.rstdF, T, C);
  for (let i = c.nLayer - 1; i >= 0; i--) {
    const p = params.h[i], a = s.layers[i], gi = g.h[i];
    // the MLP: x = xMid + down(act(gate(ln2)) · up(ln2))
    s.dhidden.fill(0);
    linearBackwardKernel(s.dhidden, gi.down, gi.downBias, s.dx, a.hidden, p.mlp.down.weight.data, T, I, C);
    siluGatedBackward(s.dgate, s.dup, s.dhidden, a.gate, a.up, T * I);
    s.dln.fill(0);
    linearBackwardKernel(s.dln, gi.gate, gi.gateBias, s.dgate, a.ln2, p.mlp.gate.weight.data, T, C, I);
    linearBackwardKernel(s.dln, gi.up, gi.upBias, s.dup, a.ln2, p.mlp.up.weight.data, T, C, I);
    rmsNormBackwardKernel(s.dx, gi.ln2, s.dln, a.xMid, p.ln2.weight.data, a.rstd2, T, C);
    // attention: xMid = xIn + o(attention(rope(q(ln1)), rope(k(ln1)), v(ln1)))
    s.dmerged.fill(0);
    linearBackwardKernel(s.dmerged, gi.o, null, s.dx, a.merged, p.attn.o.weight.data, T, C, C);
    splitHeadsForward(s.dheads, s.dmerged, T, H, D, T, 0);
    s.dq.fill(0); s.dk.fill(0); s.dv.fill(0);
    attentionBackwardKernel(s.dq, s.dk, s.dv, s.dheads, a.q, a.k, a.v, null, null, 0, H, T, T, D, D, 1 / Math.sqrt(D), true, variant);
    mergeHeadsForward(s.dqProj, s.dq, 1, H, T, D);
    mergeHeadsForward(s.dkProj, s.dk, 1, Hkv, T, D);
    mergeHeadsForward(s.dvProj, s.dv, 1, Hkv, T, D);
    ropeTokensBackward(s.dqProj, T, H, D, 0, c.ropeTheta, false);
    ropeTokensBackward(s.dkProj, T, Hkv, D, 0, c.ropeTheta, false);
    s.dln.fill(0);
    linearBackwardKernel(s.dln, gi.q, gi.qBias, s.dqProj, a.ln1, p.attn.q.weight.data, T, C, C);
    linearBackwardKernel(s.dln, gi.k, gi.kBias, s.dkProj, a.ln1, p.attn.k.weight.data, T, C, kvC);
    linearBackwardKernel(s.dln, gi.v, gi.vBias, s.dvProj, a.ln1, p.attn.v.weight.data, T, C, kvC);
    rmsNormBackwardKernel(s.dx, gi.ln1, s.dln, a.xIn, p.ln1.weight.data, a.rstd1, T, C);
  }
  embeddingBackwardKernel(g.wte, null, s.dx, ids, T, C, 0);
  return loss;
}

function addInPlace(x: Float32Array, y: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) x[i] += y[i];
}
