// Q4_0 (ggml block_q4_0): 32 values as an F16 scale d and 16 bytes of 4-bit q (value i in the low
// nibble of byte i, value i + 16 in its high nibble), value = d·(q − 8), d = −m / 8 where m is the
// value of largest magnitude, as ggml's quantize_row_q4_0_ref (x/d + 8.5 rounded once, as with FMA).
import { type BlockCodec, readHalf, signedAbsMax, truncInt, writeHalf } from "./common";

const QK = 32;
const f = Math.fround;

export const Q4_0: BlockCodec = {
  blockSize: QK,
  blockBytes: 2 + QK / 2,
  quantizeRow(src, srcAt, dst, dstAt, n) {
    for (let b = 0; b < n / QK; b++) {
      const x = srcAt + b * QK, o = dstAt + b * 18;
      const d = f(signedAbsMax(src, x, QK) / -8), id = d === 0 ? 0 : f(1 / d);
      writeHalf(dst, o, d);
      const q = (i: number) => Math.min(15, truncInt(f(src[x + i] * id + 8.5)) & 0xff);
      for (let i = 0; i < QK / 2; i++) dst[o + 2 + i] = q(i) | (q(i + 16) << 4);
    }
  },
  dequantizeRow(src, srcAt, dst, dstAt, n) {
    for (let b = 0; b < n / QK; b++) {
      const o = srcAt + b * 18, d = readHalf(src, o), y = dstAt + b * QK;
      for (let i = 0; i < QK / 2; i++) {
        const byte = src[o + 2 + i];
        dst[y + i] = d * ((byte & 15) - 8);
        dst[y + i + 16] = d * ((byte >> 4) - 8);
      }
    }
  },
};
