// Moving heads between the channel layout [T, H·D] and the head layout [H, T, D], without allocating.

/**
 * Splits a fused projection qkv `[T, 3C]` (C = H·D) into heads: q `[H, T, D]`, and keys and values
 * written at rows `at … at + T − 1` of k and v `[H, kvRows, D]` — a KV cache's layout, or kvRows = T.
 * @category Kernels
 * @example
 * ```ts
 * splitQkvForward(q, cache.k, cache.v, qkv, T, H, D, cache.capacity, cache.length);
 * ```
 */
export function splitQkvForward(
  q: Float32Array, k: Float32Array, v: Float32Array, qkv: Float32Array,
  T: number, H: number, D: number, kvRows: number, at: number,
): void {
  const C = H * D;
  for (let h = 0; h < H; h++) {
    for (let t = 0; t < T; t++) {
      const src = t * 3 * C + h * D, qDst = (h * T + t) * D, kvDst = (h * kvRows + at + t) * D;
      for (let d = 0; d < D; d++) {
        q[qDst + d] = qkv[src + d];
        k[kvDst + d] = qkv[src + C + d];
        v[kvDst + d] = qkv[src + 2 * C + d];
      }
    }
  }
}

/**
 * Splits one projection x `[T, H·D]` into heads, written at rows `at … at + T − 1` of out
 * `[H, rows, D]` (a KV cache's layout, or rows = T and at = 0): what a model with separate q, k and v
 * projections (Llama) needs.
 * @category Kernels
 * @example
 * ```ts
 * splitHeadsForward(cache.k, kProj, T, Hkv, D, cache.capacity, cache.length);
 * ```
 */
export function splitHeadsForward(out: Float32Array, x: Float32Array, T: number, H: number, D: number, rows: number, at: number): void {
  const C = H * D;
  for (let h = 0; h < H; h++) {
    for (let t = 0; t < T; t++) {
      const src = t * C + h * D, dst = (h * rows + at + t) * D;
      for (let d = 0; d < D; d++) out[dst + d] = x[src + d];
    }
  }
}

/**
 * Merges heads back into channels: out[b, t, h·D + d] = x[b, h, t, d], x `[B, H, T, D]`, out `[B, T, H·D]`.
 * @category Kernels
 * @example
 * ```ts
 * mergeHeadsForward(merged, heads, 1, H, T, D);
 * ```
 */
export function mergeHeadsForward(out: Float32Array, x: Float32Array, B: number, H: number, T: number, D: number): void {
  const C = H * D;
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let t = 0; t < T; t++) {
        const src = ((b * H + h) * T + t) * D, dst = (b * T + t) * C + h * D;
        for (let d = 0; d < D; d++) out[dst + d] = x[src + d];
      }
    }
  }
}

/**
 * The backward pass of {@link splitQkvForward} (no cache, kvRows = T): gathers the gradients of q, k
 * and v `[H, T, D]` back into the fused layout, dqkv `[T, 3C]` (written, not added).
 * @category Kernels
 * @example
 * ```ts
 * splitQkvBackward(dqkv, dq, dk, dv, T, H, D);
 * ```
 */
export function splitQkvBackward(
  dqkv: Float32Array, dq: Float32Array, dk: Float32Array, dv: Float32Array, T: number, H: number, D: number,
): void {
  const C = H * D;
  for (let h = 0; h < H; h++) {
    for (let t = 0; t < T; t++) {
      const dst = t * 3 * C + h * D, src = (h * T + t) * D;
      for (let d = 0; d < D; d++) {
        dqkv[dst + d] = dq[src + d];
        dqkv[dst + C + d] = dk[src + d];
        dqkv[dst + 2 * C + d] = dv[src + d];
      }
    }
  }
}

/**
 * The backward pass of {@link mergeHeadsForward}: splits dy `[B, T, H·D]` into heads, dx `[B, H, T, D]` (written).
 * @category Kernels
 * @example
 * ```ts
 * mergeHeadsBackward(dheads, dmerged, B, H, T, D);
 * ```
 */
export function mergeHeadsBackward(dx: Float32Array, dy: Float32Array, B: number, H: number, T: number, D: number): void {
  const C = H * D;
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let t = 0; t < T; t++) {
        const dst = ((b * H + h) * T + t) * D, src = (b * T + t) * C + h * D;
        for (let d = 0; d < D; d++) dx[dst + d] = dy[src + d];
      }
    }
  }
}
