// The 6-bit scales and minimums Q4_K and Q5_K pack in 12 bytes for their 8 sub-blocks of 32
// (ggml's get_scale_min_k4): sub-blocks 0–3 in the low 6 bits of bytes 0–3 (scales) and 4–7
// (minimums); sub-blocks 4–7 in the nibbles of bytes 8–11 with their top 2 bits in the top bits of
// bytes 0–7.

/** Writes the 8 scales and 8 minimums of the 12 bytes at src[at …) into sc and m. */
export function scaleMinK4(src: Uint8Array, at: number, sc: Uint8Array, m: Uint8Array): void {
  for (let j = 0; j < 4; j++) {
    const d = src[at + j], mn = src[at + 4 + j], md = src[at + 8 + j];
    sc[j] = d & 0x3f;
    m[j] = mn & 0x3f;
    sc[j + 4] = (md & 0x0f) | ((d >> 2) & 0x30);
    m[j + 4] = (md >> 4) | ((mn >> 2) & 0x30);
  }
}

/** Packs 8 scales and 8 minimums (each 0 … 63) into the 12 bytes at dst[at …), as quantize_row_q4_K_ref does. */
export function packScaleMinK4(dst: Uint8Array, at: number, ls: ArrayLike<number>, lm: ArrayLike<number>): void {
  for (let j = 0; j < 12; j++) dst[at + j] = 0;
  for (let j = 0; j < 8; j++) {
    if (j < 4) {
      dst[at + j] = ls[j];
      dst[at + j + 4] = lm[j];
    } else {
      dst[at + j + 4] = (ls[j] & 0xf) | ((lm[j] & 0xf) << 4);
      dst[at + j - 4] |= (ls[j] >> 4) << 6;
      dst[at + j] |= (lm[j] >> 4) << 6;
    }
  }
}
