// The searches ggml's reference K-quant quantizers (quantize_row_q{4,5,6}_K_ref, no importance
// matrix) run per sub-block, in float32 as C computes them (each operation rounded, no fused
// multiply-add), so the bytes they give are llama.cpp's: make_qkx2_quants (a scale and a minimum,
// Q4_K and Q5_K) and make_qx_quants (a symmetric scale, Q6_K).

const f = Math.fround;
const bits = new Float32Array(1), asInt = new Int32Array(bits.buffer);

/** ggml's nearest_int: x + 1.5·2^23 in float32, its low mantissa bits as the integer (ties to even; what C gives for any x). */
export function nearestInt(x: number): number {
  bits[0] = x + 12582912;
  return (asInt[0] & 0x007fffff) - 0x00400000;
}

/** Below this a group is all zeros (ggml's GROUP_MAX_EPS). */
export const GROUP_MAX_EPS = f(1e-15);

/**
 * A scale and a minimum for x[at … at+n) (make_qkx2_quants): levels L in 0 … nmax, x ≈ scale·L − min,
 * the weighted squared error minimised over nstep + 1 trial scales (rmin + rdelta·is + nmax)/(max − min),
 * min the best so far, and a least-squares fit of each. Writes L; returns [scale, min].
 */
export function makeQkx2Quants(
  n: number, nmax: number, x: Float32Array, at: number, weights: Float32Array, L: Uint8Array, lAt: number, Laux: Uint8Array,
  rmin: number, rdelta: number, nstep: number,
): [number, number] {
  let min = x[at], max = x[at], sumW = weights[0], sumX = f(sumW * x[at]);
  for (let i = 1; i < n; i++) {
    const v = x[at + i];
    if (v < min) min = v;
    if (v > max) max = v;
    sumW = f(sumW + weights[i]);
    sumX = f(sumX + f(weights[i] * v));
  }
  if (min > 0) min = 0;
  if (max === min) {
    L.fill(0, lAt, lAt + n);
    return [0, -min];
  }
  let iscale = f(nmax / f(max - min)), scale = f(1 / iscale), best = 0;
  for (let i = 0; i < n; i++) {
    const l = Math.max(0, Math.min(nmax, nearestInt(f(iscale * f(x[at + i] - min)))));
    L[lAt + i] = l;
    const diff = f(f(f(scale * l) + min) - x[at + i]);
    best = f(best + f(weights[i] * f(diff * diff)));
  }
  for (let is = 0; is <= nstep; is++) {
    iscale = f(f(f(rmin + f(rdelta * is)) + nmax) / f(max - min)); // min is the best fit so far: each trial starts from it
    let sumL = 0, sumL2 = 0, sumXL = 0;
    for (let i = 0; i < n; i++) {
      const l = Math.max(0, Math.min(nmax, nearestInt(f(iscale * f(x[at + i] - min)))));
      Laux[i] = l;
      const wl = f(weights[i] * l);
      sumL = f(sumL + wl);
      sumL2 = f(sumL2 + f(wl * l));
      sumXL = f(sumXL + f(wl * x[at + i]));
    }
    const D = f(f(sumW * sumL2) - f(sumL * sumL));
    if (!(D > 0)) continue;
    let thisScale = f(f(f(sumW * sumXL) - f(sumX * sumL)) / D), thisMin = f(f(f(sumL2 * sumX) - f(sumL * sumXL)) / D);
    if (thisMin > 0) {
      thisMin = 0;
      thisScale = f(sumXL / sumL2);
    }
    let err = 0;
    for (let i = 0; i < n; i++) {
      const diff = f(f(f(thisScale * Laux[i]) + thisMin) - x[at + i]);
      err = f(err + f(weights[i] * f(diff * diff)));
    }
    if (err < best) {
      for (let i = 0; i < n; i++) L[lAt + i] = Laux[i];
      best = err;
      scale = thisScale;
      min = thisMin;
    }
  }
  return [scale, -min];
}

/**
 * A symmetric scale for x[at … at+n) (make_qx_quants with rmse_type 1: weights x²): levels
 * L − nmax in −nmax … nmax − 1, the best of 19 trial scales −(nmax + 0.1·is)/max by weighted
 * least squares. Writes L (0 … 2·nmax − 1); returns the scale.
 */
export function makeQxQuants(n: number, nmax: number, x: Float32Array, at: number, L: Int8Array, lAt: number): number {
  let max = 0, amax = 0;
  for (let i = 0; i < n; i++) {
    const ax = Math.abs(x[at + i]);
    if (ax > amax) { amax = ax; max = x[at + i]; }
  }
  if (amax < GROUP_MAX_EPS) {
    L.fill(0, lAt, lAt + n);
    return 0;
  }
  const level = (iscale: number, v: number) => Math.max(-nmax, Math.min(nmax - 1, nearestInt(f(iscale * v))));
  let iscale = f(-nmax / max), sumlx = 0, suml2 = 0;
  for (let i = 0; i < n; i++) {
    const v = x[at + i], l = level(iscale, v), w = f(v * v);
    L[lAt + i] = l + nmax;
    sumlx = f(sumlx + f(f(w * v) * l));
    suml2 = f(suml2 + f(f(w * l) * l));
  }
  let scale = suml2 ? f(sumlx / suml2) : 0, best = f(scale * sumlx);
  for (let is = -9; is <= 9; is++) {
    if (is === 0) continue;
    iscale = f(-f(nmax + f(f(0.1) * is)) / max);
    sumlx = suml2 = 0;
    for (let i = 0; i < n; i++) {
      const v = x[at + i], l = level(iscale, v), w = f(v * v);
      sumlx = f(sumlx + f(f(w * v) * l));
      suml2 = f(suml2 + f(f(w * l) * l));
    }
    if (suml2 > 0 && f(sumlx * sumlx) > f(best * suml2)) {
      for (let i = 0; i < n; i++) L[lAt + i] = nmax + level(iscale, x[at + i]);
      scale = f(sumlx / suml2);
      best = f(scale * sumlx);
    }
  }
  return scale;
}
