/**
 * The training loss (lesson 18): cross-entropy between predicted logits and the true next tokens.
 * Shapes: logits `[..., V]`, one target per row.
 * @module
 */
import type { Tensor } from "./tensor";
import { ShapeError, formatShape } from "./tensor";
import { checkRank, describe, leading } from "./internal/check";

/**
 * Mean cross-entropy: `−mean_r log softmax(logits[r])[targets[r]]` over the rows whose target is not
 * −1 (ignored, as PyTorch's `ignore_index=-1`). Computed in float64 with the row maximum subtracted.
 *
 * @param logits - `[..., V]`
 * @param targets - one id in [0, V) or −1 per row (length = the product of logits' leading axes)
 * @returns the mean loss (NaN when every target is ignored, as PyTorch)
 * @throws ShapeError when the number of targets differs from the number of rows; RangeError for a bad target
 * @remarks Matches `F.cross_entropy(logits.view(-1, V), targets.view(-1), ignore_index=-1)`.
 * @category Model
 * @example
 * ```ts
 * crossEntropy(tensor([0, 0], [1, 2]), [1]); // ln 2 ≈ 0.6931
 * ```
 */
export function crossEntropy(logits: Tensor, targets: ArrayLike<number>): number {
  const fn = "crossEntropy";
  checkRank(fn, "logits", logits, 1, "[..., V]");
  const V = logits.shape[logits.shape.length - 1];
  const rows = leading(logits.shape, 1);
  if (targets == null || typeof targets === "string" || typeof targets.length !== "number") {
    throw new TypeError(`${fn}: targets must be an array of token ids, got ${describe(targets)}`);
  }
  if (targets.length !== rows) {
    throw new ShapeError(`${fn}: targets has length ${targets.length}, expected ${rows} (one per row of logits, shape ${formatShape(logits.shape)})`);
  }
  const x = logits.data;
  let total = 0, count = 0;
  for (let r = 0; r < rows; r++) {
    const t = targets[r];
    if (t === -1) continue;
    if (!Number.isInteger(t) || t < 0 || t >= V) {
      throw new RangeError(`${fn}: targets[${r}] is ${describe(t)}, expected an integer in [0, ${V}) or -1 (ignored)`);
    }
    const base = r * V;
    let max = -Infinity;
    for (let j = 0; j < V; j++) max = Math.max(max, x[base + j]);
    let sum = 0;
    for (let j = 0; j < V; j++) sum += Math.exp(x[base + j] - max);
    total += max + Math.log(sum) - x[base + t];
    count++;
  }
  return total / count;
}
