// Normalisation kernels over the rows of a [rows, C] buffer. Two-pass statistics in float64, so a
// row with a large mean and a small spread keeps its precision (E[x²] − E[x]² would not).

/**
 * out = (x − mean)·rstd·weight + bias per row, rstd = 1/√(var + eps) with the biased variance.
 * Writes each row's mean and rstd where those buffers are given (what a backward pass needs).
 * @category Kernels
 * @example
 * ```ts
 * layerNormForward(out, mean, rstd, x, w, b, rows, C, 1e-5); // mean, rstd: Float32Array(rows) or null
 * ```
 */
export function layerNormForward(
  out: Float32Array, mean: Float32Array | null, rstd: Float32Array | null,
  x: Float32Array, weight: Float32Array, bias: Float32Array | null,
  rows: number, C: number, eps: number,
): void {
  for (let r = 0; r < rows; r++) {
    const base = r * C;
    const m = rowSum(x, base, C) / C;
    const s = 1 / Math.sqrt(rowSquares(x, base, C, m) / C + eps);
    if (bias === null) {
      for (let i = 0; i < C; i++) out[base + i] = (x[base + i] - m) * s * weight[i];
    } else {
      for (let i = 0; i < C; i++) out[base + i] = (x[base + i] - m) * s * weight[i] + bias[i];
    }
    if (mean !== null) mean[r] = m;
    if (rstd !== null) rstd[r] = s;
  }
}

/**
 * out = x·rstd·weight per row, rstd = 1/√(mean(x²) + eps). Writes rstd per row where given.
 * @category Kernels
 * @example
 * ```ts
 * rmsNormForward(out, null, x, w, rows, C, 1e-6);
 * ```
 */
export function rmsNormForward(
  out: Float32Array, rstd: Float32Array | null,
  x: Float32Array, weight: Float32Array, rows: number, C: number, eps: number,
): void {
  for (let r = 0; r < rows; r++) {
    const base = r * C;
    const s = 1 / Math.sqrt(rowSquares(x, base, C, 0) / C + eps);
    for (let i = 0; i < C; i++) out[base + i] = x[base + i] * s * weight[i];
    if (rstd !== null) rstd[r] = s;
  }
}

// Sums in four independent float64 accumulators: the additions overlap instead of waiting for each other.
function rowSum(x: Float32Array, base: number, C: number): number {
  let a = 0, b = 0, c = 0, d = 0, i = 0;
  for (; i + 4 <= C; i += 4) {
    a += x[base + i]; b += x[base + i + 1]; c += x[base + i + 2]; d += x[base + i + 3];
  }
  for (; i < C; i++) a += x[base + i];
  return a + b + c + d;
}

/** Σ (x − m)² over a row. */
function rowSquares(x: Float32Array, base: number, C: number, m: number): number {
  let a = 0, b = 0, c = 0, d = 0, i = 0;
  for (; i + 4 <= C; i += 4) {
    const p = x[base + i] - m, q = x[base + i + 1] - m, r = x[base + i + 2] - m, s = x[base + i + 3] - m;
    a += p * p; b += q * q; c += r * r; d += s * s;
  }
  for (; i < C; i++) {
    const p = x[base + i] - m;
    a += p * p;
  }
  return a + b + c + d;
}
