// The GPT forward pass in a workspace (see ../workspace.ts), kernel by kernel, on checked inputs:
// what gptForward's `workspace` option and generate run.
import type { GptCache, GptParams } from "../gpt";
import type { GptWorkspace } from "../workspace";
import type { ResolvedConfig } from "./params";
import { embeddingForward } from "../kernels/embedding";
import { layerNormForward } from "../kernels/norm";
import { linearKernel } from "../kernels/linear";
import { attentionKernel } from "../kernels/attention";
import { geluKernel } from "../kernels/activation";
import { mergeHeadsForward, splitQkvForward } from "../kernels/heads";
import { updatePinned } from "../kernels/wasm";

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
    mergeHeadsForward(merged, heads, 1, H, T, D);
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
