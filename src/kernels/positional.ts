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

let invFreq = new Float64Array(0), invFreqD = -1, invFreqBase = NaN; // ropeForward's frequencies, for the last D and base

/**
 * Rotates pairs of each [D] row by angle (offset + t)·base^(−2i/D), t = row mod T.
 * `interleaved` pairs (x[2i], x[2i+1]) (GPT-J); otherwise (x[i], x[i + D/2]) (GPT-NeoX, HF LLaMA).
 * `out` may be `x`.
 * @category Kernels
 * @example
 * ```ts
 * ropeForward(q, q, H * T, T, D, 0, 10000, false); // in place, "half" pairs
 * ```
 */
export function ropeForward(
  out: Float32Array, x: Float32Array, rows: number, T: number, D: number,
  offset: number, base: number, interleaved: boolean,
): void {
  const half = D / 2;
  if (invFreqD !== D || invFreqBase !== base) { // kept between calls: a generation step allocates nothing
    invFreq = new Float64Array(half);
    for (let i = 0; i < half; i++) invFreq[i] = Math.pow(base, (-2 * i) / D);
    invFreqD = D;
    invFreqBase = base;
  }
  for (let r = 0; r < rows; r++) {
    const pos = offset + (r % T);
    const o = r * D;
    for (let i = 0; i < half; i++) {
      const angle = pos * invFreq[i];
      const c = Math.cos(angle), s = Math.sin(angle);
      const i0 = interleaved ? o + 2 * i : o + i;
      const i1 = interleaved ? i0 + 1 : i0 + half;
      const a = x[i0], b = x[i1];
      out[i0] = a * c - b * s;
      out[i1] = a * s + b * c;
    }
  }
}
