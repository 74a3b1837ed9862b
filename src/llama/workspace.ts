/**
 * The Llama forward pass kernel by kernel, in a workspace allocated once (the production path of
 * {@link llamaForward} and of `generate`). Its buffers carry the names `llamaForward`'s tap uses.
 * @module
 */
import type { Weight } from "../weight";
import type { KVCache } from "../attention";
import { kvCacheIn } from "../internal/kv-cache";
import { halfKvCachesIn, syncHalfCache } from "../internal/kv-half";
import { checkInteger, checkOptions } from "../internal/check";
import { rmsNormForward } from "../kernels/norm";
import { embeddingWeightKernel, linearWeightKernel } from "../kernels/linear-typed";
import { ropeTokensForward } from "../kernels/positional";
import { ropeAttentionFactor, ropeFreqFactors } from "./rope-scaling";
import { type AttentionVariant, attentionKernel } from "../kernels/attention";
import { gatedForward } from "../kernels/activation";
import { siluGatedWasm } from "../kernels/wasm";
import { mergeHeadsForward, splitHeadsForward } from "../kernels/heads";
import type { LlamaConfig, ResolvedLlamaConfig } from "./config";
import { resolveLlamaConfig } from "./config";
import type { LlamaParams } from "./params";
import { residualAdd } from "../kernels/residual";

/** KV caches for every layer of a Llama (each holding nKvHead heads), and how many positions they hold. @category 24 · Llama */
export interface LlamaCache {
  readonly layers: KVCache[];
  /** Positions filled; the next token's position. */
  readonly length: number;
}

/**
 * An empty KV cache for a Llama: `2 · nLayer · nKvHead · blockSize · D` floats — H / Hkv times
 * smaller than a multi-head model's of the same width.
 * @param config - the model's config
 * @category 24 · Llama
 * @example
 * ```ts
 * const cache = createLlamaCache(params.config);
 * llamaForward(params, [1, 2, 3], { cache }); // cache.length is now 3
 * ```
 */
export function createLlamaCache(config: LlamaConfig): LlamaCache {
  return llamaCacheIn(resolveLlamaConfig("createLlamaCache", config), (n) => new Float32Array(n));
}

/** An empty cache for a resolved config, its arrays from `floats` (a generation's residency); with `halves`, in binary16 (internal/kv-half.ts). */
export function llamaCacheIn(c: ResolvedLlamaConfig, floats: (n: number) => Float32Array, halves?: (n: number) => Uint16Array): LlamaCache {
  const s = { nHead: c.nHead, nKvHead: c.nKvHead, headSize: c.nEmbd / c.nHead, capacity: c.blockSize, batch: 1 };
  if (halves) return { layers: halfKvCachesIn(s, c.nLayer, floats, halves), length: 0 };
  return { layers: Array.from({ length: c.nLayer }, () => kvCacheIn(s, floats)), length: 0 };
}

/**
 * Buffers for {@link llamaForward}'s `workspace` option, named after the intermediates they hold.
 * One set serves every layer in turn. C = nEmbd, I = intermediateSize, D = C/H.
 * @category 24 · Llama
 */
export interface LlamaWorkspace {
  readonly tokens: number;
  readonly config: ResolvedLlamaConfig;
  /** The residual stream `[tokens, C]`, updated in place. */
  readonly x: Float32Array;
  /** RMSNorm output `[tokens, C]` (`h.i.ln1`, `h.i.ln2`, `lnF`). */
  readonly ln: Float32Array;
  /** The projections before the split into heads: q `[tokens, H·D]`, k and v `[tokens, Hkv·D]`. */
  readonly qProj: Float32Array;
  readonly kProj: Float32Array;
  readonly vProj: Float32Array;
  /** q by head `[H, tokens, D]`, rotated (`h.i.attn.q`); k and v `[Hkv, tokens, D]` when there is no cache. */
  readonly q: Float32Array;
  readonly k: Float32Array;
  readonly v: Float32Array;
  /** Attention output by head `[H, tokens, D]`, merged `[tokens, C]`. */
  readonly heads: Float32Array;
  readonly merged: Float32Array;
  /** A projection's output `[tokens, C]` (`h.i.attn.out`, `h.i.mlp.out`). */
  readonly proj: Float32Array;
  /** The gated MLP's `gate` and `up` `[tokens, I]`; gate becomes act(gate)·up in place (`h.i.mlp.hidden`). */
  readonly gate: Float32Array;
  readonly up: Float32Array;
  /** Logits `[rows, V]`, grown when a call needs more rows. */
  readonly logits: Float32Array;
}

/**
 * Allocates the buffers of a Llama forward pass over up to `tokens` tokens.
 * @param config - the model's config
 * @param options - `tokens` (default 1)
 * @category 24 · Llama
 * @example
 * ```ts
 * const workspace = createLlamaWorkspace(params.config, { tokens: 64 });
 * const logits = llamaForward(params, ids, { cache, workspace, logits: "last" });
 * ```
 */
export function createLlamaWorkspace(config: LlamaConfig, options?: { tokens?: number }): LlamaWorkspace {
  const fn = "createLlamaWorkspace";
  const c = resolveLlamaConfig(fn, config);
  const { tokens = 1 } = checkOptions(fn, options, ["tokens"]);
  checkInteger(fn, "tokens", tokens, 1, c.blockSize);
  return llamaWorkspaceIn(c, tokens, (size) => new Float32Array(size));
}

/** A workspace (config resolved, tokens checked) whose buffers come from `floats` (a generation's residency), with `logitRows` rows of logits made up front. */
export function llamaWorkspaceIn(c: ResolvedLlamaConfig, tokens: number, f: (n: number) => Float32Array, logitRows = 0): LlamaWorkspace {
  const C = c.nEmbd, D = C / c.nHead, kvC = c.nKvHead * D, I = c.intermediateSize, n = tokens;
  return {
    tokens, config: c, x: f(n * C), ln: f(n * C), qProj: f(n * C), kProj: f(n * kvC), vProj: f(n * kvC),
    q: f(n * C), k: f(n * kvC), v: f(n * kvC), heads: f(n * C), merged: f(n * C), proj: f(n * C),
    gate: f(n * I), up: f(n * I), logits: f(logitRows * c.vocabSize),
  };
}

/**
 * Where one layer's forward writes what it computes: the workspace's one set, reused by every layer
 * (inference), or that layer's own set, kept for the backward pass (training: llama/backward.ts).
 * `hidden` may be `gate` (act(gate)·up in place); `rstd*`, `xIn`, `xMid` are kept only when given.
 */
export interface LlamaLayerBuffers {
  ln1: Float32Array; rstd1: Float32Array | null;
  q: Float32Array; k: Float32Array; v: Float32Array;
  merged: Float32Array;
  ln2: Float32Array; rstd2: Float32Array | null;
  gate: Float32Array; up: Float32Array; hidden: Float32Array;
  /** The residual stream into the layer, and after its attention. */
  xIn: Float32Array | null; xMid: Float32Array | null;
}

/** The workspace's own layer buffers, made once per workspace (a generation step allocates nothing). */
const sharedLayers = new WeakMap<LlamaWorkspace, LlamaLayerBuffers>();
function sharedLayer(ws: LlamaWorkspace): LlamaLayerBuffers {
  let b = sharedLayers.get(ws);
  if (b === undefined) {
    b = { ln1: ws.ln, rstd1: null, q: ws.q, k: ws.k, v: ws.v, merged: ws.merged, ln2: ws.ln, rstd2: null, gate: ws.gate, up: ws.up, hidden: ws.gate, xIn: null, xMid: null };
    sharedLayers.set(ws, b);
  }
  return b;
}

/**
 * The forward pass of T ids in the workspace, kernel by kernel: with a cache, after its positions,
 * appending to it. Returns the number of logit rows written to ws.logits (0, 1 or T). With `keep`
 * (training), layer i writes to `keep.layers[i]` and the final norm's reciprocal RMS to `keep.rstdF`;
 * without it every layer reuses the workspace's one set.
 * This is the one kernel-level Llama forward: inference, generation and training all run it.
 */
export function llamaForwardKernels(
  ws: LlamaWorkspace, params: LlamaParams<Weight>, c: ResolvedLlamaConfig, ids: ArrayLike<number>, T: number,
  cache: LlamaCache | undefined, logitRows: "all" | "last" | "none",
  keep?: { layers: readonly LlamaLayerBuffers[]; rstdF: Float32Array },
): number {
  const C = c.nEmbd, H = c.nHead, Hkv = c.nKvHead, D = C / H, kvC = Hkv * D, I = c.intermediateSize;
  const offset = cache ? cache.length : 0, scale = 1 / Math.sqrt(D), factors = ropeFreqFactors(c.ropeScaling, D, c.ropeTheta), mscale = ropeAttentionFactor(c.ropeScaling);
  const variant: AttentionVariant = { group: H / Hkv, window: c.window ?? 0, slopes: null };
  embeddingWeightKernel(ws.x, ids, params.wte, null, T, C, 0);
  for (let i = 0; i < c.nLayer; i++) {
    const p = params.h[i], layer = cache?.layers[i], b = keep ? keep.layers[i] : sharedLayer(ws);
    if (b.xIn) b.xIn.set(ws.x.subarray(0, T * C));
    rmsNormForward(b.ln1, b.rstd1, ws.x, p.ln1.weight.data, T, C, c.eps);
    linearWeightKernel(ws.qProj, b.ln1, p.attn.q.weight, p.attn.q.bias?.data ?? null, T, C, C);
    linearWeightKernel(ws.kProj, b.ln1, p.attn.k.weight, p.attn.k.bias?.data ?? null, T, C, kvC);
    linearWeightKernel(ws.vProj, b.ln1, p.attn.v.weight, p.attn.v.bias?.data ?? null, T, C, kvC);
    // RoPE: q and the new keys rotated by their positions offset … offset + T − 1, then split into heads
    ropeTokensForward(ws.qProj, T, H, D, offset, c.ropeTheta, false, factors, mscale);
    ropeTokensForward(ws.kProj, T, Hkv, D, offset, c.ropeTheta, false, factors, mscale);
    const k = layer ? layer.k : b.k, v = layer ? layer.v : b.v;
    const rows = layer ? layer.capacity : T, at = layer ? layer.length : 0;
    splitHeadsForward(b.q, ws.qProj, T, H, D, T, 0);
    splitHeadsForward(k, ws.kProj, T, Hkv, D, rows, at);
    splitHeadsForward(v, ws.vProj, T, Hkv, D, rows, at);
    if (layer) {
      syncHalfCache(layer, at, T);
      layer.length = at + T;
    }
    attentionKernel(ws.heads, null, b.q, k, v, null, null, 0, H, T, at + T, D, D, scale, true, rows, variant);
    mergeHeadsForward(b.merged, ws.heads, 1, H, T, D);
    linearWeightKernel(ws.proj, b.merged, p.attn.o.weight, null, T, C, C);
    residualAdd(ws.x, ws.x, ws.proj, T * C);
    if (b.xMid) b.xMid.set(ws.x.subarray(0, T * C));
    rmsNormForward(b.ln2, b.rstd2, ws.x, p.ln2.weight.data, T, C, c.eps);
    linearWeightKernel(b.gate, b.ln2, p.mlp.gate.weight, p.mlp.gate.bias?.data ?? null, T, C, I);
    linearWeightKernel(b.up, b.ln2, p.mlp.up.weight, p.mlp.up.bias?.data ?? null, T, C, I);
    if (!siluGatedWasm(b.hidden, b.gate, b.up, T * I)) gatedForward(b.hidden, b.gate, b.up, T * I, "silu"); // a generation's workspace: in WebAssembly, float32
    linearWeightKernel(ws.proj, b.hidden, p.mlp.down.weight, p.mlp.down.bias?.data ?? null, T, I, C);
    residualAdd(ws.x, ws.x, ws.proj, T * C);
  }
  if (cache) (cache as { length: number }).length = offset + T;
  if (logitRows === "none") return 0;
  const rows = logitRows === "all" ? T : 1;
  if (rows < T) ws.x.copyWithin(0, (T - 1) * C, T * C); // only the last position's logits are wanted (x is scratch)
  rmsNormForward(ws.ln, keep ? keep.rstdF : null, ws.x, params.lnF.weight.data, rows, C, c.eps);
  const head = params.lmHead ?? params.wte, V = c.vocabSize;
  if (ws.logits.length < rows * V) (ws as { logits: Float32Array }).logits = new Float32Array(rows * V);
  linearWeightKernel(ws.logits, ws.ln, head, null, rows, C, V);
  return rows;
}

