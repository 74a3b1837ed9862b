/**
 * Weights stored in fewer bits than float32 (lesson 25's subject, and what checkpoints and GGUF
 * files hold): a {@link QuantizedTensor} keeps ggml's bytes, and {@link linear} reads it as it is.
 * For now the 16-bit float types, F16 and BF16 (half the bytes of float32 for a generation step to
 * stream); the block formats (Q8_0, Q4_0, the K-quants) join the same table.
 * @module
 */
import type { Tensor } from "./tensor";
import { ShapeError, formatShape } from "./tensor";
import { checkRank, describe, isFloat32Array } from "./internal/check";
import { WEIGHT_TYPES, type WeightType } from "./kernels/weight-types";
import { bf16ToFloat, floatToBf16, floatToHalf, halfToFloat } from "./kernels/half";

export type { WeightType } from "./kernels/weight-types";

/**
 * A tensor stored as `type`: `bytes` exactly as ggml lays them out (F16 and BF16: two bytes per
 * value, little-endian, row-major as a `Tensor`'s data). @category 25 · Quantized weights
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
    throw new TypeError(`${fn}: type must be one of ${TYPES.map((t) => `"${t}"`).join(", ")}, got ${describe(type)}${typeof type === "string" ? " (the block formats are not implemented yet)" : ""}`);
  }
  return type as WeightType;
}

/**
 * Stores x as `type`: F16 (IEEE binary16) or BF16, each value rounded to the nearest (ties to
 * even; F16 beyond ±65504 becomes ±∞), as ggml's `ggml_fp32_to_fp16_row` / `ggml_fp32_to_bf16_row`;
 * F32 keeps the bytes as they are.
 * @param x - any shape
 * @param type - `"f32"`, `"f16"` or `"bf16"`
 * @returns the same shape, `bytes` as ggml writes them
 * @throws TypeError for another type
 * @category 25 · Quantized weights
 * @example
 * ```ts
 * const q = quantize(tensor([1, 0.1, -2], [3]), "f16");
 * q.bytes.length; // 6: two bytes a value
 * ```
 */
export function quantize(x: Tensor, type: WeightType): QuantizedTensor {
  const fn = "quantize";
  checkRank(fn, "x", x, 0, "[...]");
  const t = checkType(fn, type), n = x.data.length;
  const bytes = new Uint8Array(n * WEIGHT_TYPES[t].bytes), view = new DataView(bytes.buffer);
  if (t === "f32") bytes.set(new Uint8Array(x.data.buffer, x.data.byteOffset, n * 4));
  else for (let i = 0; i < n; i++) view.setUint16(2 * i, t === "f16" ? floatToHalf(x.data[i]) : floatToBf16(x.data[i]), true);
  return { type: t, shape: [...x.shape], bytes };
}

/**
 * The float32 values of a stored tensor: exactly the values {@link quantize} rounded to (F16 and
 * BF16 widen exactly, subnormals, infinities and NaN included).
 * @param q - a {@link QuantizedTensor}
 * @throws TypeError for an unknown type; RangeError when `bytes` does not hold the shape
 * @category 25 · Quantized weights
 * @example
 * ```ts
 * dequantize(quantize(tensor([0.1], [1]), "f16")).data[0]; // 0.0999755859375
 * ```
 */
export function dequantize(q: QuantizedTensor): Tensor {
  const fn = "dequantize";
  const { type, n } = checkQuantized(fn, "q", q);
  const data = new Float32Array(n), view = new DataView(q.bytes.buffer, q.bytes.byteOffset, q.bytes.byteLength);
  for (let i = 0; i < n; i++) data[i] = type === "f32" ? view.getFloat32(4 * i, true) : type === "f16" ? halfToFloat(view.getUint16(2 * i, true)) : bf16ToFloat(view.getUint16(2 * i, true));
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
  const n = q.shape.reduce((a, b) => a * b, 1);
  if (q.bytes.length !== n * WEIGHT_TYPES[type].bytes) {
    throw new RangeError(`${fn}: ${name} has ${q.bytes.length} bytes, expected ${n * WEIGHT_TYPES[type].bytes} for shape ${formatShape(q.shape)} of ${type}`);
  }
  return { type, n };
}
