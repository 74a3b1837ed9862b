// Attention kernels over [BH, T, D] queries and [BH, S, D] keys/values (BH = batch × heads).
// One query row at a time: scores for that row only, so extra memory is O(S), never T×S, unless
// the caller asks for the weights.

/**
 * out[p, t, s] = scale · Σ_d q[p, t, d]·k[p, s, d]. `kvRows` is the number of rows each head owns in k.
 * @category Kernels
 */
export function attentionScoresForward(
  out: Float32Array, q: Float32Array, k: Float32Array,
  BH: number, T: number, S: number, D: number, scale: number, kvRows: number = S,
): void {
  for (let p = 0; p < BH; p++) {
    for (let t = 0; t < T; t++) {
      const qo = (p * T + t) * D;
      const oo = (p * T + t) * S;
      for (let s = 0; s < S; s++) {
        const ko = (p * kvRows + s) * D;
        let acc = 0;
        for (let d = 0; d < D; d++) acc += q[qo + d] * k[ko + d];
        out[oo + s] = acc * scale;
      }
    }
  }
}

/**
 * Scaled dot-product attention: out[p, t] = Σ_s softmax_s(scale·q_t·k_s + mask[t, s])·v_s.
 *
 * With `causal`, key s is visible to query t when s ≤ t + (S − T) (aligned to the end, as with a
 * KV cache); keys beyond are skipped, not computed. `mask` is additive: row (p, t) of it starts at
 * `maskOffsets[p·T + t]` and advances by `maskStride` (0 when it broadcasts over keys, else 1).
 * A query row with no visible key gets a zero output (and zero weights). Where `weights` is given,
 * the probabilities [BH, T, S] are written there. `kvRows` is the number of rows each head owns
 * in k and v (S, or a KV cache's capacity).
 * @category Kernels
 */
export function attentionForward(
  out: Float32Array, weights: Float32Array | null,
  q: Float32Array, k: Float32Array, v: Float32Array,
  mask: Float32Array | null, maskOffsets: Int32Array | null, maskStride: number,
  BH: number, T: number, S: number, D: number, Dv: number, scale: number, causal: boolean,
  kvRows: number = S,
): void {
  const scores = new Float64Array(S);
  const acc = new Float64Array(Dv);
  for (let p = 0; p < BH; p++) {
    for (let t = 0; t < T; t++) {
      const row = p * T + t;
      const qo = row * D;
      const limit = causal ? Math.max(0, Math.min(S, t + S - T + 1)) : S;
      const mo = mask === null ? 0 : maskOffsets![row];
      let max = -Infinity;
      for (let s = 0; s < limit; s++) {
        const ko = (p * kvRows + s) * D;
        let dot = 0;
        for (let d = 0; d < D; d++) dot += q[qo + d] * k[ko + d];
        let score = dot * scale;
        if (mask !== null) score += mask[mo + s * maskStride];
        scores[s] = score;
        if (score > max) max = score;
        else if (score !== score) max = NaN;
      }
      const oo = row * Dv;
      const wo = row * S;
      if (max === -Infinity) {
        out.fill(0, oo, oo + Dv);
        if (weights !== null) weights.fill(0, wo, wo + S);
        continue;
      }
      let sum = 0;
      for (let s = 0; s < limit; s++) {
        const e = Math.exp(scores[s] - max);
        scores[s] = e;
        sum += e;
      }
      const inv = 1 / sum;
      acc.fill(0);
      for (let s = 0; s < limit; s++) {
        const w = scores[s] * inv;
        const vo = (p * kvRows + s) * Dv;
        for (let d = 0; d < Dv; d++) acc[d] += w * v[vo + d];
        if (weights !== null) weights[wo + s] = w;
      }
      if (weights !== null) weights.fill(0, wo + limit, wo + S);
      for (let d = 0; d < Dv; d++) out[oo + d] = acc[d];
    }
  }
}
