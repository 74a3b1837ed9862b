// The parameters of one generation, as they were when it started (see generate's doc).
import type { CausalLMParams } from "../families";

/**
 * The parameters as they are now, for one generation: every tensor copied, except the matrices in
 * `pinned` (already copied into WebAssembly memory, and found there by their arrays). A tied head
 * stays the pinned `wte` while the embeddings read a copy of it.
 */
export function snapshotParams<P extends CausalLMParams>(params: P, pinned: ReadonlySet<Float32Array>): P {
  const copy = (value: unknown): unknown => {
    if (value instanceof Float32Array) return pinned.has(value) ? value : value.slice();
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return (value as Uint8Array).slice(); // every typed array stays one (quantized weights are bytes)
    if (Array.isArray(value)) return value.map(copy);
    if (value === null || typeof value !== "object") return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = key === "config" || key === "shape" ? v : copy(v);
    return out;
  };
  const frozen = copy(params) as P;
  if (params.lmHead === undefined) frozen.lmHead = pinned.has(params.wte.data) ? params.wte : frozen.wte;
  if (pinned.has(params.wte.data)) frozen.wte = { data: params.wte.data.slice(), shape: params.wte.shape };
  return frozen;
}

