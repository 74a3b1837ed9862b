// Q6_K (ggml block_q6_K): 256 values in 16 sub-blocks of 16, as 128 bytes of low nibbles, 64
// bytes of high 2-bit pairs, 16 int8 sub-block scales and an F16 d; value i = d·scale[i/16]·(q − 32)
// with q = ql | qh << 4 laid out as ggml's dequantize_row_q6_K (per half h of 128 values: low
// nibbles of bytes 64h … 64h+63, then their high nibbles; 2-bit pairs of bytes 32h … 32h+31 at
// shifts 0, 2, 4, 6). Read only.
import { type BlockCodec, readHalf } from "./common";

const f = Math.fround;

export const Q6_K: BlockCodec = {
  blockSize: 256,
  blockBytes: 210,
  dequantizeRow(src, srcAt, dst, dstAt, n) {
    for (let b = 0; b < n / 256; b++) {
      const o = srcAt + b * 210, y = dstAt + b * 256, d = readHalf(src, o + 208);
      for (let i = 0; i < 256; i++) {
        const h = i >> 7;
        const lo = (src[o + 64 * h + (i & 63)] >> (4 * ((i >> 6) & 1))) & 15;
        const hi = (src[o + 128 + 32 * h + (i & 31)] >> (2 * ((i >> 5) & 3))) & 3;
        const scale = (src[o + 192 + (i >> 4)] << 24) >> 24;
        dst[y + i] = f(d * scale) * ((lo | (hi << 4)) - 32);
      }
    }
  },
};
