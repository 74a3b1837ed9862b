// What both families' training entry points check the same way: a batch of ids and targets, and
// gradient buffers that are apart from the params and from each other.
import type { Tensor } from "../tensor";
import { ShapeError } from "../tensor";
import { describe, overlaps } from "../internal/check";
import { pairLeaves, residentZerosLike, tensorLeaves } from "./tree";

/** Gradient buffers must be apart from the params (writing them would change the model) and from each other. */
export function checkGradBuffers(fn: string, leaves: readonly { path: string; tensor: Tensor }[], grads: readonly Tensor[]): void {
  for (let i = 0; i < grads.length; i++) {
    for (const { path, tensor } of leaves) {
      if (overlaps(grads[i].data, tensor.data)) throw new RangeError(`${fn}: grads.${leaves[i].path} shares memory with params.${path}, expected separate gradient buffers (zerosLike(params) makes them)`);
    }
    for (let j = i + 1; j < grads.length; j++) {
      if (overlaps(grads[i].data, grads[j].data)) throw new RangeError(`${fn}: grads.${leaves[i].path} and grads.${leaves[j].path} share memory, expected a separate buffer for each gradient`);
    }
  }
}

function isSequence(x: unknown): x is ArrayLike<number> {
  return x != null && typeof x === "object" && typeof (x as ArrayLike<number>).length === "number";
}

/** Checks ids and targets (one sequence or a batch of equal-length ones) and flattens them. */
export function checkBatch(fn: string, c: { vocabSize: number; blockSize: number }, ids: unknown, targets: unknown) {
  if (!isSequence(ids) || typeof ids === "string") throw new TypeError(`${fn}: ids must be an array of token ids or an array of such sequences, got ${describe(ids)}`);
  if (!isSequence(targets) || typeof targets === "string") throw new TypeError(`${fn}: targets must have the structure of ids, got ${describe(targets)}`);
  const batched = Array.isArray(ids) && ids.length > 0 && isSequence(ids[0]);
  const idRows = (batched ? ids : [ids]) as ArrayLike<number>[];
  const targetRows = (batched ? targets : [targets]) as ArrayLike<unknown>[];
  const B = idRows.length;
  if (B === 0) throw new RangeError(`${fn}: ids is empty, expected at least one sequence of at least one token`);
  if (targetRows.length !== B) throw new ShapeError(`${fn}: targets has ${targetRows.length} sequences, expected ${B} (as ids)`);
  const T = idRows[0].length;
  if (T === 0) throw new RangeError(`${fn}: ids${batched ? "[0]" : ""} is empty, expected at least one token`);
  if (T > c.blockSize) throw new RangeError(`${fn}: sequences of ${T} tokens exceed the block size, expected at most ${c.blockSize} (config.blockSize)`);
  const flatIds = new Int32Array(B * T), flatTargets = new Int32Array(B * T);
  for (let b = 0; b < B; b++) {
    const where = batched ? `[${b}]` : "";
    const row = idRows[b], trow = targetRows[b];
    if (!isSequence(row)) throw new TypeError(`${fn}: ids${where} must be an array of token ids, got ${describe(row)}`);
    if (row.length !== T) throw new ShapeError(`${fn}: ids${where} has length ${row.length}, expected ${T} (every sequence of a batch the length of ids[0])`);
    if (!isSequence(trow)) throw new TypeError(`${fn}: targets${where} must be an array of token ids, got ${describe(trow)}`);
    if (trow.length !== T) throw new ShapeError(`${fn}: targets${where} has length ${trow.length}, expected ${T} (the length of ids${where})`);
    for (let t = 0; t < T; t++) {
      const id = row[t], target = trow[t];
      if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id >= c.vocabSize) {
        throw new RangeError(`${fn}: ids${where}[${t}] is ${describe(id)}, expected an integer id in [0, ${c.vocabSize}) (vocab size ${c.vocabSize})`);
      }
      if (typeof target !== "number" || !Number.isInteger(target) || target < -1 || target >= c.vocabSize) {
        throw new RangeError(`${fn}: targets${where}[${t}] is ${describe(target)}, expected an integer id in [0, ${c.vocabSize}) or -1 (ignored)`);
      }
      flatIds[b * T + t] = id;
      flatTargets[b * T + t] = target;
    }
  }
  return { flatIds, flatTargets, B, T, batched };
}

/**
 * The gradient buffers of one step: the given ones (checked to have the params' structure, to be
 * apart from the params and from each other, and zeroed unless accumulating), or fresh zeros.
 */
export function gradsFor<G>(fn: string, params: unknown, given: G | undefined, accumulate: boolean): G {
  if (given === undefined) return residentZerosLike(params) as G; // it leaves the config out
  const leaves = tensorLeaves(params);
  const targets = pairLeaves(fn, "grads", leaves, given);
  checkGradBuffers(fn, leaves, targets);
  if (!accumulate) for (const t of targets) t.data.fill(0);
  return given;
}
