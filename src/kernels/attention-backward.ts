// The attention backward pass over [BH, T, D] queries and [BH, S, D] keys/values (BH = batch × heads).
// Flash-attention style, without storing the [BH, T, S] weights: each query row's scores and
// probabilities are recomputed from q and k (one row of S at a time, so extra memory is O(S)), then
// with P the row's probabilities, dO its output gradient and D_t = Σ_s P_s·(dO·v_s):
//   dv_s += P_s·dO,   dS_s = P_s·(dO·v_s − D_t),   dq += scale·Σ_s dS_s·k_s,   dk_s += scale·dS_s·q.
// Keys a row cannot see (causal, or −∞ in the mask) are skipped, never multiplied by 0.

import { allFiniteWasm, attentionBackwardWasm } from "./wasm";
import { type AttentionVariant, PLAIN_ATTENTION } from "./attention";

let probs = new Float64Array(0), dots = new Float64Array(0), dqRow = new Float64Array(0);

/**
 * The gradient of {@link attentionForwardReference}'s output with respect to q, k and v, added into
 * dq `[BH, T, D]`, dk `[BH, S, D]` and dv `[BH, S, Dv]`, given dout `[BH, T, Dv]`. Same mask, causal
 * and scale arguments as the forward pass (the mask itself gets no gradient). A query row that sees
 * no key (its output was 0 whatever q, k, v) contributes nothing. Sums run in float64. The forward's
 * variant too: grouped-query k/v (`[B·Hkv, S, D]`, query head p reading k/v head ⌊p / group⌋, whose
 * gradients add up over the group), a sliding window and ALiBi slopes (a bias: no gradient of its own).
 * Tests compare {@link attentionBackwardKernel} with it.
 * @category Kernels
 * @example
 * ```ts
 * attentionBackwardReference(dq, dk, dv, dout, q, k, v, null, null, 0, H, T, T, D, D, 1 / Math.sqrt(D), true);
 * ```
 */
export function attentionBackwardReference(
  dq: Float32Array, dk: Float32Array, dv: Float32Array, dout: Float32Array,
  q: Float32Array, k: Float32Array, v: Float32Array,
  mask: Float32Array | null, maskOffsets: Int32Array | null, maskStride: number,
  BH: number, T: number, S: number, D: number, Dv: number, scale: number, causal: boolean,
  variant: AttentionVariant = PLAIN_ATTENTION,
): void {
  if (probs.length < S) { probs = new Float64Array(S); dots = new Float64Array(S); }
  if (dqRow.length < D) dqRow = new Float64Array(D);
  const P = probs, dP = dots, g = dqRow;
  for (let p = 0; p < BH; p++) {
    const kv = Math.floor(p / variant.group);
    const kBase = kv * S * D, vBase = kv * S * Dv;
    const slope = variant.slopes === null ? 0 : variant.slopes[p % variant.slopes.length];
    for (let t = 0; t < T; t++) {
      const row = p * T + t, qo = row * D, oo = row * Dv, pos = t + S - T;
      const limit = causal ? Math.max(0, Math.min(S, pos + 1)) : S;
      const from = variant.window > 0 ? Math.max(0, pos - variant.window + 1) : 0;
      const mo = mask === null ? 0 : maskOffsets![row];
      let max = -Infinity;
      P.fill(-Infinity, 0, Math.min(from, limit)); // keys before the window: weight 0, skipped below
      for (let s = from; s < limit; s++) {
        const ko = kBase + s * D;
        let dot = 0;
        for (let d = 0; d < D; d++) dot += q[qo + d] * k[ko + d];
        let score = dot * scale;
        if (mask !== null) score += mask[mo + s * maskStride];
        if (slope !== 0) score -= slope * (pos - s);
        P[s] = score;
        if (score > max) max = score;
        else if (score !== score) max = NaN;
      }
      if (max === -Infinity) continue;
      let sum = 0;
      for (let s = 0; s < limit; s++) {
        const e = P[s] === -Infinity ? 0 : Math.exp(P[s] - max);
        P[s] = e;
        sum += e;
      }
      const inv = 1 / sum;
      let Dt = 0;
      for (let s = from; s < limit; s++) {
        if (P[s] === 0 && mask !== null && mask[mo + s * maskStride] === -Infinity) continue;
        const w = (P[s] *= inv), vo = vBase + s * Dv;
        let dot = 0;
        for (let d = 0; d < Dv; d++) {
          dot += dout[oo + d] * v[vo + d];
          dv[vo + d] += w * dout[oo + d];
        }
        dP[s] = dot;
        Dt += w * dot;
      }
      g.fill(0, 0, D);
      for (let s = from; s < limit; s++) {
        if (P[s] === 0 && mask !== null && mask[mo + s * maskStride] === -Infinity) continue;
        const dS = P[s] * (dP[s] - Dt) * scale, ko = kBase + s * D;
        for (let d = 0; d < D; d++) {
          g[d] += dS * k[ko + d];
          dk[ko + d] += dS * q[qo + d];
        }
      }
      for (let d = 0; d < D; d++) dq[qo + d] += g[d];
    }
  }
}

/**
 * The attention backward pass by the fastest kernel here: WebAssembly SIMD when there is no
 * additive mask and every input is finite (where available and switched on), else
 * {@link attentionBackwardReference}, so special values behave the same on every path. Same
 * arguments and contract (gradients added into dq, dk, dv).
 * @category Kernels
 * @example
 * ```ts
 * attentionBackwardKernel(dq, dk, dv, dout, q, k, v, null, null, 0, B * H, T, T, D, D, 1 / Math.sqrt(D), true);
 * ```
 */
export function attentionBackwardKernel(
  dq: Float32Array, dk: Float32Array, dv: Float32Array, dout: Float32Array,
  q: Float32Array, k: Float32Array, v: Float32Array,
  mask: Float32Array | null, maskOffsets: Int32Array | null, maskStride: number,
  BH: number, T: number, S: number, D: number, Dv: number, scale: number, causal: boolean,
  variant: AttentionVariant = PLAIN_ATTENTION,
): void {
  // the variants (grouped-query, window, ALiBi) take the reference, and so do special values: it
  // defines them (a row of scores all −∞ adds nothing, a
  // key of weight 0 is skipped); the float32 kernel has no branch for them. The scan costs
  // (T + S)·D reads per head against T·S·D multiply-adds.
  const finite = allFinite(q) && allFinite(k) && allFinite(v) && allFinite(dout);
  const plain = variant.group === 1 && variant.window === 0 && variant.slopes === null;
  if (plain && mask === null && finite && attentionBackwardWasm(dq, dk, dv, dout, q, k, v, BH, T, S, D, Dv, scale, causal)) return;
  attentionBackwardReference(dq, dk, dv, dout, q, k, v, mask, maskOffsets, maskStride, BH, T, S, D, Dv, scale, causal, variant);
}

function allFinite(x: Float32Array): boolean {
  const scanned = allFiniteWasm(x);
  if (scanned !== null) return scanned;
  for (let i = 0; i < x.length; i++) if (x[i] - x[i] !== 0) return false; // NaN and ±∞ give NaN
  return true;
}
