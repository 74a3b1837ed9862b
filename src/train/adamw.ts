/**
 * AdamW (Loshchilov & Hutter), exactly as `torch.optim.AdamW` computes it, over any nested record of
 * tensors (GptParams included).
 * @module
 */
import type { Tensor } from "../tensor";
import { checkOptions, describe, overlaps } from "../internal/check";
import { pairLeaves, residentZerosLike, tensorLeaves } from "./tree";
import { residentBuffers } from "../resident";
import { adamwKernel } from "../kernels/adamw";

/** Options of {@link adamw}. @category 22–23 · Training */
export interface AdamWOptions {
  /** The learning rate (≥ 0; 0 leaves params as they are but still moves the moments, as torch); `step(grads, { lr })` overrides it for one step. Default 1e-3. */
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
  if (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value)) throw new RangeError(`${fn}: ${name} must be a finite number ≥ 0, got ${describe(value)}`);
  return value;
}

/**
 * For each leaf, the index of the first leaf with the same data (the same tensor at two paths, e.g.
 * a head tied to `wte` by reference, is one parameter, as torch deduplicates them); views that
 * overlap without being the same are refused.
 */
function distinctLeaves(fn: string, leaves: readonly { path: string; tensor: Tensor }[]): number[] {
  const first = leaves.map((_, i) => i);
  for (let i = 0; i < leaves.length; i++) {
    const a = leaves[i].tensor.data;
    for (let j = 0; j < i; j++) {
      const b = leaves[j].tensor.data;
      if (!overlaps(a, b)) continue;
      if (a.byteOffset !== b.byteOffset || a.length !== b.length) throw new RangeError(`${fn}: params.${leaves[i].path} and params.${leaves[j].path} overlap in memory without being the same tensor, expected separate tensors (or the same one, which is one parameter)`);
      first[i] = first[j];
      break;
    }
  }
  return first;
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
 * to purity, as every optimizer. A tensor that appears at several paths (a head tied to `wte` by
 * reference) is one parameter, as torch deduplicates them: it is updated once per step, from the sum
 * of the gradients at its paths (each distinct gradient buffer counted once), with the moments and
 * the decay choice of its first path. Views that overlap without being the same tensor are refused.
 * "Exactly torch" holds while g² is finite in float32 (|g| below ~1.8e19): beyond it torch's float32
 * `v` overflows to ∞ and its step is 0, while the JavaScript reference (small tensors, or
 * `useWasm(false)`) divides by the float64 value on that step and moves p by about lr; the stored
 * `v` is ∞ on both from then on. Every argument is checked before anything changes: a step that
 * throws leaves params and state as they were.
 *
 * @param params - any nested record/array of tensors; leaves that are not tensors (`config`) are ignored
 * @param options - `lr`, `beta1`, `beta2`, `eps`, `weightDecay`, `decay` ({@link AdamWOptions})
 * @param state - an earlier optimizer's `state` to resume from (default: step 0, zero moments)
 * @returns `{ step(grads, { lr? }), state }`
 * @throws RangeError for lr < 0 or NaN, betas outside [0, 1), eps or weightDecay < 0;
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
  const first = distinctLeaves(fn, leaves);
  const shared = new Map<number, Float32Array>(); // first index of a parameter at several paths → its summed gradient
  const sums = residentBuffers();
  first.forEach((f, i) => { if (f !== i && !shared.has(f)) shared.set(f, sums.floats(leaves[f].tensor.data.length)); });
  sums.done();
  const decays = leaves.map(({ path, tensor }) => (o.decay ? o.decay(path, tensor) === true : tensor.shape.length >= 2));
  let s: AdamWState;
  if (state !== undefined) {
    if (state == null || typeof state !== "object") throw new TypeError(`${fn}: state must be { step, m, v } from an earlier adamw(…).state, got ${describe(state)}`);
    if (!Number.isInteger(state.step) || state.step < 0) throw new RangeError(`${fn}: state.step must be an integer ≥ 0 (the steps taken), got ${describe(state.step)}`);
    s = state; // its moments are checked against params just below
  } else {
    const m = residentZerosLike(params) as Record<string, unknown>, v = residentZerosLike(params) as Record<string, unknown>;
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
      const gs = pairLeaves(sfn, "grads", leaves, grads).map((g) => g.data);
      // a parameter at several paths gets the sum of their (distinct) gradient buffers, once
      for (const [i, sum] of shared) {
        sum.set(gs[i]);
        const seen = [gs[i]];
        for (let j = i + 1; j < leaves.length; j++) {
          if (first[j] !== i || seen.includes(gs[j])) continue;
          seen.push(gs[j]);
          for (let k = 0; k < sum.length; k++) sum[k] += gs[j][k];
        }
        gs[i] = sum;
      }
      const t = s.step + 1;
      const bc1 = 1 - Math.pow(beta1, t), bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
      const stepSize = lr / bc1;
      for (let i = 0; i < leaves.length; i++) {
        if (first[i] !== i) continue;
        adamwKernel(leaves[i].tensor.data, gs[i], ms[i], vs[i], decays[i] ? lr * wd : 0, beta1, beta2, eps, stepSize, bc2Sqrt);
      }
      s.step = t;
    },
  };
}
