// 16-bit floats, as ggml stores them: IEEE 754 binary16 (F16) and bfloat16 (BF16), converted to and
// from float32 with round-to-nearest-even (ggml_compute_fp32_to_fp16 / ggml_compute_fp32_to_bf16).

const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);

/**
 * IEEE 754 binary16 bits → its value (subnormals, infinities and NaN included): (−1)^s · 2^(e−15) · 1.f.
 * @category Kernels
 * @example
 * ```ts
 * halfToFloat(0x3c00); // 1
 * ```
 */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1, exp = (h >> 10) & 0x1f, frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * A number → the binary16 bits nearest its float32 value (ties to even; beyond 65504 → ±∞; NaN → a quiet NaN).
 * @category Kernels
 * @example
 * ```ts
 * floatToHalf(1); // 0x3c00
 * ```
 */
export function floatToHalf(x: number): number {
  f32[0] = x;
  const u = u32[0], sign = (u >>> 16) & 0x8000, exp = (u >>> 23) & 0xff, man = u & 0x7fffff;
  if (exp === 0xff) return sign | (man ? 0x7e00 : 0x7c00);
  const e = exp - 127 + 15; // the binary16 exponent
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) { // subnormal in binary16 (or zero): the 24-bit significand shifted right by 14 − e, rounded
    if (e < -10) return sign;
    const m = man | 0x800000, shift = 14 - e, half = 1 << (shift - 1);
    const rest = m & ((1 << shift) - 1);
    let h = m >>> shift;
    if (rest > half || (rest === half && (h & 1))) h++;
    return sign | h;
  }
  let h = (e << 10) | (man >>> 13);
  const rest = man & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (h & 1))) h++; // may carry into the exponent: still right (up to ∞)
  return sign | h;
}

/**
 * bfloat16 bits → its value: the upper 16 bits of a float32.
 * @category Kernels
 * @example
 * ```ts
 * bf16ToFloat(0x3f80); // 1
 * ```
 */
export function bf16ToFloat(h: number): number {
  u32[0] = (h & 0xffff) << 16;
  return f32[0];
}

/**
 * A number → the bfloat16 bits nearest its float32 value (ties to even; NaN stays a quiet NaN), as ggml's
 * `ggml_compute_fp32_to_bf16`.
 * @category Kernels
 * @example
 * ```ts
 * floatToBf16(1); // 0x3f80
 * ```
 */
export function floatToBf16(x: number): number {
  f32[0] = x;
  const u = u32[0];
  if ((u & 0x7fffffff) > 0x7f800000) return ((u >>> 16) | 64) & 0xffff; // NaN: quiet
  return ((u + (0x7fff + ((u >>> 16) & 1))) >>> 16) & 0xffff;
}
