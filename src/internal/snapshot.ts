// The parameters of one generation, as they were when it started (see generate's doc), in the
// buffers of its residency: views into the kernels' memory where it is shared.
import type { Residency } from "../backend/resident";

/**
 * The parameters as they are now, every tensor copied into `res`: weight matrices (2-D tensors
 * `[N, K]`) where linear reads them without another copy, the rest (norms, biases) as buffers of it.
 * A tied head stays tied: the copy of `wte` serves the embedding and the head.
 */
export function snapshotParams<P extends object>(params: P, res: Residency): P {
  const copy = (value: unknown, shape?: readonly number[]): unknown => {
    if (value instanceof Float32Array) return shape?.length === 2 ? res.matrix(value, shape[0], shape[1]) : res.copy(value);
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return (value as Uint8Array).slice(); // every typed array stays one (quantized weights are bytes)
    if (Array.isArray(value)) return value.map((v) => copy(v));
    if (value === null || typeof value !== "object") return value;
    const shapeOf = (value as { shape?: unknown }).shape;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = key === "config" || key === "shape" ? v : key === "data" && Array.isArray(shapeOf) ? copy(v, shapeOf) : copy(v);
    }
    return out;
  };
  return copy(params) as P;
}
