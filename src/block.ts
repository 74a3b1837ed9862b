/**
 * The transformer block (lessons 14 and 15): pre-LN attention and MLP, each added to the residual stream.
 * Shapes: x `[..., T, C]`.
 * @module
 */
import type { Tap, Tensor } from "./tensor";
import type { Weight } from "./weight";
import type { AttentionParams, KVCache } from "./attention";
import { multiHeadAttention } from "./attention";
import { layerNorm } from "./norm";
import { mlp, type MlpParams } from "./mlp";
import type { GeluApproximation } from "./activation";
import { checkGelu, checkInteger, checkOptions, checkPositive, checkRank } from "./internal/check";
import { residual } from "./internal/residual";

/** A layer norm's parameters: weight `[C]`, bias `[C]` (absent when the model has no biases). @category 13–20 · The model */
export interface Norm {
  weight: Tensor;
  bias?: Tensor | null;
}

/** The parameters of one block, named as the checkpoint: `ln_1`, `attn`, `ln_2`, `mlp`. @category 13–20 · The model */
export interface BlockParams<W extends Weight = Tensor> {
  ln1: Norm;
  attn: AttentionParams<W>;
  ln2: Norm;
  mlp: MlpParams<W>;
}

/** Options of {@link transformerBlock}. @category 13–20 · The model */
export interface BlockOptions {
  /** The number of heads. */
  nHead: number;
  /** Layer-norm epsilon. Default 1e-5. */
  eps?: number;
  /** `"tanh"` (default) or `"none"`. */
  gelu?: GeluApproximation;
  /** Causal attention. Default true. */
  causal?: boolean;
  /** This layer's KV cache, for generation. */
  cache?: KVCache;
  /**
   * Called with `ln1`, `attn.q|k|v|scores|weights|heads|merged|out`, `resid1`, `ln2`,
   * `mlp.fc|act|out` and `resid2`.
   */
  tap?: Tap;
}

/**
 * One GPT-2 block, pre-LN: `x = x + attn(ln1(x))`, then `x = x + mlp(ln2(x))` (ln2 sees the
 * updated residual).
 *
 * @param x - the residual stream `[..., T, C]`
 * @param params - `{ ln1, attn: { cAttn, cProj }, ln2, mlp: { cFc, cProj } }`
 * @param options - `nHead` (required), `eps`, `gelu`, `causal`, `cache`, `tap`
 * @returns the new residual stream `[..., T, C]` (x is not modified)
 * @throws as {@link multiHeadAttention}, {@link layerNorm} and {@link mlp}
 * @remarks Matches nanoGPT's `Block.forward` (without dropout).
 * @category 13–20 · The model
 * @example
 * ```ts
 * const params = initGpt({ vocabSize: 10, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 8 }, createRng(0)).h[0];
 * transformerBlock(randn([4, 8], createRng(1)), params, { nHead: 2 }).shape; // [4, 8]
 * ```
 */
export function transformerBlock(x: Tensor, params: BlockParams<Weight>, options: BlockOptions): Tensor {
  const fn = "transformerBlock";
  if (options == null || typeof options !== "object") throw new TypeError(`${fn}: options must be an object with nHead, got ${String(options)}`);
  checkOptions(fn, options, ["nHead", "eps", "gelu", "causal", "cache", "tap"]);
  const { nHead, eps = 1e-5, causal = true, cache, tap } = options;
  const approximate = checkGelu(fn, "gelu", options.gelu ?? "tanh");
  checkRank(fn, "x", x, 2, "[..., T, C]");
  checkInteger(fn, "nHead", nHead, 1);
  checkPositive(fn, "eps", eps);
  if (params == null || params.ln1 == null || params.attn == null || params.ln2 == null || params.mlp == null) {
    throw new TypeError(`${fn}: params must be { ln1, attn, ln2, mlp }, got ${params == null ? String(params) : `keys ${Object.keys(params).join(", ")}`}`);
  }
  const sub = (prefix: string): Tap | undefined => (tap ? (name, t) => tap(`${prefix}.${name}`, t) : undefined);
  const h1 = layerNorm(x, params.ln1.weight, params.ln1.bias, { eps });
  tap?.("ln1", h1);
  const { output: a } = multiHeadAttention(h1, params.attn, { nHead, causal, cache, tap: sub("attn") });
  const resid1 = residual(x, a);
  tap?.("resid1", resid1);
  const h2 = layerNorm(resid1, params.ln2.weight, params.ln2.bias, { eps });
  tap?.("ln2", h2);
  const m = mlp(h2, params.mlp, { gelu: approximate, tap: sub("mlp") });
  const resid2 = tap ? residual(resid1, m) : residual(resid1, m, resid1);
  tap?.("resid2", resid2);
  return resid2;
}

