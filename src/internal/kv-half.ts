// A KV cache kept in binary16 (generate's `kvCache: "f16"`): each layer's keys and values stored as
// 16-bit floats, half the bytes of float32. The attention kernels read float32, so every layer's
// cache shares one float32 copy [B, Hkv, capacity, D]: a forward rounds the new rows into the
// layer's 16-bit store, then widens the layer's filled rows into the copy before its attention.
import type { KVCache } from "../attention";
import { floatToHalf, halfToFloat } from "../kernels/half";
import { widenHalfWasm } from "../kernels/wasm";

let table: Float32Array | null = null; // every binary16 value as float32 (256 kB, made on first use)
function halfTable(): Float32Array {
  if (table === null) {
    table = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) table[h] = halfToFloat(h);
  }
  return table;
}

interface HalfStore { k: Uint16Array; v: Uint16Array }
const stores = new WeakMap<KVCache, HalfStore>();

/** The layers of a KV cache in binary16 (sizes checked by the caller): 16-bit stores from `halves`, k and v one float32 copy from `floats` for all of them. */
export function halfKvCachesIn(
  s: { nHead: number; nKvHead: number; headSize: number; capacity: number; batch: number }, layers: number,
  floats: (n: number) => Float32Array, halves: (n: number) => Uint16Array,
): KVCache[] {
  const n = s.batch * s.nKvHead * s.capacity * s.headSize, k = floats(n), v = floats(n);
  return Array.from({ length: layers }, () => {
    const layer: KVCache = { ...s, k, v, length: 0 };
    stores.set(layer, { k: halves(n), v: halves(n) });
    return layer;
  });
}

/**
 * After a forward wrote rows at … at + T of each head into `layer.k` and `layer.v`: for a binary16
 * cache, those rows rounded into its store (nearest, ties to even) and rows 0 … at + T widened back,
 * so attention reads the cache as stored; nothing for a float32 cache.
 */
export function syncHalfCache(layer: KVCache, at: number, T: number): void {
  const half = stores.get(layer);
  if (half === undefined) return;
  syncRows(layer.k, half.k, layer, at, T);
  syncRows(layer.v, half.v, layer, at, T);
}

/** One of k and v: each head's rows at … at + T rounded into h, then its rows 0 … at + T widened from h into f. */
function syncRows(f: Float32Array, h: Uint16Array, layer: KVCache, at: number, T: number): void {
  const D = layer.headSize, stride = layer.capacity * D, n = (at + T) * D;
  for (let g = 0; g < layer.batch * layer.nKvHead; g++) {
    const base = g * stride;
    for (let i = base + at * D; i < base + n; i++) h[i] = floatToHalf(f[i]);
    if (widenHalfWasm(f, base, h, base, n)) continue;
    const t = halfTable();
    for (let i = base; i < base + n; i++) f[i] = t[h[i]];
  }
}
