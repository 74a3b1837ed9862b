// The float formats as one-value blocks: F32 (the bytes as they are), F16 and BF16 (round to
// nearest even, as ggml_fp32_to_fp16_row / ggml_fp32_to_bf16_row; widened exactly).
import { bf16ToFloat, floatToBf16, floatToHalf, halfToFloat } from "../half";
import type { BlockCodec } from "./common";

export const F32: BlockCodec = {
  blockSize: 1,
  blockBytes: 4,
  quantizeRow(src, srcAt, dst, dstAt, n) {
    const v = new DataView(dst.buffer, dst.byteOffset, dst.byteLength);
    for (let i = 0; i < n; i++) v.setFloat32(dstAt + 4 * i, src[srcAt + i], true);
  },
  dequantizeRow(src, srcAt, dst, dstAt, n) {
    const v = new DataView(src.buffer, src.byteOffset, src.byteLength);
    for (let i = 0; i < n; i++) dst[dstAt + i] = v.getFloat32(srcAt + 4 * i, true);
  },
};

function sixteen(to: (x: number) => number, from: (h: number) => number): BlockCodec {
  return {
    blockSize: 1,
    blockBytes: 2,
    quantizeRow(src, srcAt, dst, dstAt, n) {
      for (let i = 0; i < n; i++) {
        const h = to(src[srcAt + i]);
        dst[dstAt + 2 * i] = h & 0xff;
        dst[dstAt + 2 * i + 1] = h >> 8;
      }
    },
    dequantizeRow(src, srcAt, dst, dstAt, n) {
      for (let i = 0; i < n; i++) dst[dstAt + i] = from(src[srcAt + 2 * i] | (src[srcAt + 2 * i + 1] << 8));
    },
  };
}

export const F16 = sixteen(floatToHalf, halfToFloat);
export const BF16 = sixteen(floatToBf16, bf16ToFloat);
