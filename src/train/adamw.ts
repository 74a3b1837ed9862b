/**
 * AdamW (Loshchilov & Hutter), exactly as `torch.optim.AdamW` computes it, over any nested record of
 * tensors (GptParams included).
 * @module
 */
import type { Tensor } from "../tensor";
import { checkOptions, describe } from "../internal/check";
import { pairLeaves, tensorLeaves, zerosLike } from "./tree";
import { adamwKernel } from "../kernels/adamw";

/** Options of {@link adamw}. @category 22–23 · Training */
export interface AdamWOptions {
  /** The learning rate (> 0); `step(grads, { lr })` overrides it for one step. Default 1e-3. */
  lr?: number;
  /** Decay rate of the first moment, in [0, 1). Default 0.9. */
  beta1?: number;
  /** Decay rate of the second moment, in [0, 1). Default 0.999. */
  beta2?: number;
  /** Added to the denominator (≥ 0). Default 1e-8. */
  eps?: number;
  /** Decoupled weight decay (≥ 0). Default 0.01 (PyTorch's). */
  weightDecay?: number;
  /**
   * Which tensors get weight decay, by dotted path in params (`"h.0.attn.cAttn.weight"`, `"wte"`).
   * Default: tensors with two or more dimensions (nanoGPT's `configure_optimizers`: matrices and
   * embeddings decay, biases and norm gains do not).
   */
  decay?: (path: string, tensor: Tensor) => boolean;
}

/**
 * The optimizer's state: the step count and the moments, shaped like params (plain data: save it
 * with {@link saveSafetensors} via {@link flattenTensors}, pass it back to {@link adamw} to resume).
 * @category 22–23 · Training
 */
export interface AdamWState {
  /** Steps taken. */
  step: number;
  /** First moments, the structure of params. */
  m: unknown;
  /** Second moments, the structure of params. */
  v: unknown;
}

/** An AdamW optimizer bound to its params. @category 22–23 · Training */
export interface AdamW {
  /** Updates every parameter in place from its gradient (grads: the structure of params). */
  step(grads: unknown, options?: { lr?: number }): void;
  /** The state, updated by every step. */
  readonly state: AdamWState;
}

function checkRate(fn: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) throw new RangeError(`${fn}: ${name} must be a finite number > 0, got ${describe(value)}`);
  return value;
}

function checkBeta(fn: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0 && value < 1)) throw new RangeError(`${fn}: ${name} must be a number in [0, 1), got ${describe(value)}`);
  return value;
}

function checkNonNegative(fn: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value)) throw new RangeError(`${fn}: ${name} must be a finite number ≥ 0, got ${describe(value)}`);
  return value;
}

/**
 * An AdamW optimizer over `params`, exactly `torch.optim.AdamW`. Each step, for every tensor p with
 * gradient g, at step t (from 1): decay first, from the value before the update, `p ← p·(1 − lr·wd)`
 * (only tensors that `decay` picks); then `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`,
 * `p ← p − lr·(m/(1−β₁ᵗ)) / (√v/√(1−β₂ᵗ) + eps)`.
 *
 * `step` updates the same tensor objects and `data` arrays in place — the one documented exception
 * to purity, as every optimizer. Every argument is checked before anything changes: a step that
 * throws leaves params and state as they were.
 *
 * @param params - any nested record/array of tensors; leaves that are not tensors (`config`) are ignored
 * @param options - `lr`, `beta1`, `beta2`, `eps`, `weightDecay`, `decay` ({@link AdamWOptions})
 * @param state - an earlier optimizer's `state` to resume from (default: step 0, zero moments)
 * @returns `{ step(grads, { lr? }), state }`
 * @throws RangeError for lr ≤ 0 or NaN, betas outside [0, 1), eps or weightDecay < 0;
 *   ShapeError when state or grads do not have the structure of params (naming the path)
 * @remarks Matches `torch.optim.AdamW(groups, lr, betas=(beta1, beta2), eps, weight_decay)` with the decayed and
 *   undecayed tensors in two groups, and a per-step `lr` as a scheduler sets `group["lr"]`.
 * @category 22–23 · Training
 * @example
 * ```ts
 * const opt = adamw(params, { lr: 6e-4, beta2: 0.95, weightDecay: 0.1 });
 * const { grads } = gptLossAndGrads(params, ids, targets);
 * opt.step(grads, { lr: schedule(step) });
 * ```
 */
export function adamw(params: unknown, options?: AdamWOptions, state?: AdamWState): AdamW {
  const fn = "adamw";
  const o = checkOptions(fn, options, ["lr", "beta1", "beta2", "eps", "weightDecay", "decay"]);
  const baseLr = checkRate(fn, "lr", o.lr ?? 1e-3);
  const beta1 = checkBeta(fn, "beta1", o.beta1 ?? 0.9);
  const beta2 = checkBeta(fn, "beta2", o.beta2 ?? 0.999);
  const eps = checkNonNegative(fn, "eps", o.eps ?? 1e-8);
  const wd = checkNonNegative(fn, "weightDecay", o.weightDecay ?? 0.01);
  if (o.decay !== undefined && typeof o.decay !== "function") throw new TypeError(`${fn}: decay must be a function (path, tensor) => boolean, got ${describe(o.decay)}`);
  const leaves = tensorLeaves(params);
  if (leaves.length === 0) throw new TypeError(`${fn}: params holds no tensors, expected a record of tensors such as GptParams`);
  const decays = leaves.map(({ path, tensor }) => (o.decay ? o.decay(path, tensor) === true : tensor.shape.length >= 2));
  let s: AdamWState;
  if (state !== undefined) {
    if (state == null || typeof state !== "object" || !Number.isInteger(state.step) || state.step < 0) {
      throw new TypeError(`${fn}: state must be { step, m, v } from an earlier adamw(…).state, got ${describe(state)}`);
    }
    s = state; // its moments are checked against params just below
  } else {
    const m = zerosLike(params) as Record<string, unknown>, v = zerosLike(params) as Record<string, unknown>;
    s = { step: 0, m, v };
  }
  const ms = pairLeaves(fn, "state.m", leaves, s.m).map((t) => t.data);
  const vs = pairLeaves(fn, "state.v", leaves, s.v).map((t) => t.data);
  return {
    state: s,
    step(grads: unknown, stepOptions?: { lr?: number }) {
      const sfn = "adamw.step";
      const so = checkOptions(sfn, stepOptions, ["lr"]);
      const lr = so.lr === undefined ? baseLr : checkRate(sfn, "lr", so.lr);
      const gs = pairLeaves(sfn, "grads", leaves, grads);
      const t = s.step + 1;
      const bc1 = 1 - Math.pow(beta1, t), bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
      const stepSize = lr / bc1;
      for (let i = 0; i < leaves.length; i++) {
        adamwKernel(leaves[i].tensor.data, gs[i].data, ms[i], vs[i], decays[i] ? lr * wd : 0, beta1, beta2, eps, stepSize, bc2Sqrt);
      }
      s.step = t;
    },
  };
}
