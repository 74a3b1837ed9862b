// Q5_K (ggml block_q5_K): Q4_K's layout (F16 d and dmin, 12 bytes of 6-bit scales and minimums)
// plus 32 bytes whose bit j of byte k is the fifth bit of value k of sub-block j, then the 128
// bytes of low nibbles; value = d·sc·q − dmin·m, as ggml's dequantize_row_q5_K; quantized byte
// for byte as quantize_row_q5_K_ref (k-minmax.ts).
import { type BlockCodec, readHalf } from "./common";
import { scaleMinK4 } from "./k-scales";
import { quantizeScaleMinBlock } from "./k-minmax";

const f = Math.fround;

export const Q5_K: BlockCodec = {
  blockSize: 256,
  blockBytes: 176,
  quantizeRow(src, srcAt, dst, dstAt, n) {
    const L = new Uint8Array(256);
    for (let b = 0; b < n / 256; b++) {
      const o = dstAt + b * 176;
      quantizeScaleMinBlock(src, srcAt + b * 256, dst, o, L, 31, Math.fround(-0.5), Math.fround(0.1), 15);
      dst.fill(0, o + 16, o + 48);
      for (let g = 0; g < 4; g++) for (let k = 0; k < 32; k++) { // sub-blocks 2g, 2g+1: low nibbles, fifth bits at bits 2g, 2g+1
        const l1 = L[64 * g + k], l2 = L[64 * g + 32 + k];
        dst[o + 16 + k] |= ((l1 >> 4) << (2 * g)) | ((l2 >> 4) << (2 * g + 1));
        dst[o + 48 + 32 * g + k] = (l1 & 15) | ((l2 & 15) << 4);
      }
    }
  },
  dequantizeRow(src, srcAt, dst, dstAt, n) {
    const sc = new Uint8Array(8), m = new Uint8Array(8);
    for (let b = 0; b < n / 256; b++) {
      const o = srcAt + b * 176, y = dstAt + b * 256;
      const d = readHalf(src, o), dmin = readHalf(src, o + 2);
      scaleMinK4(src, o + 4, sc, m);
      for (let j = 0; j < 8; j++) {
        const ds = f(d * sc[j]), dm = f(dmin * m[j]), q = o + 48 + 32 * (j >> 1), shift = 4 * (j & 1);
        for (let k = 0; k < 32; k++) {
          const v = ((src[q + k] >> shift) & 15) | (((src[o + 16 + k] >> j) & 1) << 4);
          dst[y + 32 * j + k] = f(ds * v) - dm;
        }
      }
    }
  },
};
