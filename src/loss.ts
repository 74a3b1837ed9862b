/**
 * The training loss (lesson 18): cross-entropy between predicted logits and the true next tokens.
 * Shapes: logits `[..., V]`, one target per row.
 * @module
 */
import type { Tensor } from "./tensor";
import { ShapeError, formatShape } from "./tensor";
import { checkOptions, checkOut, checkRank, describe, leading } from "./internal/check";
import { crossEntropyBackwardKernel, crossEntropyKernel } from "./kernels/loss";

/**
 * Mean cross-entropy: `−mean_r log softmax(logits[r])[targets[r]]` over the rows whose target is not
 * −1 (ignored, as PyTorch's `ignore_index=-1`). Computed in float64 with the row maximum subtracted.
 *
 * @param logits - `[..., V]`
 * @param targets - one id in [0, V) or −1 per row (length = the product of logits' leading axes)
 * @returns the mean loss (NaN when every target is ignored, as PyTorch; NaN also when a row's logits
 *   are all −∞, as PyTorch's `log_softmax` gives −∞ − (−∞) there, and {@link crossEntropyBackward}
 *   gives that row NaN)
 * @throws ShapeError when the number of targets differs from the number of rows; RangeError for a bad target
 * @remarks Matches `F.cross_entropy(logits.view(-1, V), targets.view(-1), ignore_index=-1)`.
 * @category 13–20 · The model
 * @example
 * ```ts
 * crossEntropy(tensor([0, 0], [1, 2]), [1]); // ln 2 ≈ 0.6931
 * ```
 */
export function crossEntropy(logits: Tensor, targets: ArrayLike<number>): number {
  const { rows, V, count } = checkTargets("crossEntropy", logits, targets);
  return crossEntropyKernel(logits.data, targets, rows, V) / count;
}

/** Checks logits and targets; returns the rows, the vocabulary and the number of targets that are not −1. */
function checkTargets(fn: string, logits: Tensor, targets: ArrayLike<number>): { rows: number; V: number; count: number } {
  checkRank(fn, "logits", logits, 1, "[..., V]");
  const V = logits.shape[logits.shape.length - 1];
  const rows = leading(logits.shape, 1);
  if (targets == null || typeof targets === "string" || typeof targets.length !== "number") {
    throw new TypeError(`${fn}: targets must be an array of token ids, got ${describe(targets)}`);
  }
  if (targets.length !== rows) {
    throw new ShapeError(`${fn}: targets has length ${targets.length}, expected ${rows} (one per row of logits, shape ${formatShape(logits.shape)})`);
  }
  let count = 0;
  for (let r = 0; r < rows; r++) {
    const t = targets[r];
    if (t === -1) continue;
    if (!Number.isInteger(t) || t < 0 || t >= V) {
      throw new RangeError(`${fn}: targets[${r}] is ${describe(t)}, expected an integer in [0, ${V}) or -1 (ignored)`);
    }
    count++;
  }
  return { rows, V, count };
}

/**
 * The gradient of {@link crossEntropy} (the mean over targets that are not −1) with respect to the
 * logits: `dlogits[r] = (softmax(logits[r]) − onehot(targets[r])) / N` for the N counted rows, and
 * zeros for ignored rows. (Every target ignored: all zeros, where the loss is NaN.)
 *
 * @param logits - `[..., V]`
 * @param targets - one id in [0, V) or −1 per row
 * @param options - `out`: where to write `[..., V]`; it may be `logits` itself (in place, saving a copy of a large vocabulary's logits)
 * @returns dlogits `[..., V]`
 * @throws as {@link crossEntropy}
 * @remarks Matches `torch.autograd.grad(F.cross_entropy(logits.view(-1, V), targets.view(-1), ignore_index=-1), logits)`.
 * @category 22–23 · Training
 * @example
 * ```ts
 * crossEntropyBackward(tensor([0, 0], [1, 2]), [1]).data; // [0.5, -0.5]
 * ```
 */
export function crossEntropyBackward(logits: Tensor, targets: ArrayLike<number>, options?: { out?: Tensor }): Tensor {
  const fn = "crossEntropyBackward";
  const { out } = checkOptions(fn, options, ["out"]);
  const { rows, V, count } = checkTargets(fn, logits, targets);
  const dlogits = out === logits ? logits : checkOut(fn, out, logits.shape, [logits]);
  crossEntropyBackwardKernel(dlogits.data, logits.data, targets, rows, V, count === 0 ? 0 : 1 / count);
  return dlogits;
}
