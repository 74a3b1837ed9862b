// Comparing float32 results with references: |actual − expected| ≤ atol + rtol·|expected|, with
// non-finite values required to match exactly. A failure names the first bad index and its value.
import { expect } from "vitest";
import type { Tensor } from "../../src/index";

export interface Tolerance {
  atol: number;
  rtol: number;
}

export interface Encoded {
  shape: number[];
  data: (number | string)[];
}

export function decode(e: Encoded): number[] {
  return e.data.map((v) => (typeof v === "number" ? v : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : NaN));
}

/** A tensor from an encoded fixture (values rounded to float32). */
export function fromRef(e: Encoded): Tensor {
  return { data: Float32Array.from(decode(e)), shape: [...e.shape] };
}

function firstMismatch(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance): string | null {
  if (actual.length !== expected.length) return `length ${actual.length}, expected ${expected.length}`;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i], e = expected[i];
    const ok = Number.isFinite(e) ? Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e) : Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e));
    if (!ok) return `index ${i}: got ${a}, expected ${e} (|diff| ${Math.abs(a - e)}, allowed ${tol.atol + tol.rtol * Math.abs(e)})`;
  }
  return null;
}

/** Asserts shape equality (when both are tensors) and element-wise closeness. */
export function expectClose(actual: Tensor | ArrayLike<number>, expected: Tensor | Encoded | ArrayLike<number>, tol: Tolerance): void {
  const a = "data" in actual ? actual.data : actual;
  let e: ArrayLike<number>;
  if ("data" in expected) {
    e = Array.isArray(expected.data) ? decode(expected as Encoded) : (expected.data as Float32Array);
    if ("shape" in actual) expect(actual.shape).toEqual(expected.shape);
  } else {
    e = expected;
  }
  const bad = firstMismatch(a, e, tol);
  expect(bad, bad ?? "").toBeNull();
}

/** The largest |a − b| over finite pairs (for reporting). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (Number.isFinite(b[i])) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
