// Q8_0 (ggml block_q8_0): 32 values as an F16 scale d and 32 int8 q, value = d·q, d = max|x| / 127,
// q = round(x / d) (half away from zero), as ggml's quantize_row_q8_0_ref.
import { type BlockCodec, readHalf, truncInt, writeHalf } from "./common";

const QK = 32;
const f = Math.fround;

function roundHalfAway(x: number): number {
  const a = Math.abs(x), r = Math.floor(a) + Math.floor(2 * (a - Math.floor(a)));
  return x < 0 ? -r : r;
}

export const Q8_0: BlockCodec = {
  blockSize: QK,
  blockBytes: 2 + QK,
  quantizeRow(src, srcAt, dst, dstAt, n) {
    for (let b = 0; b < n / QK; b++) {
      const x = srcAt + b * QK, o = dstAt + b * 34;
      let amax = 0;
      for (let i = 0; i < QK; i++) amax = Math.max(amax, Math.abs(src[x + i]));
      const d = f(amax / 127), id = d === 0 ? 0 : f(1 / d);
      writeHalf(dst, o, d);
      for (let i = 0; i < QK; i++) dst[o + 2 + i] = truncInt(roundHalfAway(f(src[x + i] * id))) & 0xff;
    }
  },
  dequantizeRow(src, srcAt, dst, dstAt, n) {
    for (let b = 0; b < n / QK; b++) {
      const o = srcAt + b * 34, d = readHalf(src, o), y = dstAt + b * QK;
      for (let i = 0; i < QK; i++) dst[y + i] = d * ((src[o + 2 + i] << 24) >> 24);
    }
  },
};
