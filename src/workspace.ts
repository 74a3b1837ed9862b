/**
 * A workspace for the GPT forward pass (lesson 20, and the production path): every activation
 * buffer allocated once and reused by each call, so a generation loop makes no garbage.
 * Buffers hold up to `tokens` rows; C = nEmbd, H = nHead, D = C/H, V = vocabSize.
 * @module
 */
import type { GptCache, GptConfig, GptParams } from "./gpt";
import type { ResolvedConfig } from "./internal/params";
import { resolveConfig } from "./internal/params";
import { checkInteger, checkOptions } from "./internal/check";
import { embeddingForward } from "./kernels/embedding";
import { layerNormForward } from "./kernels/norm";
import { linearKernel } from "./kernels/linear";
import { attentionKernel } from "./kernels/attention";
import { geluKernel } from "./kernels/activation";
import { mergeHeadsForward, splitQkvForward } from "./kernels/heads";
import { updatePinned } from "./kernels/wasm";

/**
 * Buffers for {@link gptForward}'s `workspace` option, named after the intermediates they hold
 * (the names {@link gptForward}'s `tap` uses). One set serves every layer in turn.
 * @category Model
 */
export interface GptWorkspace {
  /** The most tokens one call may process. */
  readonly tokens: number;
  /** The config it was made for, with defaults filled in. */
  readonly config: Readonly<Required<GptConfig>>;
  /** The residual stream `[tokens, C]` (`embed.sum`, then `h.i.resid1`, `h.i.resid2`). */
  readonly x: Float32Array;
  /** Layer-norm output `[tokens, C]` (`h.i.ln1`, `h.i.ln2`, `lnF`). */
  readonly ln: Float32Array;
  /** The fused Q/K/V projection `[tokens, 3C]`. */
  readonly qkv: Float32Array;
  /** Queries by head `[H, tokens, D]` (`h.i.attn.q`). */
  readonly q: Float32Array;
  /** Keys and values by head `[H, tokens, D]`, used when there is no KV cache. */
  readonly k: Float32Array;
  readonly v: Float32Array;
  /** Attention output by head `[H, tokens, D]` (`h.i.attn.heads`), then merged `[tokens, C]` (`h.i.attn.merged`). */
  readonly heads: Float32Array;
  readonly merged: Float32Array;
  /** A projection's output `[tokens, C]` (`h.i.attn.out`, `h.i.mlp.out`). */
  readonly proj: Float32Array;
  /** The MLP's hidden layer `[tokens, 4C]` (`h.i.mlp.fc`, then `h.i.mlp.act` in place). */
  readonly fc: Float32Array;
  /** Logits `[rows, V]`: allocated at the first call that needs them and grown only when a call needs more rows. */
  readonly logits: Float32Array;
}

/**
 * Allocates the buffers of a forward pass over up to `tokens` tokens (at most blockSize), for
 * {@link gptForward}'s `workspace` option: 15·C floats per token, plus V per row of logits.
 *
 * @param config - the model's config (or its params' `config`)
 * @param options - `tokens`: the most tokens per call (default 1, the size of a generation step)
 * @returns a workspace (reuse it for every call; the logits it returns are overwritten by the next)
 * @throws RangeError for a bad config or tokens
 * @category Model
 * @example
 * ```ts
 * const workspace = createGptWorkspace(params.config, { tokens: 16 });
 * const logits = gptForward(params, ids, { cache, workspace }); // a view into workspace.logits
 * ```
 */
export function createGptWorkspace(config: GptConfig, options?: { tokens?: number }): GptWorkspace {
  const c = resolveConfig("createGptWorkspace", config);
  const { tokens = 1 } = checkOptions("createGptWorkspace", options);
  checkInteger("createGptWorkspace", "tokens", tokens, 1);
  const C = c.nEmbd, rows = Math.min(tokens, c.blockSize);
  const f = (n: number) => new Float32Array(n);
  return {
    tokens: rows, config: c,
    x: f(rows * C), ln: f(rows * C), qkv: f(rows * 3 * C), q: f(rows * C), k: f(rows * C), v: f(rows * C),
    heads: f(rows * C), merged: f(rows * C), proj: f(rows * C), fc: f(rows * 4 * C), logits: f(0),
  };
}

/** Which rows of logits a forward pass computes. */
export type LogitRows = "all" | "last" | "none";

/**
 * The forward pass in a workspace, on checked inputs: ids (T ≤ ws.tokens) after the cache's
 * positions. Returns the number of logit rows written to ws.logits. Allocates nothing once the
 * logits buffer is large enough.
 */
export function forwardInWorkspace(
  params: GptParams, c: ResolvedConfig, ids: ArrayLike<number>, T: number,
  cache: GptCache | undefined, ws: GptWorkspace, logitRows: LogitRows,
): number {
  const C = c.nEmbd, H = c.nHead, D = C / H, hidden = 4 * C, scale = 1 / Math.sqrt(D);
  const offset = cache ? cache.length : 0;
  const { x, ln, qkv, q, heads, merged, proj, fc } = ws;
  embeddingForward(x, ids, params.wte.data, params.wpe.data, T, C, offset);
  for (let i = 0; i < c.nLayer; i++) {
    const b = params.h[i], layer = cache?.layers[i];
    layerNormForward(ln, null, null, x, b.ln1.weight.data, b.ln1.bias?.data ?? null, T, C, c.eps);
    linearKernel(qkv, ln, b.attn.cAttn.weight.data, b.attn.cAttn.bias?.data ?? null, T, C, 3 * C);
    const k = layer ? layer.k : ws.k, v = layer ? layer.v : ws.v;
    const kvRows = layer ? layer.capacity : T, at = layer ? layer.length : 0;
    splitQkvForward(q, k, v, qkv, T, H, D, kvRows, at);
    if (layer) {
      for (let h = 0; h < H; h++) {
        updatePinned(k, (h * kvRows + at) * D, T * D);
        updatePinned(v, (h * kvRows + at) * D, T * D);
      }
      layer.length = at + T;
    }
    attentionKernel(heads, null, q, k, v, null, null, 0, H, T, at + T, D, D, scale, true, kvRows);
    mergeHeadsForward(merged, heads, H, T, D);
    linearKernel(proj, merged, b.attn.cProj.weight.data, b.attn.cProj.bias?.data ?? null, T, C, C);
    addInto(x, proj, T * C);
    layerNormForward(ln, null, null, x, b.ln2.weight.data, b.ln2.bias?.data ?? null, T, C, c.eps);
    linearKernel(fc, ln, b.mlp.cFc.weight.data, b.mlp.cFc.bias?.data ?? null, T, C, hidden);
    geluKernel(fc, fc, T * hidden, c.gelu === "tanh");
    linearKernel(proj, fc, b.mlp.cProj.weight.data, b.mlp.cProj.bias?.data ?? null, T, hidden, C);
    addInto(x, proj, T * C);
  }
  if (cache) (cache as { length: number }).length = offset + T;
  if (logitRows === "none") return 0;
  const rows = logitRows === "all" ? T : 1;
  if (rows < T) x.copyWithin(0, (T - 1) * C, T * C); // only the last position's logits are wanted
  layerNormForward(ln, null, null, x, params.lnF.weight.data, params.lnF.bias?.data ?? null, rows, C, c.eps);
  const head = params.lmHead ?? params.wte, V = c.vocabSize;
  if (ws.logits.length < rows * V) (ws as { logits: Float32Array }).logits = new Float32Array(rows * V);
  linearKernel(ws.logits, ln, head.data, null, rows, C, V);
  return rows;
}

/** x += y over n values: the residual connection. */
function addInto(x: Float32Array, y: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) x[i] += y[i];
}
