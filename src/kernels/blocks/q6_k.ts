// Q6_K (ggml block_q6_K): 256 values in 16 sub-blocks of 16, as 128 bytes of low nibbles, 64
// bytes of high 2-bit pairs, 16 int8 sub-block scales and an F16 d; value i = d·scale[i/16]·(q − 32)
// with q = ql | qh << 4 laid out as ggml's dequantize_row_q6_K (per half h of 128 values: low
// nibbles of bytes 64h … 64h+63, then their high nibbles; 2-bit pairs of bytes 32h … 32h+31 at
// shifts 0, 2, 4, 6); quantized byte for byte as quantize_row_q6_K_ref (make_qx_quants per
// sub-block, the 16 scales to int8 against d = max/−128, every value requantized).
import { type BlockCodec, readHalf, writeHalf } from "./common";
import { GROUP_MAX_EPS, makeQxQuants, nearestInt } from "./k-search";

const f = Math.fround;

export const Q6_K: BlockCodec = {
  blockSize: 256,
  blockBytes: 210,
  quantizeRow(src, srcAt, dst, dstAt, n) {
    const L = new Int8Array(256), scales = new Float32Array(16);
    for (let b = 0; b < n / 256; b++) {
      const o = dstAt + b * 210, x = srcAt + b * 256;
      let maxScale = 0, maxAbs = 0;
      for (let j = 0; j < 16; j++) {
        scales[j] = makeQxQuants(16, 32, src, x + 16 * j, L, 16 * j);
        if (Math.abs(scales[j]) > maxAbs) { maxAbs = Math.abs(scales[j]); maxScale = scales[j]; }
      }
      dst.fill(0, o, o + 210);
      if (maxAbs < GROUP_MAX_EPS) continue;
      const iscale = f(-128 / maxScale);
      writeHalf(dst, o + 208, f(1 / iscale));
      for (let j = 0; j < 16; j++) dst[o + 192 + j] = Math.min(127, nearestInt(f(iscale * scales[j]))) & 255;
      const d = readHalf(dst, o + 208);
      for (let j = 0; j < 16; j++) {
        const dj = f(d * ((dst[o + 192 + j] << 24) >> 24));
        if (!dj) continue; // L keeps make_qx_quants' levels
        for (let i = 0; i < 16; i++) L[16 * j + i] = Math.max(-32, Math.min(31, nearestInt(f(src[x + 16 * j + i] / dj)))) + 32;
      }
      for (let h = 0; h < 2; h++) for (let l = 0; l < 32; l++) {
        const q = (k: number) => L[128 * h + l + 32 * k];
        dst[o + 64 * h + l] = (q(0) & 15) | ((q(2) & 15) << 4);
        dst[o + 64 * h + l + 32] = (q(1) & 15) | ((q(3) & 15) << 4);
        dst[o + 128 + 32 * h + l] = (q(0) >> 4) | ((q(1) >> 4) << 2) | ((q(2) >> 4) << 4) | ((q(3) >> 4) << 6);
      }
    }
  },
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
