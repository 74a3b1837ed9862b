// The activation store of a GPT forward pass (llm.c's ActivationTensors): one buffer per
// intermediate, named as gptForward's taps name them (`h.{i}.ln1`, `h.{i}.attn.q`, …, `lnF`,
// `logits`). The one kernel-level forward (./forward.ts) writes into it.
//   - "infer": every layer shares one set of buffers, and the residual stream is one buffer updated
//     in place (embed = resid1 = resid2, fc = act, attn.out = mlp.out): what gptForward's
//     workspace and generate use.
//   - "train": every layer keeps its own, plus the layer norms' row statistics — all that the
//     backward pass (./backward.ts) reads, and nothing it would not.
// Shapes for N = B·T rows: C = nEmbd, H = nHead, D = C/H; q, k, v and heads are [B, H, T, D].
import type { ResolvedConfig } from "./config";

/** One layer's buffers. In "infer" mode every layer's entry is the same object. */
export interface LayerActivations {
  ln1: Float32Array;
  ln1Mean: Float32Array | null;
  ln1Rstd: Float32Array | null;
  /** The fused projection [N, 3C] (shared by every layer: the backward does not read it). */
  qkv: Float32Array;
  q: Float32Array;
  k: Float32Array;
  v: Float32Array;
  /** Attention output by head (shared: the backward recomputes what it needs from q, k, v). */
  heads: Float32Array;
  merged: Float32Array;
  /** `attn.out` (shared). */
  attnOut: Float32Array;
  resid1: Float32Array;
  ln2: Float32Array;
  ln2Mean: Float32Array | null;
  ln2Rstd: Float32Array | null;
  /** `mlp.fc` [N, 4C], before the GELU. */
  fc: Float32Array;
  /** `mlp.act` [N, 4C], after it. */
  act: Float32Array;
  /** `mlp.out` (shared). */
  mlpOut: Float32Array;
  resid2: Float32Array;
}

export interface ActivationStore {
  readonly mode: "infer" | "train";
  /** The most rows (B·T) one forward pass may write. */
  readonly rows: number;
  /** `embed.sum` [N, C]. */
  readonly embed: Float32Array;
  readonly layers: readonly LayerActivations[];
  readonly lnF: Float32Array;
  readonly lnFMean: Float32Array | null;
  readonly lnFRstd: Float32Array | null;
  /** [rows, V], grown by the forward when it needs more. */
  logits: Float32Array;
}

/** The buffers of an inference pass, over the given ones (a workspace's), one set for all layers. */
export function inferStore(
  c: ResolvedConfig, rows: number,
  b: { x: Float32Array; ln: Float32Array; qkv: Float32Array; q: Float32Array; k: Float32Array; v: Float32Array; heads: Float32Array; merged: Float32Array; proj: Float32Array; fc: Float32Array; logits: Float32Array },
): ActivationStore {
  const layer: LayerActivations = {
    ln1: b.ln, ln1Mean: null, ln1Rstd: null, qkv: b.qkv, q: b.q, k: b.k, v: b.v, heads: b.heads, merged: b.merged,
    attnOut: b.proj, resid1: b.x, ln2: b.ln, ln2Mean: null, ln2Rstd: null, fc: b.fc, act: b.fc, mlpOut: b.proj, resid2: b.x,
  };
  return {
    mode: "infer", rows, embed: b.x, layers: Array.from({ length: c.nLayer }, () => layer),
    lnF: b.ln, lnFMean: null, lnFRstd: null, logits: b.logits,
  };
}

/** The buffers of a training pass over up to `rows` = B·T rows, made by f: every layer its own. */
export function trainStore(c: ResolvedConfig, rows: number, f: (n: number) => Float32Array): ActivationStore {
  const C = c.nEmbd, N = rows;
  const qkv = f(N * 3 * C), heads = f(N * C), attnOut = f(N * C), mlpOut = f(N * C);
  const layers = Array.from({ length: c.nLayer }, (): LayerActivations => ({
    ln1: f(N * C), ln1Mean: f(N), ln1Rstd: f(N), qkv, q: f(N * C), k: f(N * C), v: f(N * C), heads, merged: f(N * C),
    attnOut, resid1: f(N * C), ln2: f(N * C), ln2Mean: f(N), ln2Rstd: f(N), fc: f(N * 4 * C), act: f(N * 4 * C), mlpOut,
    resid2: f(N * C),
  }));
  return { mode: "train", rows, embed: f(N * C), layers, lnF: f(N * C), lnFMean: f(N), lnFRstd: f(N), logits: f(N * c.vocabSize) };
}

/** The floats a training store keeps per row (token), what the backward pass reads. */
export function trainFloatsPerRow(c: Pick<ResolvedConfig, "nEmbd" | "nLayer" | "vocabSize">): number {
  const C = c.nEmbd;
  return C + c.nLayer * (16 * C + 4) + C + 2 + c.vocabSize;
}

/** The per-layer buffers by the names gptForward's taps use, with their width per row (`[N, width]` or head layout). */
export const LAYER_NAMES = [
  ["ln1", "ln1"], ["attn.q", "q"], ["attn.k", "k"], ["attn.v", "v"], ["attn.merged", "merged"], ["resid1", "resid1"],
  ["ln2", "ln2"], ["mlp.fc", "fc"], ["mlp.act", "act"], ["resid2", "resid2"],
] as const satisfies readonly (readonly [string, keyof LayerActivations])[];

/** Sequence b of a flat batch of B·T ids (a view where ids is a typed array). */
export function sequenceOf(ids: ArrayLike<number>, b: number, T: number): ArrayLike<number> {
  return ArrayBuffer.isView(ids) ? (ids as Int32Array).subarray(b * T, (b + 1) * T) : Array.prototype.slice.call(ids, b * T, (b + 1) * T);
}

/** The last residual stream: what the final layer norm reads. */
export function finalResidual(store: ActivationStore): Float32Array {
  return store.layers.length === 0 ? store.embed : store.layers[store.layers.length - 1].resid2;
}
