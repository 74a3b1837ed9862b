// Normalisation kernels over the rows of a [rows, C] buffer. Statistics in float64 in one pass over
// the row, shifted by the row's first value (the "shifted data" variance): Σ(x − K) and Σ(x − K)²
// with K = x[0] keep a row with a large mean and a small spread precise, where E[x²] − E[x]² would not.
// Layer norm runs the same float64 arithmetic in WebAssembly (kernels.wat) where its arrays live there.
import { layerNormBackwardWasm, layerNormWasm } from "./wasm";

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
  if (layerNormWasm(out, mean, rstd, x, weight, bias, rows, C, eps)) return; // every array in the kernels' memory: the same arithmetic there
  for (let r = 0; r < rows; r++) {
    const base = r * C;
    rowStats(x, base, C);
    const m = stats[0];
    const s = 1 / Math.sqrt(stats[1] + eps);
    if (bias === null) {
      for (let i = 0; i < C; i++) out[base + i] = (x[base + i] - m) * s * weight[i];
    } else {
      affine(out, x, base, C, m, s, weight, bias);
    }
    if (mean !== null) mean[r] = m;
    if (rstd !== null) rstd[r] = s;
  }
}

/** out = (x − m)·s·weight + bias over one row, four at a time. */
function affine(out: Float32Array, x: Float32Array, base: number, C: number, m: number, s: number, weight: Float32Array, bias: Float32Array): void {
  let i = 0;
  for (; i + 4 <= C; i += 4) {
    const j = base + i;
    out[j] = (x[j] - m) * s * weight[i] + bias[i];
    out[j + 1] = (x[j + 1] - m) * s * weight[i + 1] + bias[i + 1];
    out[j + 2] = (x[j + 2] - m) * s * weight[i + 2] + bias[i + 2];
    out[j + 3] = (x[j + 3] - m) * s * weight[i + 3] + bias[i + 3];
  }
  for (; i < C; i++) out[base + i] = (x[base + i] - m) * s * weight[i] + bias[i];
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

const stats = new Float64Array(2); // rowStats' mean and variance (two numbers returned without allocating)

/**
 * A row's mean and biased variance in one pass, in float64: with d = x − x[base], mean = x[base] + Σd/C
 * and var = (Σd² − (Σd)²/C)/C. Two independent accumulator pairs, so the additions overlap.
 */
function rowStats(x: Float32Array, base: number, C: number): void {
  const K = C > 0 ? x[base] : 0;
  let s0 = 0, q0 = 0, s1 = 0, q1 = 0, i = 0;
  for (; i + 2 <= C; i += 2) {
    const a = x[base + i] - K, b = x[base + i + 1] - K;
    s0 += a; q0 += a * a; s1 += b; q1 += b * b;
  }
  if (i < C) {
    const a = x[base + i] - K;
    s0 += a; q0 += a * a;
  }
  const s = s0 + s1;
  stats[0] = K + s / C;
  stats[1] = Math.max(0, (q0 + q1 - (s * s) / C) / C);
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

let rowGrads = new Float64Array(0); // layerNormBackwardKernel's per-channel sums, grown as needed

/**
 * The layer-norm backward pass (llm.c's `layernorm_backward`), added into dx, dweight and dbias.
 * With n = (x − mean)·rstd and g = dy·weight per row:
 * dx += rstd·(g − mean(g) − n·mean(g·n)), dweight += Σ_rows dy·n, dbias += Σ_rows dy.
 * mean and rstd are the forward's (from {@link layerNormForward}); dbias may be null (no bias).
 * The per-channel sums run in float64 over all rows before they are added.
 * @category Kernels
 * @example
 * ```ts
 * layerNormBackwardKernel(dx, dw, db, dy, x, w, mean, rstd, rows, C);
 * ```
 */
export function layerNormBackwardKernel(
  dx: Float32Array, dweight: Float32Array, dbias: Float32Array | null,
  dy: Float32Array, x: Float32Array, weight: Float32Array, mean: Float32Array, rstd: Float32Array,
  rows: number, C: number,
): void {
  if (layerNormBackwardWasm(dx, dweight, dbias, dy, x, weight, mean, rstd, rows, C)) return; // every array in the kernels' memory: the same arithmetic there
  if (rowGrads.length < 2 * C) rowGrads = new Float64Array(2 * C);
  const dw = rowGrads, db = C; // dw[i] and dw[db + i]
  dw.fill(0, 0, 2 * C);
  for (let r = 0; r < rows; r++) {
    const base = r * C, m = mean[r], s = rstd[r];
    let sumG = 0, sumGN = 0;
    for (let i = 0; i < C; i++) {
      const g = dy[base + i] * weight[i];
      sumG += g;
      sumGN += g * (x[base + i] - m) * s;
    }
    const meanG = sumG / C, meanGN = sumGN / C;
    for (let i = 0; i < C; i++) {
      const d = dy[base + i], n = (x[base + i] - m) * s;
      dw[i] += d * n;
      dw[db + i] += d;
      dx[base + i] += s * (d * weight[i] - meanG - n * meanGN);
    }
  }
  for (let i = 0; i < C; i++) dweight[i] += dw[i];
  if (dbias !== null) for (let i = 0; i < C; i++) dbias[i] += dw[db + i];
}

/**
 * The RMS-norm backward pass, added into dx and dweight. With r = rstd, g = dy·weight:
 * dx += r·g − x·r³·mean(g·x), dweight += Σ_rows dy·x·r. rstd is the forward's (from {@link rmsNormForward}).
 * @category Kernels
 * @example
 * ```ts
 * rmsNormBackwardKernel(dx, dw, dy, x, w, rstd, rows, C);
 * ```
 */
export function rmsNormBackwardKernel(
  dx: Float32Array, dweight: Float32Array,
  dy: Float32Array, x: Float32Array, weight: Float32Array, rstd: Float32Array, rows: number, C: number,
): void {
  if (rowGrads.length < C) rowGrads = new Float64Array(2 * C);
  const dw = rowGrads;
  dw.fill(0, 0, C);
  for (let r = 0; r < rows; r++) {
    const base = r * C, s = rstd[r];
    let sumGX = 0;
    for (let i = 0; i < C; i++) sumGX += dy[base + i] * weight[i] * x[base + i];
    const k = (s * s * s * sumGX) / C;
    for (let i = 0; i < C; i++) {
      const d = dy[base + i], xi = x[base + i];
      dw[i] += d * xi * s;
      dx[base + i] += s * d * weight[i] - xi * k;
    }
  }
  for (let i = 0; i < C; i++) dweight[i] += dw[i];
}
