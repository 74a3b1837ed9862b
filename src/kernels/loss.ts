// Cross-entropy kernels over rows of logits [rows, V] with one target id per row (−1 = ignored).
// Sums in float64, each row's maximum subtracted first.
import { expNonPositive } from "./exp";
import { rowMax } from "./softmax";
import { crossEntropyBackwardWasm, crossEntropyWasm } from "./wasm";

/**
 * Σ over the rows whose target is not −1 of −log softmax(logits[r])[targets[r]], computed as
 * (max − logits[r, t]) + log Σ_j exp(logits[r, j] − max), so that log Σ is never rounded away next to
 * a large max. Targets must be valid ids or −1 (unchecked).
 * @category Kernels
 * @example
 * ```ts
 * const total = crossEntropyKernel(logits, targets, rows, V); // divide by the number of targets ≠ −1
 * ```
 */
export function crossEntropyKernel(logits: Float32Array, targets: ArrayLike<number>, rows: number, V: number): number {
  const inMemory = crossEntropyWasm(logits, targets, rows, V); // the logits in the kernels' memory: the same arithmetic there
  if (inMemory !== null) return inMemory;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const t = targets[r];
    if (t === -1) continue;
    const base = r * V;
    const max = rowMax(logits, base, V);
    if (max !== max || max === Infinity || max === -Infinity) {
      total += NaN; // NaN or +∞ in the row, or every logit −∞ (NaN, as PyTorch: −∞ − (−∞); the backward is NaN too)
      continue;
    }
    let sum = 0;
    for (let j = 0; j < V; j++) sum += expNonPositive(logits[base + j] - max);
    total += max - logits[base + t] + Math.log(sum);
  }
  return total;
}

/**
 * The cross-entropy backward pass: dlogits[r, :] = scale·(softmax(logits[r]) − onehot(targets[r]))
 * for each row whose target is not −1, and zeros for ignored rows. It writes (does not add), and
 * dlogits may be logits itself (in place, as a training step reuses the logits buffer). For the
 * gradient of the mean, scale = 1 / (the number of targets that are not −1).
 * @category Kernels
 * @example
 * ```ts
 * crossEntropyBackwardKernel(logits, logits, targets, rows, V, 1 / count); // logits become dlogits
 * ```
 */
export function crossEntropyBackwardKernel(
  dlogits: Float32Array, logits: Float32Array, targets: ArrayLike<number>, rows: number, V: number, scale: number,
): void {
  if (crossEntropyBackwardWasm(dlogits, logits, targets, rows, V, scale)) return;
  for (let r = 0; r < rows; r++) {
    const t = targets[r], base = r * V;
    if (t === -1) {
      dlogits.fill(0, base, base + V);
      continue;
    }
    const max = rowMax(logits, base, V);
    let sum = 0;
    for (let j = 0; j < V; j++) {
      const e = expNonPositive(logits[base + j] - max);
      dlogits[base + j] = e;
      sum += e;
    }
    const k = scale / sum;
    for (let j = 0; j < V; j++) dlogits[base + j] *= k;
    dlogits[base + t] -= scale;
  }
}
