// Q4_K (ggml block_q4_K): 256 values in 8 sub-blocks of 32, as F16 d and dmin, 12 bytes of 6-bit
// sub-block scales and minimums, and 128 bytes of 4-bit q (bytes 32g … 32g+31: sub-block 2g in the
// low nibbles, 2g+1 in the high); value = d·sc·q − dmin·m, as ggml's dequantize_row_q4_K;
// quantized byte for byte as quantize_row_q4_K_ref (k-minmax.ts).
import { type BlockCodec, readHalf } from "./common";
import { scaleMinK4 } from "./k-scales";
import { quantizeScaleMinBlock } from "./k-minmax";

const f = Math.fround;

export const Q4_K: BlockCodec = {
  blockSize: 256,
  blockBytes: 144,
  quantizeRow(src, srcAt, dst, dstAt, n) {
    const L = new Uint8Array(256);
    for (let b = 0; b < n / 256; b++) {
      const o = dstAt + b * 144;
      quantizeScaleMinBlock(src, srcAt + b * 256, dst, o, L, 15, -1, Math.fround(0.1), 20);
      for (let g = 0; g < 4; g++) for (let l = 0; l < 32; l++) dst[o + 16 + 32 * g + l] = L[64 * g + l] | (L[64 * g + l + 32] << 4);
    }
  },
  dequantizeRow(src, srcAt, dst, dstAt, n) {
    const sc = new Uint8Array(8), m = new Uint8Array(8);
    for (let b = 0; b < n / 256; b++) {
      const o = srcAt + b * 144, y = dstAt + b * 256;
      const d = readHalf(src, o), dmin = readHalf(src, o + 2);
      scaleMinK4(src, o + 4, sc, m);
      for (let j = 0; j < 8; j++) {
        const ds = f(d * sc[j]), dm = f(dmin * m[j]), q = o + 16 + 32 * (j >> 1), shift = 4 * (j & 1);
        for (let k = 0; k < 32; k++) dst[y + 32 * j + k] = f(ds * ((src[q + k] >> shift) & 15)) - dm;
      }
    }
  },
};
