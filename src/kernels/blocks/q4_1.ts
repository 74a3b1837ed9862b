// Q4_1 (ggml block_q4_1): 32 values as F16 d and m and 16 bytes of 4-bit q (nibbles as Q4_0),
// value = d·q + m, m the block's minimum, d = (max − min) / 15, as ggml's quantize_row_q4_1_ref.
import { type BlockCodec, minMax, readHalf, truncInt, writeHalf } from "./common";

const QK = 32;
const f = Math.fround;

export const Q4_1: BlockCodec = {
  blockSize: QK,
  blockBytes: 4 + QK / 2,
  quantizeRow(src, srcAt, dst, dstAt, n) {
    for (let b = 0; b < n / QK; b++) {
      const x = srcAt + b * QK, o = dstAt + b * 20;
      const { min, max } = minMax(src, x, QK);
      const d = f(f(max - min) / 15), id = d === 0 ? 0 : f(1 / d);
      writeHalf(dst, o, d);
      writeHalf(dst, o + 2, min);
      const q = (i: number) => Math.min(15, truncInt(f(f(f(src[x + i] - min) * id) + 0.5)) & 0xff);
      for (let i = 0; i < QK / 2; i++) dst[o + 4 + i] = q(i) | (q(i + 16) << 4);
    }
  },
  dequantizeRow(src, srcAt, dst, dstAt, n) {
    for (let b = 0; b < n / QK; b++) {
      const o = srcAt + b * 20, d = readHalf(src, o), m = readHalf(src, o + 2), y = dstAt + b * QK;
      for (let i = 0; i < QK / 2; i++) {
        const byte = src[o + 4 + i];
        dst[y + i] = f(d * (byte & 15)) + m;
        dst[y + i + 16] = f(d * (byte >> 4)) + m;
      }
    }
  },
};
