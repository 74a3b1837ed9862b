// The parameters of one generation, as they were when it started (see generate's doc), in the
// buffers of its residency: views into the kernels' memory where it is shared.
import type { Residency } from "../backend/resident";

/**
 * The parameters as they are now, every tensor copied into `res`: weight matrices (2-D tensors
 * `[N, K]`) where linear reads them without another copy, the rest (norms, biases) as buffers of it.
 * With `panels`, a linear layer's weight (a `weight` key) is kept as the kernels' panels: for a
 * session whose forward only multiplies by it (not `[N, K]` any more). A stored weight's bytes (a
 * QuantizedTensor's) are copied as they are; an array `keep` accepts is kept, not copied. A tied head stays tied: the
 * copy of `wte` serves the embedding and the head.
 */
export function snapshotParams<P extends object>(params: P, res: Residency, panels = false, keep: (a: ArrayBufferView) => boolean = () => false): P {
  let key = ""; // the key of the tensor being copied: "weight" for a linear layer's
  const copy = (value: unknown, shape?: readonly number[]): unknown => {
    if (ArrayBuffer.isView(value) && keep(value)) return value;
    if (value instanceof Float32Array) {
      if (shape?.length !== 2) return res.copy(value);
      return panels && key === "weight" ? res.panels(value, shape[0], shape[1]) : res.matrix(value, shape[0], shape[1]);
    }
    if (value instanceof Uint8Array && key === "bytes") return res.bytes(value); // a QuantizedTensor's: read where it is
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return (value as Uint8Array).slice(); // every typed array stays one
    if (Array.isArray(value)) return value.map((v) => copy(v));
    if (value === null || typeof value !== "object") return value;
    const shapeOf = (value as { shape?: unknown }).shape;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k !== "data") key = k;
      out[k] = k === "config" || k === "shape" ? v : k === "data" && Array.isArray(shapeOf) ? copy(v, shapeOf) : copy(v);
    }
    return out;
  };
  return copy(params) as P;
}
