// Embedding kernels: gather rows of a table, optionally add position rows.

/**
 * out[t, :] = wte[ids[t], :] (+ wpe[offset + t, :] where wpe is given), for T ids and C channels.
 * @category Kernels
 * @example
 * ```ts
 * embeddingForward(out, [2, 0], wte.data, wpe.data, 2, C, 0); // out: Float32Array(2 * C)
 * ```
 */
export function embeddingForward(
  out: Float32Array, ids: ArrayLike<number>, wte: Float32Array, wpe: Float32Array | null,
  T: number, C: number, offset: number,
): void {
  for (let t = 0; t < T; t++) {
    const o = t * C, e = ids[t] * C;
    if (wpe === null) {
      for (let c = 0; c < C; c++) out[o + c] = wte[e + c];
    } else {
      const pp = (offset + t) * C;
      for (let c = 0; c < C; c++) out[o + c] = wte[e + c] + wpe[pp + c];
    }
  }
}

/**
 * The embedding backward pass, a scatter-add: dwte[ids[t], :] += dy[t, :] (repeated ids add up),
 * and dwpe[offset + t, :] += dy[t, :] where dwpe is given. dy is `[T, C]`.
 * @category Kernels
 * @example
 * ```ts
 * embeddingBackwardKernel(dwte, dwpe, dy, ids, T, C, 0);
 * ```
 */
export function embeddingBackwardKernel(
  dwte: Float32Array, dwpe: Float32Array | null, dy: Float32Array, ids: ArrayLike<number>,
  T: number, C: number, offset: number,
): void {
  for (let t = 0; t < T; t++) {
    const o = t * C, e = ids[t] * C;
    for (let c = 0; c < C; c++) dwte[e + c] += dy[o + c];
    if (dwpe !== null) {
      const p = (offset + t) * C;
      for (let c = 0; c < C; c++) dwpe[p + c] += dy[o + c];
    }
  }
}
