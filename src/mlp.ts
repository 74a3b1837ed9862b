/**
 * The feed-forward network (lesson 13): expand each token to 4C channels, apply GELU, project back.
 * Shapes: x `[..., C]`, cFc weight `[4C, C]`, cProj weight `[C, 4C]`.
 * @module
 */
import type { Tap, Tensor } from "./tensor";
import type { Linear } from "./linear";
import { linear } from "./linear";
import { gelu, type GeluApproximation } from "./activation";
import { checkGelu, checkOptions, checkRank, checkShapeIs } from "./internal/check";

/** The parameters of the MLP, named as nanoGPT's `mlp`. @category Model */
export interface MlpParams {
  /** Expansion: weight `[4C, C]` (any hidden size works), bias `[4C]`. */
  cFc: Linear;
  /** Projection back: weight `[C, 4C]`, bias `[C]`. */
  cProj: Linear;
}

/** Options of {@link mlp}. @category Model */
export interface MlpOptions {
  /** `"tanh"` (GPT-2, minGPT; default) or `"none"` (exact erf, nanoGPT). */
  gelu?: GeluApproximation;
  /** Called with `fc` `[..., 4C]`, `act` `[..., 4C]` and `out` `[..., C]`. */
  tap?: Tap;
}

/**
 * The position-wise feed-forward network: `y = cProj(gelu(cFc(x)))`.
 *
 * @param x - `[..., C]`
 * @param params - `{ cFc: { weight: [4C, C], bias?: [4C] }, cProj: { weight: [C, 4C], bias?: [C] } }`
 * @param options - `gelu` (`"tanh"` default), `tap`
 * @returns `[..., C]`
 * @throws ShapeError when the weights do not chain C → hidden → C
 * @remarks Matches nanoGPT's / minGPT's `MLP.forward` (without dropout).
 * @category Model
 * @example
 * ```ts
 * const rng = createRng(0), C = 8;
 * const params = { cFc: { weight: randn([4 * C, C], rng, 0.02) }, cProj: { weight: randn([C, 4 * C], rng, 0.02) } };
 * mlp(randn([4, C], rng), params).shape; // [4, 8]
 * ```
 */
export function mlp(x: Tensor, params: MlpParams, options?: MlpOptions): Tensor {
  const fn = "mlp";
  checkOptions(fn, options, ["gelu", "tap"]);
  const approximate = checkGelu(fn, "gelu", options?.gelu ?? "tanh");
  const tap = options?.tap;
  checkRank(fn, "x", x, 1, "[..., C]");
  if (params == null || params.cFc == null || params.cProj == null) {
    throw new TypeError(`${fn}: params must be { cFc: { weight, bias? }, cProj: { weight, bias? } }`);
  }
  const C = x.shape[x.shape.length - 1];
  checkRank(fn, "params.cFc.weight", params.cFc.weight, 2, "[hidden, C]", 2);
  const hidden = params.cFc.weight.shape[0];
  checkShapeIs(fn, "params.cFc.weight", params.cFc.weight, [hidden, C], "[hidden, C] for C = the last axis of x");
  checkShapeIs(fn, "params.cProj.weight", params.cProj.weight, [C, hidden], "[C, hidden], the transpose of cFc.weight's shape");
  const fc = linear(x, params.cFc.weight, params.cFc.bias);
  tap?.("fc", fc);
  const act = gelu(fc, { approximate, out: tap ? undefined : fc });
  tap?.("act", act);
  const out = linear(act, params.cProj.weight, params.cProj.bias);
  tap?.("out", out);
  return out;
}
