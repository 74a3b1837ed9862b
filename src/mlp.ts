/**
 * The feed-forward network (lesson 13): expand each token to 4C channels, apply GELU, project back.
 * Shapes: x `[..., C]`, cFc weight `[4C, C]`, cProj weight `[C, 4C]`.
 * @module
 */
import type { Tap, Tensor } from "./tensor";
import { type Weight, checkWeightRank, checkWeightShape } from "./weight";
import type { Linear } from "./linear";
import { linear } from "./linear";
import { gelu, silu, type GeluApproximation } from "./activation";
import { checkGelu, checkOptions, checkRank, checkShapeIs, describe } from "./internal/check";
import { gatedForward } from "./kernels/activation";

/** The parameters of the MLP, named as nanoGPT's `mlp`. @category 13–20 · The model */
export interface MlpParams<W extends Weight = Tensor> {
  /** Expansion: weight `[4C, C]` (any hidden size works), bias `[4C]`. */
  cFc: Linear<W>;
  /** Projection back: weight `[C, 4C]`, bias `[C]`. */
  cProj: Linear<W>;
}

/** Options of {@link mlp}. @category 13–20 · The model */
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
 * @category 13–20 · The model
 * @example
 * ```ts
 * const rng = createRng(0), C = 8;
 * const params = { cFc: { weight: randn([4 * C, C], rng, 0.02) }, cProj: { weight: randn([C, 4 * C], rng, 0.02) } };
 * mlp(randn([4, C], rng), params).shape; // [4, 8]
 * ```
 */
export function mlp(x: Tensor, params: MlpParams<Weight>, options?: MlpOptions): Tensor {
  const fn = "mlp";
  checkOptions(fn, options, ["gelu", "tap"]);
  const approximate = checkGelu(fn, "gelu", options?.gelu ?? "tanh");
  const tap = options?.tap;
  checkRank(fn, "x", x, 1, "[..., C]");
  if (params == null || params.cFc == null || params.cProj == null) {
    throw new TypeError(`${fn}: params must be { cFc: { weight, bias? }, cProj: { weight, bias? } }`);
  }
  const C = x.shape[x.shape.length - 1];
  checkWeightRank(fn, "params.cFc.weight", params.cFc.weight, 2, "[hidden, C]", 2);
  const hidden = params.cFc.weight.shape[0];
  checkWeightShape(fn, "params.cFc.weight", params.cFc.weight, [hidden, C], "[hidden, C] for C = the last axis of x");
  checkWeightShape(fn, "params.cProj.weight", params.cProj.weight, [C, hidden], "[C, hidden], the transpose of cFc.weight's shape");
  const fc = linear(x, params.cFc.weight, params.cFc.bias);
  tap?.("fc", fc);
  const act = gelu(fc, { approximate, out: tap ? undefined : fc });
  tap?.("act", act);
  const out = linear(act, params.cProj.weight, params.cProj.bias);
  tap?.("out", out);
  return out;
}

/** The parameters of a gated MLP, named as Hugging Face's `LlamaMLP` (`gate_proj`, `up_proj`, `down_proj`). @category 13–20 · The model */
export interface GatedMlpParams<W extends Weight = Tensor> {
  /** Weight `[hidden, C]` (no bias in Llama). */
  gate: Linear<W>;
  /** Weight `[hidden, C]`. */
  up: Linear<W>;
  /** Weight `[C, hidden]`. */
  down: Linear<W>;
}

/** The activation of a gated MLP: `"silu"` (SwiGLU: Llama, Mistral, Qwen), `"gelu"` (GeGLU, exact) or `"gelu-tanh"` (Gemma). @category 13–20 · The model */
export type GatedActivation = "silu" | "gelu" | "gelu-tanh";

/**
 * The gated feed-forward network of Llama-family models: `y = down(act(gate(x)) ⊙ up(x))` —
 * where GPT-2's MLP has one expansion, this has two, and one gates the other element by element.
 *
 * @param x - `[..., C]`
 * @param params - `{ gate: { weight: [hidden, C] }, up: { weight: [hidden, C] }, down: { weight: [C, hidden] } }` (biases optional)
 * @param options - `activation` (`"silu"` default; `"gelu"`, `"gelu-tanh"`), `tap` (called with `gate`, `up`, `act` = act(gate), `hidden` = act ⊙ up, `out`)
 * @returns `[..., C]`
 * @throws ShapeError when the weights do not chain C → hidden → C; RangeError for an unknown activation
 * @remarks Matches Hugging Face's `LlamaMLP.forward`: `down_proj(act_fn(gate_proj(x)) * up_proj(x))`.
 * @category 13–20 · The model
 * @example
 * ```ts
 * const rng = createRng(0), C = 8, hidden = 20;
 * const params = { gate: { weight: randn([hidden, C], rng, 0.1) }, up: { weight: randn([hidden, C], rng, 0.1) }, down: { weight: randn([C, hidden], rng, 0.1) } };
 * gatedMlp(randn([4, C], rng), params).shape; // [4, 8]
 * ```
 */
export function gatedMlp(x: Tensor, params: GatedMlpParams<Weight>, options?: { activation?: GatedActivation; tap?: Tap }): Tensor {
  const fn = "gatedMlp";
  const { activation = "silu", tap } = checkOptions(fn, options, ["activation", "tap"]);
  if (activation !== "silu" && activation !== "gelu" && activation !== "gelu-tanh") {
    throw new RangeError(`${fn}: activation must be "silu", "gelu" or "gelu-tanh", got ${describe(activation)}`);
  }
  checkRank(fn, "x", x, 1, "[..., C]");
  if (params == null || params.gate == null || params.up == null || params.down == null) {
    throw new TypeError(`${fn}: params must be { gate: { weight, bias? }, up: { weight, bias? }, down: { weight, bias? } }, got ${describe(params)}`);
  }
  const C = x.shape[x.shape.length - 1];
  checkWeightRank(fn, "params.gate.weight", params.gate.weight, 2, "[hidden, C]", 2);
  const hidden = params.gate.weight.shape[0];
  checkWeightShape(fn, "params.gate.weight", params.gate.weight, [hidden, C], "[hidden, C] for C = the last axis of x");
  checkWeightShape(fn, "params.up.weight", params.up.weight, [hidden, C], "[hidden, C], the shape of gate.weight");
  checkWeightShape(fn, "params.down.weight", params.down.weight, [C, hidden], "[C, hidden]");
  const gate = linear(x, params.gate.weight, params.gate.bias);
  const up = linear(x, params.up.weight, params.up.bias);
  tap?.("gate", gate);
  tap?.("up", up);
  if (tap) {
    const act = activation === "silu" ? silu(gate) : gelu(gate, { approximate: activation === "gelu" ? "none" : "tanh" });
    tap("act", act);
  }
  const h = tap ? { data: new Float32Array(gate.data.length), shape: gate.shape } : gate;
  gatedForward(h.data, gate.data, up.data, gate.data.length, activation);
  tap?.("hidden", h);
  const out = linear(h, params.down.weight, params.down.bias);
  tap?.("out", out);
  return out;
}
