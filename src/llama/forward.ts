/**
 * The Llama forward pass, composed from the library's ops: the lesson. Read it beside
 * {@link gptForward}: the same loop over blocks, with RMSNorm for layer norm, no position
 * embeddings but RoPE inside attention, k/v with fewer heads (grouped-query), and a gated MLP.
 * @module
 */
import type { Weight } from "../weight";
import type { Tap, Tensor } from "../tensor";
import { ShapeError } from "../tensor";
import { embedTokens } from "../embedding";
import { rmsNorm } from "../norm";
import { linear } from "../linear";
import { mergeHeads, splitHeads } from "../qkv";
import { applyRope } from "../positional";
import { ropeAttentionFactor, ropeFreqFactors } from "./rope-scaling";
import { scaledDotProductAttention } from "../attention";
import { gatedMlp } from "../mlp";
import { checkForwardIds, checkOptions, describe, isFloat32Array } from "../internal/check";
import type { ResolvedLlamaConfig } from "./config";
import { type LlamaBlockParams, type LlamaParams, checkLlamaParams } from "./params";
import { type LlamaCache, type LlamaWorkspace, llamaForwardKernels } from "./workspace";
import { residual } from "../internal/residual";

/** Options of {@link llamaForward}: the same as {@link gptForward}'s. @category 24 · Llama */
export interface LlamaForwardOptions {
  /** A cache from {@link createLlamaCache}: ids are the next tokens after the `cache.length` already seen. */
  cache?: LlamaCache;
  /**
   * Called with each intermediate, by the names {@link gptForward} uses where the two models agree:
   * `embed.tokens`; per layer i: `h.i.ln1`, `h.i.attn.q` `[H, T, D]` and `h.i.attn.k`, `h.i.attn.v`
   * `[Hkv, T, D]` (q and k after RoPE; this call's keys only), `h.i.attn.weights` `[H, T, S]`,
   * `h.i.attn.heads`, `h.i.attn.merged`, `h.i.attn.out`, `h.i.resid1`, `h.i.ln2`, `h.i.mlp.gate`,
   * `h.i.mlp.up`, `h.i.mlp.act`, `h.i.mlp.hidden`, `h.i.mlp.out`, `h.i.resid2`; then `lnF` and `logits`.
   * Inspection does not change the result. Cannot be combined with `workspace`.
   */
  tap?: Tap;
  /** Buffers from {@link createLlamaWorkspace}: nothing is allocated; the logits are a view into it. */
  workspace?: LlamaWorkspace;
  /** `"all"` (default) or `"last"`: the last position's logits only, `[1, V]`. */
  logits?: "all" | "last";
}

/**
 * The Llama forward pass: `x = wte[ids]`, then per block `x += attn(rmsNorm(x))` (q and k rotated by
 * RoPE, k/v with nKvHead heads, causal, optionally windowed) and `x += gatedMlp(rmsNorm(x))`, then
 * the final RMSNorm and the LM head (`lmHead`, or `wte` when tied).
 *
 * @param params - from {@link initLlama} or {@link llamaFromStateDict}
 * @param ids - T token ids in [0, V); with a cache, the new tokens only
 * @param options - `cache`, `tap`, `workspace`, `logits`
 * @returns logits `[T, V]` (`[1, V]` with `logits: "last"`)
 * @throws RangeError for an id outside the vocabulary or more than blockSize positions; ShapeError when params do not fit their config
 * @remarks Matches Hugging Face's `LlamaForCausalLM` (and `MistralForCausalLM`, `Qwen2ForCausalLM`) in float32.
 * @category 24 · Llama
 * @example
 * ```ts
 * const params = initLlama({ vocabSize: 64, blockSize: 32, nLayer: 2, nHead: 4, nKvHead: 2, nEmbd: 32, intermediateSize: 64 }, createRng(0));
 * llamaForward(params, [1, 2, 3]).shape; // [3, 64]
 * ```
 */
export function llamaForward(params: LlamaParams<Weight>, ids: ArrayLike<number>, options?: LlamaForwardOptions): Tensor {
  const fn = "llamaForward";
  const c = checkLlamaParams(fn, params, true);
  const { cache, tap, workspace, logits: logitRows = "all" } = checkOptions(fn, options, ["cache", "tap", "workspace", "logits"]);
  const offset = cache ? cache.length : 0;
  const T = checkForwardIds(fn, ids, logitRows, c.vocabSize, c.blockSize, offset, cache !== undefined);
  if (cache) checkLlamaCache(fn, cache, c, T);
  if (workspace !== undefined) {
    checkWorkspace(fn, workspace, c, T, tap);
    const rows = llamaForwardKernels(workspace, params, c, ids, T, cache, logitRows);
    return { data: workspace.logits.subarray(0, rows * c.vocabSize), shape: [rows, c.vocabSize] };
  }
  let x = embedTokens(ids, params.wte); // no position embeddings: RoPE places the tokens inside attention
  tap?.("embed.tokens", x);
  for (let i = 0; i < c.nLayer; i++) {
    const sub: Tap | undefined = tap ? (name, t) => tap(`h.${i}.${name}`, t) : undefined;
    x = llamaBlock(x, params.h[i], c, offset, cache, i, sub);
  }
  if (cache) (cache as { length: number }).length = offset + T;
  if (logitRows === "last" && T > 1) x = { data: x.data.slice((T - 1) * c.nEmbd), shape: [1, c.nEmbd] };
  x = rmsNorm(x, params.lnF.weight, { eps: c.eps });
  tap?.("lnF", x);
  const logits = linear(x, params.lmHead ?? params.wte);
  tap?.("logits", logits);
  return logits;
}

/** One Llama block: `x + attn(rmsNorm(x))`, then `+ gatedMlp(rmsNorm(·))`. */
function llamaBlock(x: Tensor, p: LlamaBlockParams<Weight>, c: ResolvedLlamaConfig, offset: number, cache: LlamaCache | undefined, i: number, tap: Tap | undefined): Tensor {
  const h1 = rmsNorm(x, p.ln1.weight, { eps: c.eps });
  tap?.("ln1", h1);
  const a = llamaAttention(h1, p, c, offset, cache, i, tap);
  const resid1 = residual(x, a);
  tap?.("resid1", resid1);
  const h2 = rmsNorm(resid1, p.ln2.weight, { eps: c.eps });
  tap?.("ln2", h2);
  const m = gatedMlp(h2, p.mlp, { activation: "silu", tap: tap ? (name, t) => tap(`mlp.${name}`, t) : undefined });
  const resid2 = residual(resid1, m);
  tap?.("resid2", resid2);
  return resid2;
}

/** Grouped-query self-attention with RoPE: q, k, v projected separately, q and k rotated by position, then causal attention. */
function llamaAttention(h: Tensor, p: LlamaBlockParams<Weight>, c: ResolvedLlamaConfig, offset: number, cache: LlamaCache | undefined, i: number, tap: Tap | undefined): Tensor {
  const T = h.shape[0], D = c.nEmbd / c.nHead;
  const freqFactors = ropeFreqFactors(c.ropeScaling, D, c.ropeTheta) ?? undefined, scale = ropeAttentionFactor(c.ropeScaling);
  const q = applyRope(splitHeads(linear(h, p.attn.q.weight, p.attn.q.bias), c.nHead), { offset, base: c.ropeTheta, freqFactors, scale });
  const k = applyRope(splitHeads(linear(h, p.attn.k.weight, p.attn.k.bias), c.nKvHead), { offset, base: c.ropeTheta, freqFactors, scale });
  const v = splitHeads(linear(h, p.attn.v.weight, p.attn.v.bias), c.nKvHead);
  tap?.("attn.q", q);
  tap?.("attn.k", k);
  tap?.("attn.v", v);
  let keys = k, values = v;
  if (cache) { // append this call's keys and values, then attend over everything cached
    const layer = cache.layers[i], S = offset + T;
    keys = { data: new Float32Array(c.nKvHead * S * D), shape: [c.nKvHead, S, D] };
    values = { data: new Float32Array(c.nKvHead * S * D), shape: [c.nKvHead, S, D] };
    for (let g = 0; g < c.nKvHead; g++) {
      layer.k.set(k.data.subarray(g * T * D, (g + 1) * T * D), (g * layer.capacity + offset) * D);
      layer.v.set(v.data.subarray(g * T * D, (g + 1) * T * D), (g * layer.capacity + offset) * D);
      keys.data.set(layer.k.subarray(g * layer.capacity * D, (g * layer.capacity + S) * D), g * S * D);
      values.data.set(layer.v.subarray(g * layer.capacity * D, (g * layer.capacity + S) * D), g * S * D);
    }
    layer.length = S;
  }
  const options = { causal: true, window: c.window };
  const { output: heads } = scaledDotProductAttention(q, keys, values, options);
  if (tap) tap("attn.weights", scaledDotProductAttention(q, keys, values, { ...options, returnWeights: true }).weights);
  tap?.("attn.heads", heads);
  const merged = mergeHeads(heads);
  tap?.("attn.merged", merged);
  const out = linear(merged, p.attn.o.weight, p.attn.o.bias);
  tap?.("attn.out", out);
  return out;
}

function checkLlamaCache(fn: string, cache: LlamaCache, c: ResolvedLlamaConfig, T: number): void {
  if (cache == null || !Array.isArray(cache.layers) || typeof cache.length !== "number") throw new TypeError(`${fn}: cache must come from createLlamaCache, got ${describe(cache)}`);
  if (cache.layers.length !== c.nLayer) throw new ShapeError(`${fn}: cache has ${cache.layers.length} layers, expected ${c.nLayer} (config.nLayer)`);
  const D = c.nEmbd / c.nHead;
  cache.layers.forEach((l, i) => {
    if (l == null || !isFloat32Array(l.k) || l.nKvHead !== c.nKvHead || l.headSize !== D || l.capacity < cache.length + T || l.length !== cache.length) {
      throw new ShapeError(`${fn}: cache.layers[${i}] holds ${l?.nKvHead} k/v heads of size ${l?.headSize}, capacity ${l?.capacity}, length ${l?.length}; expected ${c.nKvHead} heads of size ${D}, room for ${T} more after ${cache.length} (a cache from createLlamaCache for this config)`);
    }
  });
}

function checkWorkspace(fn: string, ws: LlamaWorkspace, c: ResolvedLlamaConfig, T: number, tap: Tap | undefined): void {
  if (ws == null || typeof ws !== "object" || !isFloat32Array(ws.x) || !isFloat32Array(ws.gate)) throw new TypeError(`${fn}: workspace must come from createLlamaWorkspace, got ${describe(ws)}`);
  if (tap) throw new TypeError(`${fn}: tap and workspace cannot be combined (the workspace reuses each buffer for the next layer); drop one of them`);
  const w = ws.config;
  if (w.nEmbd !== c.nEmbd || w.nHead !== c.nHead || w.nKvHead !== c.nKvHead || w.intermediateSize !== c.intermediateSize) {
    throw new ShapeError(`${fn}: workspace was made for nEmbd ${w.nEmbd}, nHead ${w.nHead}, nKvHead ${w.nKvHead}, intermediateSize ${w.intermediateSize}, expected ${c.nEmbd}, ${c.nHead}, ${c.nKvHead}, ${c.intermediateSize} (params.config)`);
  }
  if (T > ws.tokens) throw new RangeError(`${fn}: ${T} ids do not fit the workspace, expected at most ${ws.tokens} (createLlamaWorkspace's tokens)`);
}
