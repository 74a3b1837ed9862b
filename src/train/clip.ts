/**
 * Gradient clipping and the learning-rate schedule (nanoGPT's training loop).
 * @module
 */
import { describe } from "../internal/check";
import { tensorLeaves } from "./tree";

/**
 * Clips gradients by their global L2 norm, as `torch.nn.utils.clip_grad_norm_`: the norm over every
 * tensor together, `‖g‖ = √(Σ g²)` (in float64); when it exceeds `maxNorm`, every gradient is scaled
 * in place by `maxNorm / (‖g‖ + 1e-6)`.
 *
 * @param grads - any nested record of tensors (e.g. from {@link gptLossAndGrads})
 * @param maxNorm - the largest norm allowed, > 0
 * @returns the total norm before clipping
 * @throws RangeError for maxNorm ≤ 0 or NaN, and for a non-finite norm — naming the first path that
 *   holds a NaN or infinite value (grads are left as they were)
 * @category 22–23 · Training
 * @example
 * ```ts
 * const norm = clipGradNorm(grads, 1.0); // log it: a spike means the step was clipped
 * ```
 */
export function clipGradNorm(grads: unknown, maxNorm: number): number {
  const fn = "clipGradNorm";
  if (typeof maxNorm !== "number" || !(maxNorm > 0)) throw new RangeError(`${fn}: maxNorm must be a number > 0, got ${describe(maxNorm)}`);
  const leaves = tensorLeaves(grads);
  let sum = 0;
  for (const { tensor } of leaves) {
    const d = tensor.data;
    let s = 0;
    for (let i = 0; i < d.length; i++) s += d[i] * d[i];
    sum += s;
  }
  const norm = Math.sqrt(sum);
  if (!Number.isFinite(norm)) {
    for (const { path, tensor } of leaves) {
      const i = tensor.data.findIndex((x) => !Number.isFinite(x));
      if (i >= 0) throw new RangeError(`${fn}: the gradient norm is not finite: grads.${path}[${i}] is ${tensor.data[i]}, expected finite gradients`);
    }
    throw new RangeError(`${fn}: the gradient norm overflows (${norm}), expected a finite norm`);
  }
  if (norm > maxNorm) {
    const k = maxNorm / (norm + 1e-6);
    for (const { tensor } of leaves) {
      const d = tensor.data;
      for (let i = 0; i < d.length; i++) d[i] *= k;
    }
  }
  return norm;
}

/** Options of {@link cosineLr}. @category 22–23 · Training */
export interface CosineLrOptions {
  /** The peak learning rate, reached at the end of warmup. */
  maxLr: number;
  /** The floor, reached at `decaySteps` and kept after. */
  minLr: number;
  /** Steps of linear warmup. */
  warmupSteps: number;
  /** The step (absolute, nanoGPT's `lr_decay_iters`) where the cosine reaches minLr; > warmupSteps. */
  decaySteps: number;
}

/**
 * nanoGPT's learning-rate schedule `get_lr`, with a 0-based step: a linear warmup
 * `maxLr·(step+1)/(warmupSteps+1)` while `step < warmupSteps`; `minLr` once `step > decaySteps`;
 * between, a cosine from maxLr down to minLr: `minLr + ½(1 + cos(π·(step − warmupSteps)/(decaySteps − warmupSteps)))·(maxLr − minLr)`.
 *
 * @param options - `maxLr`, `minLr`, `warmupSteps`, `decaySteps`
 * @returns `lr(step)` for integer steps ≥ 0
 * @throws RangeError for maxLr ≤ 0, minLr < 0 or > maxLr, a negative or fractional warmup, decaySteps ≤ warmupSteps
 * @category 22–23 · Training
 * @example
 * ```ts
 * const lr = cosineLr({ maxLr: 1e-3, minLr: 1e-4, warmupSteps: 100, decaySteps: 5000 });
 * lr(0); // ≈ 9.9e-6; lr(100) = 1e-3; lr(6000) = 1e-4
 * ```
 */
export function cosineLr(options: CosineLrOptions): (step: number) => number {
  const fn = "cosineLr";
  if (options == null || typeof options !== "object") throw new TypeError(`${fn}: options must be { maxLr, minLr, warmupSteps, decaySteps }, got ${describe(options)}`);
  for (const key of Object.keys(options)) {
    if (!["maxLr", "minLr", "warmupSteps", "decaySteps"].includes(key)) throw new TypeError(`${fn}: unknown option ${JSON.stringify(key)}, expected maxLr, minLr, warmupSteps, decaySteps`);
  }
  const { maxLr, minLr, warmupSteps, decaySteps } = options;
  if (typeof maxLr !== "number" || !(maxLr > 0) || !Number.isFinite(maxLr)) throw new RangeError(`${fn}: maxLr must be a finite number > 0, got ${describe(maxLr)}`);
  if (typeof minLr !== "number" || !(minLr >= 0) || minLr > maxLr) throw new RangeError(`${fn}: minLr must be a number in [0, maxLr = ${maxLr}], got ${describe(minLr)}`);
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0) throw new RangeError(`${fn}: warmupSteps must be an integer ≥ 0, got ${describe(warmupSteps)}`);
  if (!Number.isInteger(decaySteps) || decaySteps <= warmupSteps) throw new RangeError(`${fn}: decaySteps must be an integer > warmupSteps = ${warmupSteps}, got ${describe(decaySteps)}`);
  return (step: number) => {
    if (!Number.isInteger(step) || step < 0) throw new RangeError(`cosineLr: step must be an integer ≥ 0, got ${describe(step)}`);
    if (step < warmupSteps) return (maxLr * (step + 1)) / (warmupSteps + 1);
    if (step > decaySteps) return minLr;
    const ratio = (step - warmupSteps) / (decaySteps - warmupSteps);
    return minLr + 0.5 * (1 + Math.cos(Math.PI * ratio)) * (maxLr - minLr);
  };
}
