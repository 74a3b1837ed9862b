// The AdamW update of one tensor (the optimizer's loop; ../train/adamw.ts checks and drives it).
import { adamwWasm } from "./wasm";
import { ADAMW_MIN_VALUES } from "../backend/thresholds";

/**
 * One AdamW update of one tensor, in place, in PyTorch's order: p ← p·(1 − decay);
 * m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; p ← p − stepSize·m / (√v / bc2Sqrt + eps) — each value in
 * float64 from its float32 inputs (the reference; {@link adamwKernel} takes the fastest path). Elements
 * `from` … p.length − 1.
 * @category Kernels
 * @example
 * ```ts
 * adamwReference(p, g, m, v, lr * wd, 0.9, 0.999, 1e-8, lr / (1 - 0.9 ** t), Math.sqrt(1 - 0.999 ** t));
 * ```
 */
export function adamwReference(
  p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array,
  decay: number, beta1: number, beta2: number, eps: number, stepSize: number, bc2Sqrt: number, from = 0,
): void {
  const keep = 1 - decay, a1 = 1 - beta1, a2 = 1 - beta2;
  for (let i = from; i < p.length; i++) {
    const gi = g[i];
    const mi = (m[i] = beta1 * m[i] + a1 * gi);
    const vi = (v[i] = beta2 * v[i] + a2 * gi * gi);
    p[i] = p[i] * keep - (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
  }
}

/**
 * One AdamW update of one tensor by the fastest kernel here: WebAssembly SIMD in float32 (as PyTorch
 * computes it) for tensors of at least 1,024 values, where available and switched on; else (and for
 * the last n % 4 values) {@link adamwReference}. Same arguments.
 * @category Kernels
 * @example
 * ```ts
 * adamwKernel(p, g, m, v, lr * wd, 0.9, 0.999, 1e-8, lr / (1 - 0.9 ** t), Math.sqrt(1 - 0.999 ** t));
 * ```
 */
export function adamwKernel(
  p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array,
  decay: number, beta1: number, beta2: number, eps: number, stepSize: number, bc2Sqrt: number,
): void {
  const done = p.length >= ADAMW_MIN_VALUES ? adamwWasm(p, g, m, v, decay, beta1, beta2, eps, stepSize, bc2Sqrt) : 0;
  if (done < p.length) adamwReference(p, g, m, v, decay, beta1, beta2, eps, stepSize, bc2Sqrt, done);
}
