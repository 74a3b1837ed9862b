// Q5_0 (ggml block_q5_0): 32 values as an F16 scale d, 4 bytes holding bit 4 of each q (value i at
// bit i, little-endian) and 16 bytes of its low 4 bits (nibbles as Q4_0); value = d·(q − 16),
// d = −m / 16 where m is the value of largest magnitude, as ggml's quantize_row_q5_0_ref.
import { type BlockCodec, readHalf, signedAbsMax, truncInt, writeHalf } from "./common";
import { packFive, unpackFive } from "./five-bit";

const QK = 32;
const f = Math.fround;

export const Q5_0: BlockCodec = {
  blockSize: QK,
  blockBytes: 6 + QK / 2,
  quantizeRow(src, srcAt, dst, dstAt, n) {
    const q = new Uint8Array(QK);
    for (let b = 0; b < n / QK; b++) {
      const x = srcAt + b * QK, o = dstAt + b * 22;
      const d = f(signedAbsMax(src, x, QK) / -16), id = d === 0 ? 0 : f(1 / d);
      writeHalf(dst, o, d);
      for (let i = 0; i < QK; i++) q[i] = Math.min(31, truncInt(f(src[x + i] * id + 16.5)) & 0xff);
      packFive(q, dst, o + 2);
    }
  },
  dequantizeRow(src, srcAt, dst, dstAt, n) {
    const q = new Uint8Array(QK);
    for (let b = 0; b < n / QK; b++) {
      const o = srcAt + b * 22, d = readHalf(src, o), y = dstAt + b * QK;
      unpackFive(src, o + 2, q);
      for (let i = 0; i < QK; i++) dst[y + i] = d * (q[i] - 16);
    }
  },
};
