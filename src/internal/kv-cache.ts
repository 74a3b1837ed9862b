// A KV cache's arrays, from wherever its owner keeps them: createKVCache's JavaScript arrays, or a
// generation's residency in the kernels' memory. (The KVCache type is attention.ts's; this object is one.)

/** An empty KV cache (sizes checked by the caller) whose k and v arrays come from `floats`. */
export function kvCacheIn(s: { nHead: number; nKvHead: number; headSize: number; capacity: number; batch: number }, floats: (n: number) => Float32Array) {
  const n = s.batch * s.nKvHead * s.capacity * s.headSize;
  return { ...s, k: floats(n), v: floats(n), length: 0 };
}
