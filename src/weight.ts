/**
 * Weights stored in fewer bits than float32 (lesson 25's subject, and what checkpoints and GGUF
 * files hold): a {@link QuantizedTensor} keeps ggml's bytes, and {@link linear} reads it as it is.
 * The 16-bit floats (F16, BF16) and ggml's block formats Q8_0, Q4_0, Q4_1, Q5_0 and Q5_1, byte for
 * byte as ggml lays them out; the K-quants join the same table.
 * @module
 */
import type { Tensor } from "./tensor";
import { ShapeError, formatShape } from "./tensor";
import { checkRank, checkShapeIs, describe, isFloat32Array, sameShape } from "./internal/check";
import { WEIGHT_TYPES, type WeightType, typeBytes } from "./kernels/weight-types";

export type { WeightType } from "./kernels/weight-types";
/** The name API.md gives the weight types. @category 25 · Quantized weights */
export type QuantType = WeightType;

/**
 * A tensor stored as `type`: `bytes` exactly as ggml lays them out, row-major as a `Tensor`'s data
 * with blocks along the last axis (F16 and BF16: two bytes a value, little-endian; Q8_0: an F16
 * scale and 32 int8 per 32 values; Q4_0: an F16 scale and 16 bytes of nibbles, low nibbles first;
 * Q4_1, Q5_0, Q5_1: as ggml's block_q4_1, block_q5_0, block_q5_1). @category 25 · Quantized weights
 */
export interface QuantizedTensor {
  readonly type: WeightType;
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

/** A weight matrix as {@link linear} takes it: float32, or stored in fewer bits. @category 25 · Quantized weights */
export type Weight = Tensor | QuantizedTensor;

const TYPES = Object.keys(WEIGHT_TYPES) as WeightType[];

function checkType(fn: string, type: unknown): WeightType {
  if (typeof type !== "string" || !(TYPES as string[]).includes(type)) {
    throw new TypeError(`${fn}: type must be one of ${TYPES.map((t) => `"${t}"`).join(", ")}, got ${describe(type)}`);
  }
  return type as WeightType;
}

/** The shape's last axis must hold whole blocks of the type. */
function checkBlocks(fn: string, name: string, shape: readonly number[], type: WeightType): void {
  const block = WEIGHT_TYPES[type].blockSize;
  const last = shape.length === 0 ? 1 : shape[shape.length - 1];
  if (block > 1 && (shape.length === 0 || last % block !== 0)) {
    throw new ShapeError(`${fn}: ${name} has shape ${formatShape(shape)}, expected a last axis that is a multiple of ${block} (${type} stores blocks of ${block} values along it)`);
  }
}

/**
 * Stores x as `type`, as ggml's reference quantizers do: F16 and BF16 round each value to the
 * nearest (ties to even; F16 beyond ±65504 becomes ±∞); the block formats store each run of 32
 * values along the last axis as a block (`quantize_row_q8_0_ref`, `quantize_row_q4_0_ref`, …, byte
 * for byte), the K-quants each run of 256 as a super-block (`quantize_row_q4_K_ref`,
 * `quantize_row_q5_K_ref`, `quantize_row_q6_K_ref`: the make_qkx2_quants / make_qx_quants searches
 * in float32, byte for byte; no importance matrix); F32 keeps the bytes as they are.
 * @param x - any shape; for a block format, its last axis a multiple of 32 (256 for the K-quants)
 * @param type - a {@link WeightType}
 * @returns the same shape, `bytes` as ggml writes them
 * @throws TypeError for another type; ShapeError when the last axis does not hold whole blocks
 * @category 25 · Quantized weights
 * @example
 * ```ts
 * quantize(tensor([1, 0.1, -2], [3]), "f16").bytes.length; // 6: two bytes a value
 * quantize(zeros([2, 64]), "q8_0").bytes.length; // 136: 4 blocks of 34 bytes
 * ```
 */
export function quantize(x: Tensor, type: WeightType): QuantizedTensor {
  const fn = "quantize";
  checkRank(fn, "x", x, 0, "[...]");
  const t = checkType(fn, type), n = x.data.length;
  checkBlocks(fn, "x", x.shape, t);
  const bytes = new Uint8Array(typeBytes(t, n));
  WEIGHT_TYPES[t].quantizeRow(x.data, 0, bytes, 0, n);
  return { type: t, shape: [...x.shape], bytes };
}

/**
 * The float32 values of a stored tensor, as ggml's `dequantize_row_*` computes them (F16 and BF16
 * widen exactly, subnormals, infinities and NaN included; a block's values are its scale times its
 * integers, plus its minimum for Q4_1 and Q5_1).
 * @param q - a {@link QuantizedTensor}
 * @throws TypeError for an unknown type; RangeError when `bytes` does not hold the shape
 * @category 25 · Quantized weights
 * @example
 * ```ts
 * dequantize(quantize(tensor([0.1], [1]), "f16")).data[0]; // 0.0999755859375
 * ```
 */
export function dequantize(q: QuantizedTensor): Tensor {
  const { type, n } = checkQuantized("dequantize", "q", q);
  const data = new Float32Array(n);
  WEIGHT_TYPES[type].dequantizeRow(q.bytes, 0, data, 0, n);
  return { data, shape: [...q.shape] };
}

/** Whether w is a {@link QuantizedTensor} (stored bytes) rather than a float32 Tensor. */
export function isQuantized(w: unknown): w is QuantizedTensor {
  return w != null && typeof w === "object" && "bytes" in w && "type" in w && !isFloat32Array((w as { data?: unknown }).data);
}

/** Checks a stored tensor (naming fn and its argument) and returns its type and value count. */
export function checkQuantized(fn: string, name: string, q: QuantizedTensor): { type: WeightType; n: number } {
  if (!isQuantized(q) || !(q.bytes instanceof Uint8Array) || !Array.isArray(q.shape)) {
    throw new TypeError(`${fn}: ${name} must be a QuantizedTensor { type, shape, bytes: Uint8Array }, got ${describe(q)}`);
  }
  const type = checkType(fn, q.type);
  if (!q.shape.every((d) => Number.isInteger(d) && d >= 0)) throw new ShapeError(`${fn}: ${name} has shape ${JSON.stringify(q.shape)}, expected non-negative integers`);
  checkBlocks(fn, name, q.shape, type);
  const n = q.shape.reduce((a, b) => a * b, 1);
  if (q.bytes.length !== typeBytes(type, n)) {
    throw new RangeError(`${fn}: ${name} has ${q.bytes.length} bytes, expected ${typeBytes(type, n)} for shape ${formatShape(q.shape)} of ${type}`);
  }
  return { type, n };
}

/** checkShapeIs for a weight of any type: a Tensor, or a QuantizedTensor whose shape is `shape`. */
export function checkWeightShape(fn: string, name: string, w: Weight, shape: readonly number[], why = ""): void {
  if (!isQuantized(w)) return checkShapeIs(fn, name, w, shape, why);
  checkQuantized(fn, name, w);
  if (!sameShape(w.shape, shape)) throw new ShapeError(`${fn}: ${name} has shape ${formatShape(w.shape)}, expected ${formatShape(shape)}${why ? ` (${why})` : ""}`);
}

/** checkRank for a weight of any type. */
export function checkWeightRank(fn: string, name: string, w: Weight, min: number, axes: string, max = Infinity): void {
  if (!isQuantized(w)) return checkRank(fn, name, w, min, axes, max);
  checkQuantized(fn, name, w);
  const r = w.shape.length;
  if (r < min || r > max) throw new ShapeError(`${fn}: ${name} has shape ${formatShape(w.shape)} (rank ${r}), expected rank ${min === max ? min : `${min} to ${max}`} ${axes}`);
}
