// fast-check generators for float32 tensors.
import fc from "fast-check";
import type { Tensor } from "../../src/index";

/** Finite float32 values in [-bound, bound]. */
export function float32(bound = 10): fc.Arbitrary<number> {
  return fc.float({ min: Math.fround(-bound), max: Math.fround(bound), noNaN: true, noDefaultInfinity: true });
}

/** A tensor of the given shape with values in [-bound, bound]. */
export function tensorOf(shape: number[], bound = 10): fc.Arbitrary<Tensor> {
  const n = shape.reduce((a, b) => a * b, 1);
  return fc.array(float32(bound), { minLength: n, maxLength: n }).map((v) => ({ data: Float32Array.from(v), shape }));
}

/** A random shape [...lead, last] with small dimensions. */
export function shapeOf(rank: number, maxDim = 6, minDim = 1): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: rank, maxLength: rank });
}

/** A tensor with a random shape of the given rank. */
export function anyTensor(rank: number, maxDim = 6, bound = 10): fc.Arbitrary<Tensor> {
  return shapeOf(rank, maxDim).chain((s) => tensorOf(s, bound));
}

export const runs = { numRuns: 100, seed: 20261128 } as const;
