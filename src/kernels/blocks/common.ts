// What the block formats share: the F16 scale at a byte offset, and C's float → integer conversion
// as ggml's reference quantizers meet it on x86 (numpy's astype, cvttss2si: a value that is not
// finite becomes 0).
import { floatToHalf, halfToFloat } from "../half";

/** The F16 value at bytes[at], little-endian. */
export const readHalf = (bytes: Uint8Array, at: number): number => halfToFloat(bytes[at] | (bytes[at + 1] << 8));

/** Writes x as F16 (round to nearest even) at bytes[at]. */
export function writeHalf(bytes: Uint8Array, at: number, x: number): void {
  const h = floatToHalf(x);
  bytes[at] = h & 0xff;
  bytes[at + 1] = h >> 8;
}

/** x truncated toward zero as an integer; 0 where x is not finite. */
export const truncInt = (x: number): number => (Number.isFinite(x) ? Math.trunc(x) : 0);

/** The value of largest magnitude in src[at .. at+n) (the first of a tie), with its sign. */
export function signedAbsMax(src: Float32Array, at: number, n: number): number {
  let amax = 0, max = 0;
  for (let i = 0; i < n; i++) {
    const v = src[at + i];
    if (Math.abs(v) > amax) { amax = Math.abs(v); max = v; }
  }
  return max;
}

/** The smallest and largest value of src[at .. at+n). */
export function minMax(src: Float32Array, at: number, n: number): { min: number; max: number } {
  let min = src[at], max = src[at];
  for (let i = 1; i < n; i++) {
    const v = src[at + i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/** One block format: values per block, bytes per block, and a row's conversions (n a multiple of the block). */
export interface BlockCodec {
  readonly blockSize: number;
  readonly blockBytes: number;
  readonly quantizeRow: (src: Float32Array, srcAt: number, dst: Uint8Array, dstAt: number, n: number) => void;
  readonly dequantizeRow: (src: Uint8Array, srcAt: number, dst: Float32Array, dstAt: number, n: number) => void;
}
