// Positional-encoding kernels: fixed sinusoids and rotary embeddings (RoPE). Angles in float64.

/**
 * out[p, 2i] = sin((offset + p) / base^(2i/C)), out[p, 2i+1] = cos(same), for a [T, C] buffer.
 * @category Kernels
 * @example
 * ```ts
 * sinusoidalForward(out, T, C, 10000, 0); // out [T, C]
 * ```
 */
export function sinusoidalForward(out: Float32Array, T: number, C: number, base: number, offset: number): void {
  for (let p = 0; p < T; p++) {
    const pos = offset + p;
    for (let i = 0; 2 * i < C; i++) {
      const angle = pos / Math.pow(base, (2 * i) / C);
      out[p * C + 2 * i] = Math.sin(angle);
      if (2 * i + 1 < C) out[p * C + 2 * i + 1] = Math.cos(angle);
    }
  }
}

let invFreq = new Float64Array(0), invFreqD = -1, invFreqBase = NaN; // RoPE's frequencies, for the last D, base and factors
let invFreqFactors: ArrayLike<number> | null = null;
let cosRow = new Float64Array(0), sinRow = new Float64Array(0); // one position's cos and sin, times the scale (angles)

/**
 * base^(−2i/D) for i < D/2, each divided by factors[i] where given (RoPE scaling: llama.cpp's
 * freq_factors), kept between calls: a generation step allocates nothing.
 */
function frequencies(D: number, base: number, factors: ArrayLike<number> | null): Float64Array {
  if (invFreqD !== D || invFreqBase !== base || invFreqFactors !== factors) {
    invFreq = new Float64Array(D / 2);
    for (let i = 0; i < D / 2; i++) invFreq[i] = Math.pow(base, (-2 * i) / D) / (factors === null ? 1 : factors[i]);
    invFreqD = D;
    invFreqBase = base;
    invFreqFactors = factors;
  }
  return invFreq;
}

/** Rotates the pairs of the row x[o … o + D) by position pos into out, their lengths times `scale`. */
/** cos and sin of pos·freq[i], times scale, into the shared rows (computed once per position, whatever the heads). */
function angles(pos: number, half: number, freq: Float64Array, scale: number): void {
  if (cosRow.length < half) { cosRow = new Float64Array(half); sinRow = new Float64Array(half); }
  for (let i = 0; i < half; i++) {
    const angle = pos * freq[i];
    cosRow[i] = Math.cos(angle) * scale;
    sinRow[i] = Math.sin(angle) * scale;
  }
}

/** out's row at o = x's row at o rotated by the angles in cosRow/sinRow (pairs (i, i + D/2), or (2i, 2i + 1) interleaved). */
function rotateWith(out: Float32Array, x: Float32Array, o: number, D: number, interleaved: boolean): void {
  const half = D / 2, cs = cosRow, sn = sinRow;
  for (let i = 0; i < half; i++) {
    const i0 = interleaved ? o + 2 * i : o + i, i1 = interleaved ? i0 + 1 : i0 + half;
    const a = x[i0], b = x[i1], c = cs[i], s = sn[i];
    out[i0] = a * c - b * s;
    out[i1] = a * s + b * c;
  }
}

/**
 * Rotates pairs of each [D] row by angle (offset + t)·base^(−2i/D), t = row mod T (rows head-major:
 * [H, T, D]). `interleaved` pairs (x[2i], x[2i+1]) (GPT-J); otherwise (x[i], x[i + D/2]) (GPT-NeoX,
 * HF LLaMA). `out` may be `x`. `freqFactors` (D/2 of them) divide the frequencies (RoPE scaling);
 * `scale` multiplies cos and sin (YaRN's attention factor).
 * @category Kernels
 * @example
 * ```ts
 * ropeForward(q, q, H * T, T, D, 0, 10000, false); // in place, "half" pairs
 * ```
 */
export function ropeForward(
  out: Float32Array, x: Float32Array, rows: number, T: number, D: number,
  offset: number, base: number, interleaved: boolean, freqFactors: ArrayLike<number> | null = null, scale = 1,
): void {
  const freq = frequencies(D, base, freqFactors);
  for (let r = 0; r < rows; r++) {
    angles(offset + (r % T), D / 2, freq, scale);
    rotateWith(out, x, r * D, D, interleaved);
  }
}

/**
 * {@link ropeForward} on token-major rows, in place: x `[T, H·D]` (a projection before it is split
 * into heads), each head's D values of token t rotated by position offset + t.
 * @category Kernels
 * @example
 * ```ts
 * ropeTokensForward(kProj, T, Hkv, D, cache.length, 10000, false); // then split into the cache
 * ```
 */
export function ropeTokensForward(x: Float32Array, T: number, H: number, D: number, offset: number, base: number, interleaved: boolean, freqFactors: ArrayLike<number> | null = null, scale = 1): void {
  rotateTokens(x, T, H, D, 1, offset, base, interleaved, freqFactors, scale);
}

/**
 * The backward pass of {@link ropeTokensForward}, in place: a rotation's gradient is the rotation
 * back, so each head's D values of token t are rotated by −(offset + t) (and scaled by the same `scale`).
 * @category Kernels
 * @example
 * ```ts
 * ropeTokensBackward(dqProj, T, H, D, 0, 10000, false); // dq before the rotation
 * ```
 */
export function ropeTokensBackward(dx: Float32Array, T: number, H: number, D: number, offset: number, base: number, interleaved: boolean, freqFactors: ArrayLike<number> | null = null, scale = 1): void {
  rotateTokens(dx, T, H, D, -1, offset, base, interleaved, freqFactors, scale);
}

/**
 * x [T, H, D] rotated in place, token t by the angle sign·(offset + t)·freq: each token's cos and
 * sin computed once for its H heads.
 */
function rotateTokens(x: Float32Array, T: number, H: number, D: number, sign: number, offset: number, base: number, interleaved: boolean, freqFactors: ArrayLike<number> | null, scale: number): void {
  const freq = frequencies(D, base, freqFactors);
  for (let t = 0; t < T; t++) {
    angles(sign * (offset + t), D / 2, freq, scale);
    for (let h = 0; h < H; h++) rotateWith(x, x, (t * H + h) * D, D, interleaved);
  }
}