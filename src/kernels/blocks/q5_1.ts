// Q5_1 (ggml block_q5_1): 32 values as F16 d and m, then the 5-bit q laid out as Q5_0's;
// value = d·q + m, m the block's minimum, d = (max − min) / 31, as ggml's quantize_row_q5_1_ref.
import { type BlockCodec, minMax, readHalf, truncInt, writeHalf } from "./common";
import { packFive, unpackFive } from "./five-bit";

const QK = 32;
const f = Math.fround;

export const Q5_1: BlockCodec = {
  blockSize: QK,
  blockBytes: 8 + QK / 2,
  quantizeRow(src, srcAt, dst, dstAt, n) {
    const q = new Uint8Array(QK);
    for (let b = 0; b < n / QK; b++) {
      const x = srcAt + b * QK, o = dstAt + b * 24;
      const { min, max } = minMax(src, x, QK);
      const d = f(f(max - min) / 31), id = d === 0 ? 0 : f(1 / d);
      writeHalf(dst, o, d);
      writeHalf(dst, o + 2, min);
      for (let i = 0; i < QK; i++) q[i] = Math.min(31, truncInt(f(f(f(src[x + i] - min) * id) + 0.5)) & 0xff);
      packFive(q, dst, o + 4);
    }
  },
  dequantizeRow(src, srcAt, dst, dstAt, n) {
    const q = new Uint8Array(QK);
    for (let b = 0; b < n / QK; b++) {
      const o = srcAt + b * 24, d = readHalf(src, o), m = readHalf(src, o + 2), y = dstAt + b * QK;
      unpackFive(src, o + 4, q);
      for (let i = 0; i < QK; i++) dst[y + i] = f(d * q[i]) + m;
    }
  },
};
