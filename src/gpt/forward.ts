/**
 * The GPT forward pass composed of the ops (lessons 16–20): embeddings, blocks, the final norm and
 * the head, with inspection taps and a KV cache — the readable lesson. With a workspace it runs
 * the kernel-level forward of ./workspace.ts instead. Shapes: ids of length T, logits `[T, V]`;
 * C = nEmbd, H = nHead, V = vocabSize.
 * @module
 */
import type { Weight } from "../weight";
import type { Tap, Tensor } from "../tensor";
import { ShapeError } from "../tensor";
import { transformerBlock } from "../block";
import { embedPositions, embedTokens, inputEmbedding } from "../embedding";
import { layerNorm } from "../norm";
import { linear } from "../linear";
import { checkForwardIds, checkOptions, describe as describeValue, isFloat32Array } from "../internal/check";
import type { ResolvedConfig } from "./config";
import { type GptParams, checkGptParams } from "./params";
import { type GptCache, type GptWorkspace, forwardInWorkspace } from "./workspace";

/** Options of {@link gptForward}. @category 13–20 · The model */
export interface GptForwardOptions {
  /** A cache from {@link createGptCache}: ids are the next tokens after the `cache.length` already seen. */
  cache?: GptCache;
  /**
   * Called with each intermediate, by stable name: `embed.tokens`, `embed.positions`, `embed.sum`;
   * per layer i: `h.i.ln1`, `h.i.attn.q|k|v` `[H, T, D]`, `h.i.attn.scores`, `h.i.attn.weights`
   * `[H, T, S]`, `h.i.attn.heads`, `h.i.attn.merged`, `h.i.attn.out`, `h.i.resid1`, `h.i.ln2`,
   * `h.i.mlp.fc`, `h.i.mlp.act`, `h.i.mlp.out`, `h.i.resid2`; then `lnF` and `logits`.
   * Without a tap nothing extra is computed or kept. Cannot be combined with `workspace`.
   */
  tap?: Tap;
  /**
   * Buffers from {@link createGptWorkspace} to compute in, reused by every call: nothing is allocated
   * (what a generation loop wants). The logits returned are then a view into the workspace, valid
   * until its next use. Takes at most `workspace.tokens` ids per call.
   */
  workspace?: GptWorkspace;
  /**
   * `"all"` (default): logits for every position, `[T, V]`. `"last"`: only the last position's, `[1, V]`
   * — all that generation needs, and it skips (T − 1)·V·C multiply-adds of the LM head (nanoGPT's
   * `lm_head(x[:, [-1], :])` at inference).
   */
  logits?: "all" | "last";
}

/**
 * The GPT forward pass: `x = wte[ids] + wpe[pos]`, the blocks, the final layer norm, then the LM
 * head: `logits = lnF(x)·Wᵀ` with W = `lmHead` if present, else `wte` (tied).
 *
 * @param params - from {@link initGpt} or {@link gptFromStateDict}
 * @param ids - T token ids in [0, V); with a cache, the new tokens only
 * @param options - `cache`, `tap`, `workspace`, `logits`
 * @returns logits `[T, V]` (`[1, V]` with `logits: "last"`)
 * @throws RangeError for an id outside the vocabulary or more than blockSize positions; ShapeError when params do not fit their config
 * @remarks Matches nanoGPT's `GPT.forward` for all positions (without dropout).
 * @category 13–20 · The model
 * @example
 * ```ts
 * const params = initGpt({ vocabSize: 3, blockSize: 11, nLayer: 1, nHead: 1, nEmbd: 8 }, createRng(0));
 * gptForward(params, [2, 0, 1]).shape; // [3, 3]
 * ```
 */
export function gptForward(params: GptParams<Weight>, ids: ArrayLike<number>, options?: GptForwardOptions): Tensor {
  const fn = "gptForward";
  const c = checkGptParams(fn, params, true);
  checkOptions(fn, options, ["cache", "tap", "workspace", "logits"]);
  const cache = options?.cache;
  const tap = options?.tap;
  const workspace = options?.workspace;
  const logitRows = options?.logits ?? "all";
  const offset = cache ? cache.length : 0;
  const T = checkForwardIds(fn, ids, logitRows, c.vocabSize, c.blockSize, offset, cache !== undefined);
  if (cache) checkGptCache(fn, cache, c, T);
  if (workspace !== undefined) {
    checkWorkspace(fn, workspace, c, T, tap);
    const rows = forwardInWorkspace(params, c, ids, T, cache, workspace, logitRows);
    return { data: workspace.logits.subarray(0, rows * c.vocabSize), shape: [rows, c.vocabSize] };
  }
  let x: Tensor;
  if (tap) {
    const tok = embedTokens(ids, params.wte), pos = embedPositions(T, params.wpe, { offset });
    tap("embed.tokens", tok);
    tap("embed.positions", pos);
    x = inputEmbedding(ids, params.wte, params.wpe, { offset });
    tap("embed.sum", x);
  } else {
    x = inputEmbedding(ids, params.wte, params.wpe, { offset });
  }
  for (let i = 0; i < c.nLayer; i++) {
    x = transformerBlock(x, params.h[i], {
      nHead: c.nHead, eps: c.eps, gelu: c.gelu, cache: cache?.layers[i],
      tap: tap ? (name, t) => tap(`h.${i}.${name}`, t) : undefined,
    });
  }
  if (cache) (cache as { length: number }).length = offset + T;
  if (logitRows === "last" && T > 1) x = { data: x.data.subarray((T - 1) * c.nEmbd), shape: [1, c.nEmbd] };
  x = layerNorm(x, params.lnF.weight, params.lnF.bias, { eps: c.eps, out: tap ? undefined : x });
  tap?.("lnF", x);
  const logits = linear(x, params.lmHead ?? params.wte);
  tap?.("logits", logits);
  return logits;
}

/** Checks a cache against the config before anything is written to it (the workspace path writes to it directly). */
function checkGptCache(fn: string, cache: GptCache, c: ResolvedConfig, T: number): void {
  if (cache == null || !Array.isArray(cache.layers) || typeof cache.length !== "number") {
    throw new TypeError(`${fn}: cache must come from createGptCache, got ${describeValue(cache)}`);
  }
  if (cache.layers.length !== c.nLayer) {
    throw new ShapeError(`${fn}: cache has ${cache.layers.length} layers, expected ${c.nLayer} (config.nLayer)`);
  }
  const D = c.nEmbd / c.nHead;
  cache.layers.forEach((l, i) => {
    if (l == null || !isFloat32Array(l.k) || l.batch !== 1 || l.nHead !== c.nHead || l.headSize !== D || l.capacity < cache.length + T || l.length !== cache.length) {
      throw new ShapeError(`${fn}: cache.layers[${i}] holds batch ${l?.batch}, ${l?.nHead} heads of size ${l?.headSize}, capacity ${l?.capacity}, length ${l?.length}; expected batch 1, ${c.nHead} heads of size ${D}, room for ${T} more after ${cache.length} (a cache from createGptCache for this config)`);
    }
  });
}

function checkWorkspace(fn: string, ws: GptWorkspace, c: ResolvedConfig, T: number, tap: Tap | undefined): void {
  if (ws == null || typeof ws !== "object" || !isFloat32Array(ws.x) || ws.config == null) {
    throw new TypeError(`${fn}: workspace must come from createGptWorkspace, got ${describeValue(ws)}`);
  }
  if (tap) throw new TypeError(`${fn}: tap and workspace cannot be combined (the workspace reuses each buffer for the next layer); drop one of them`);
  const w = ws.config;
  if (w.nEmbd !== c.nEmbd || w.nHead !== c.nHead || w.vocabSize !== c.vocabSize) {
    throw new ShapeError(`${fn}: workspace was made for nEmbd ${w.nEmbd}, nHead ${w.nHead}, vocabSize ${w.vocabSize}, expected nEmbd ${c.nEmbd}, nHead ${c.nHead}, vocabSize ${c.vocabSize} (params.config)`);
  }
  if (T > ws.tokens) {
    throw new RangeError(`${fn}: ${T} ids do not fit the workspace, expected at most ${ws.tokens} (createGptWorkspace's tokens)`);
  }
}

