// Normalisation kernels over the rows of a [rows, C] buffer. Two-pass statistics in float64, so a
// row with a large mean and a small spread keeps its precision (E[x²] − E[x]² would not).

/**
 * out = (x − mean)·rstd·weight + bias per row, rstd = 1/√(var + eps) with the biased variance.
 * Writes each row's mean and rstd where those buffers are given (what a backward pass needs).
 * @category Kernels
 */
export function layerNormForward(
  out: Float32Array, mean: Float32Array | null, rstd: Float32Array | null,
  x: Float32Array, weight: Float32Array, bias: Float32Array | null,
  rows: number, C: number, eps: number,
): void {
  for (let r = 0; r < rows; r++) {
    const base = r * C;
    let sum = 0;
    for (let i = 0; i < C; i++) sum += x[base + i];
    const m = sum / C;
    let sq = 0;
    for (let i = 0; i < C; i++) {
      const d = x[base + i] - m;
      sq += d * d;
    }
    const s = 1 / Math.sqrt(sq / C + eps);
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
 */
export function rmsNormForward(
  out: Float32Array, rstd: Float32Array | null,
  x: Float32Array, weight: Float32Array, rows: number, C: number, eps: number,
): void {
  for (let r = 0; r < rows; r++) {
    const base = r * C;
    let sq = 0;
    for (let i = 0; i < C; i++) sq += x[base + i] * x[base + i];
    const s = 1 / Math.sqrt(sq / C + eps);
    for (let i = 0; i < C; i++) out[base + i] = x[base + i] * s * weight[i];
    if (rstd !== null) rstd[r] = s;
  }
}
