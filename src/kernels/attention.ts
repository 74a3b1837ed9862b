// Attention kernels over [BH, T, D] queries and [BH, S, D] keys/values (BH = batch × heads).
import { expNonPositive } from "./exp";
import { attentionForwardWasm } from "./wasm";
// One query row at a time: scores for that row only, so extra memory is O(S), never T×S, unless
// the caller asks for the weights.

/**
 * How a modern decoder's attention differs from GPT-2's, as the kernels take it. Positions: key s is
 * at position s; query row t at t + S − T (the last T positions, as with a KV cache).
 * @category Kernels
 */
export interface AttentionVariant {
  /** Query heads per key/value head, H / Hkv (grouped-query; 1 = ordinary): query head p reads k/v head ⌊p / group⌋. */
  readonly group: number;
  /** Sliding window w (0 = none; used with causal): the query at position i sees keys j with i − w < j ≤ i. */
  readonly window: number;
  /** ALiBi slopes, one per query head (null = none): head p adds −slopes[p mod H]·(i − j) to its scores. */
  readonly slopes: Float32Array | null;
}

/** GPT-2's attention: every head its own keys and values, no window, no ALiBi. @category Kernels */
export const PLAIN_ATTENTION: AttentionVariant = Object.freeze({ group: 1, window: 0, slopes: null });

/** The first key a query at `pos` sees under the window (0 without one). */
function windowStart(variant: AttentionVariant, pos: number): number {
  return variant.window > 0 ? Math.max(0, pos - variant.window + 1) : 0;
}

/**
 * out[p, t, s] = scale · Σ_d q[p, t, d]·k[p, s, d]. `kvRows` is the number of rows each head owns in k.
 * @category Kernels
 * @example
 * ```ts
 * attentionScoresForward(out, q, k, H, T, S, D, 1 / Math.sqrt(D)); // out [H, T, S]
 * ```
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
 * Scaled dot-product attention, the plain reference (one query row at a time):
 * out[p, t] = Σ_s softmax_s(scale·q_t·k_s + mask[t, s])·v_s. Tests compare {@link attentionForward} with it.
 *
 * With `causal`, key s is visible to query t when s ≤ t + (S − T) (aligned to the end, as with a
 * KV cache); keys beyond are skipped, not computed. `mask` is additive: row (p, t) of it starts at
 * `maskOffsets[p·T + t]` and advances by `maskStride` (0 when it broadcasts over keys, else 1).
 * A query row with no visible key gets a zero output (and zero weights). Where `weights` is given,
 * the probabilities [BH, T, S] are written there. `kvRows` is the number of rows each head owns
 * in k and v (S, or a KV cache's capacity).
 * @category Kernels
 * @example
 * ```ts
 * attentionForwardReference(out, null, q, k, v, null, null, 0, H, T, T, D, D, 1 / Math.sqrt(D), true);
 * ```
 */
export function attentionForwardReference(
  out: Float32Array, weights: Float32Array | null,
  q: Float32Array, k: Float32Array, v: Float32Array,
  mask: Float32Array | null, maskOffsets: Int32Array | null, maskStride: number,
  BH: number, T: number, S: number, D: number, Dv: number, scale: number, causal: boolean,
  kvRows: number = S, variant: AttentionVariant = PLAIN_ATTENTION,
): void {
  const scores = new Float64Array(S);
  const acc = new Float64Array(Dv);
  for (let p = 0; p < BH; p++) {
    const kv = Math.floor(p / variant.group);
    const slope = variant.slopes === null ? 0 : variant.slopes[p % variant.slopes.length];
    for (let t = 0; t < T; t++) {
      const row = p * T + t;
      const qo = row * D;
      const pos = t + S - T;
      const limit = causal ? Math.max(0, Math.min(S, pos + 1)) : S;
      const from = windowStart(variant, pos);
      const mo = mask === null ? 0 : maskOffsets![row];
      let max = -Infinity;
      scores.fill(-Infinity, 0, Math.min(from, limit));
      for (let s = from; s < limit; s++) {
        const ko = (kv * kvRows + s) * D;
        let dot = 0;
        for (let d = 0; d < D; d++) dot += q[qo + d] * k[ko + d];
        let score = dot * scale;
        if (mask !== null) score += mask[mo + s * maskStride];
        if (slope !== 0) score -= slope * (pos - s);
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
        if (w === 0) { if (weights !== null) weights[wo + s] = 0; continue; } // a key masked by −∞ adds nothing, even a non-finite value
        const vo = (kv * kvRows + s) * Dv;
        for (let d = 0; d < Dv; d++) acc[d] += w * v[vo + d];
        if (weights !== null) weights[wo + s] = w;
      }
      if (weights !== null) weights.fill(0, wo + limit, wo + S);
      for (let d = 0; d < Dv; d++) out[oo + d] = acc[d];
    }
  }
}

/** Query rows handled together: each key and value row is loaded once for all of them. */
const STRIP = 4;

// Scratch reused across calls (grown when a call needs more), so attention in a generation loop
// makes no garbage. Kernels run to completion without re-entering, so one set is enough.
let scratchScores = new Float64Array(0);
let scratchValues = new Float64Array(0);
const limits = new Int32Array(STRIP), maxes = new Float64Array(STRIP), inv = new Float64Array(STRIP);

/**
 * Same contract and results as {@link attentionForwardReference}, computed in strips of 4 query
 * rows: each key row is loaded once per strip for 4 dot products, and values are read from a
 * per-head transpose so the weighted sum runs over contiguous memory. Keys no row of the strip can
 * see (causal) are skipped. Extra memory: 4·S scores and S·Dv for the transpose, reused across heads.
 * A key hidden from a row (causally, or by a −∞ mask) adds nothing to it, even where its value is
 * not finite, as in the reference.
 * @category Kernels
 * @example
 * ```ts
 * attentionForward(out, weights, q, k, v, null, null, 0, H, T, T, D, D, 1 / Math.sqrt(D), true);
 * ```
 */
export function attentionForward(
  out: Float32Array, weights: Float32Array | null,
  q: Float32Array, k: Float32Array, v: Float32Array,
  mask: Float32Array | null, maskOffsets: Int32Array | null, maskStride: number,
  BH: number, T: number, S: number, D: number, Dv: number, scale: number, causal: boolean,
  kvRows: number = S, variant: AttentionVariant = PLAIN_ATTENTION,
): void {
  // sized for kvRows ≥ S (a KV cache's capacity), so that a cache growing by one key per step does not reallocate
  if (scratchScores.length < STRIP * S) scratchScores = new Float64Array(STRIP * kvRows);
  if (scratchValues.length < Dv * S) scratchValues = new Float64Array(Dv * kvRows);
  const sc = scratchScores, vt = scratchValues;
  let transposed = -1; // the k/v head whose values vt holds (query heads of one group share it)
  for (let p = 0; p < BH; p++) {
    const kv = Math.floor(p / variant.group);
    const kBase = kv * kvRows * D, vBase = kv * kvRows * Dv;
    const slope = variant.slopes === null ? 0 : variant.slopes[p % variant.slopes.length];
    if (kv !== transposed) {
      for (let s = 0; s < S; s++) for (let d = 0; d < Dv; d++) vt[d * S + s] = v[vBase + s * Dv + d];
      transposed = kv;
    }
    for (let t0 = 0; t0 < T; t0 += STRIP) {
      const rows = Math.min(STRIP, T - t0);
      let span = 0;
      for (let i = 0; i < STRIP; i++) {
        limits[i] = i >= rows ? 0 : causal ? Math.max(0, Math.min(S, t0 + i + S - T + 1)) : S;
        span = Math.max(span, limits[i]);
      }
      // keys before the strip's first row's window start are seen by no row; keys below limits[0]
      // by every row but those the window has passed; past limits[0] (causal) only by the later
      // rows, which add them one by one: a hidden key is skipped, never multiplied by weight 0
      const from = Math.min(windowStart(variant, t0 + S - T), span);
      const shared = Math.max(from, limits[0]);
      const q0 = (p * T + t0) * D, q1 = q0 + D, q2 = q1 + D, q3 = q2 + D;
      // scores: sc[i·S + s] for the rows of the strip, two keys at a time
      let s = from;
      if (rows === STRIP) {
        for (; s + 2 <= span; s += 2) {
          const ka = kBase + s * D, kb = ka + D;
          let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
          for (let d = 0; d < D; d++) {
            const x = k[ka + d], y = k[kb + d];
            const u0 = q[q0 + d], u1 = q[q1 + d], u2 = q[q2 + d], u3 = q[q3 + d];
            a0 += u0 * x; a1 += u1 * x; a2 += u2 * x; a3 += u3 * x;
            b0 += u0 * y; b1 += u1 * y; b2 += u2 * y; b3 += u3 * y;
          }
          sc[s] = a0 * scale; sc[S + s] = a1 * scale; sc[2 * S + s] = a2 * scale; sc[3 * S + s] = a3 * scale;
          sc[s + 1] = b0 * scale; sc[S + s + 1] = b1 * scale; sc[2 * S + s + 1] = b2 * scale; sc[3 * S + s + 1] = b3 * scale;
        }
      }
      for (; s < span; s++) {
        const ko = kBase + s * D;
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        for (let d = 0; d < D; d++) {
          const kd = k[ko + d];
          a0 += q[q0 + d] * kd;
          if (rows > 1) a1 += q[q1 + d] * kd;
          if (rows > 2) a2 += q[q2 + d] * kd;
          if (rows > 3) a3 += q[q3 + d] * kd;
        }
        sc[s] = a0 * scale; sc[S + s] = a1 * scale; sc[2 * S + s] = a2 * scale; sc[3 * S + s] = a3 * scale;
      }
      // mask, ALiBi, window, softmax per row
      for (let i = 0; i < rows; i++) {
        const row = p * T + t0 + i, base = i * S, limit = limits[i], pos = t0 + i + S - T;
        if (mask !== null) {
          const mo = maskOffsets![row];
          for (let s = from; s < limit; s++) sc[base + s] += mask[mo + s * maskStride];
        }
        if (slope !== 0) for (let s = from; s < limit; s++) sc[base + s] -= slope * (pos - s);
        sc.fill(-Infinity, base + from, base + Math.min(limit, windowStart(variant, pos)));
        let max = -Infinity;
        for (let s = from; s < limit; s++) {
          const x = sc[base + s];
          if (x > max) max = x;
          else if (x !== x) { max = NaN; break; }
        }
        maxes[i] = max;
        if (max === -Infinity) { inv[i] = 0; sc.fill(0, base + from, base + span); continue; }
        let sum = 0;
        for (let s = from; s < limit; s++) {
          const e = expNonPositive(sc[base + s] - max);
          sc[base + s] = e;
          sum += e;
        }
        sc.fill(0, base + limit, base + span);
        inv[i] = 1 / sum;
      }
      // out = weights · v, over the transposed values
      for (let i = rows; i < STRIP; i++) sc.fill(0, i * S + from, i * S + span);
      const o = (p * T + t0) * Dv;
      let d = 0;
      for (; d + 2 <= Dv; d += 2) { // two value columns at a time
        const va = d * S, vb = va + S;
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
        for (let s = from; s < shared; s++) {
          const x = vt[va + s], y = vt[vb + s];
          const w0 = sc[s], w1 = sc[S + s], w2 = sc[2 * S + s], w3 = sc[3 * S + s];
          a0 += w0 * x; a1 += w1 * x; a2 += w2 * x; a3 += w3 * x;
          b0 += w0 * y; b1 += w1 * y; b2 += w2 * y; b3 += w3 * y;
        }
        for (let s = shared; s < span; s++) {
          const x = vt[va + s], y = vt[vb + s];
          if (s < limits[1]) { a1 += sc[S + s] * x; b1 += sc[S + s] * y; }
          if (s < limits[2]) { a2 += sc[2 * S + s] * x; b2 += sc[2 * S + s] * y; }
          if (s < limits[3]) { a3 += sc[3 * S + s] * x; b3 += sc[3 * S + s] * y; }
        }
        storeStrip(out, o + d, Dv, rows, a0, a1, a2, a3);
        storeStrip(out, o + d + 1, Dv, rows, b0, b1, b2, b3);
      }
      for (; d < Dv; d++) {
        const vo = d * S;
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        for (let s = from; s < shared; s++) {
          const vd = vt[vo + s];
          a0 += sc[s] * vd; a1 += sc[S + s] * vd; a2 += sc[2 * S + s] * vd; a3 += sc[3 * S + s] * vd;
        }
        for (let s = shared; s < span; s++) {
          const vd = vt[vo + s];
          if (s < limits[1]) a1 += sc[S + s] * vd;
          if (s < limits[2]) a2 += sc[2 * S + s] * vd;
          if (s < limits[3]) a3 += sc[3 * S + s] * vd;
        }
        storeStrip(out, o + d, Dv, rows, a0, a1, a2, a3);
      }
      for (let i = 0; i < rows; i++) {
        const row = p * T + t0 + i;
        if (maxes[i] !== maxes[i]) out.fill(NaN, row * Dv, (row + 1) * Dv);
        else if (maxes[i] === -Infinity) out.fill(0, row * Dv, (row + 1) * Dv);
        else sumSkippingMaskedIfNaN(out, row * Dv, Dv, sc, i * S, from, limits[i], vt, S, inv[i]);
        if (weights !== null) {
          const wo = row * S;
          weights.fill(0, wo, wo + from);
          for (let s = from; s < span; s++) weights[wo + s] = sc[i * S + s] * inv[i];
          weights.fill(0, wo + span, wo + S);
          if (maxes[i] !== maxes[i]) weights.fill(NaN, wo, wo + S);
        }
      }
    }
  }
}

/**
 * A row whose output came out NaN although its scores were not: a key of weight 0 (masked by −∞, or
 * a score of −∞ from q·k itself) holds a non-finite value. Sums the row again, skipping the keys of weight 0 (rare, so not in the fast loop).
 */
function sumSkippingMaskedIfNaN(
  out: Float32Array, o: number, Dv: number, w: Float64Array, wo: number, from: number, limit: number,
  vt: Float64Array, S: number, invSum: number,
): void {
  let nan = false;
  for (let d = 0; d < Dv; d++) if (out[o + d] !== out[o + d]) nan = true;
  if (!nan) return;
  for (let d = 0; d < Dv; d++) {
    let acc = 0;
    for (let s = from; s < limit; s++) if (w[wo + s] !== 0) acc += w[wo + s] * vt[d * S + s];
    out[o + d] = acc * invSum;
  }
}

/** Writes one output column of a strip: out[o + i·Dv] = a_i / Σ_i for its rows (a module function, not a closure: no allocation). */
function storeStrip(out: Float32Array, o: number, Dv: number, rows: number, a0: number, a1: number, a2: number, a3: number): void {
  out[o] = a0 * inv[0];
  if (rows > 1) out[o + Dv] = a1 * inv[1];
  if (rows > 2) out[o + 2 * Dv] = a2 * inv[2];
  if (rows > 3) out[o + 3 * Dv] = a3 * inv[3];
}

/**
 * Heads the WebAssembly kernel returned NaN in, computed again by the reference: the float32 kernel
 * has no branch for scores that are all −∞ (a zero row here) or for a key of weight 0 whose value is
 * not finite (skipped here), so its NaN there is not the answer. Rows that really are NaN stay NaN.
 * Scanning the output costs T·Dv reads per head, against the kernel's T·S·(D + Dv) multiply-adds.
 */
function redoNaNRows(
  out: Float32Array, q: Float32Array, k: Float32Array, v: Float32Array,
  BH: number, T: number, S: number, D: number, Dv: number, scale: number, causal: boolean, kvRows: number,
  variant: AttentionVariant,
): void {
  for (let p = 0; p < BH; p++) {
    let nan = false;
    for (let i = p * T * Dv, end = i + T * Dv; i < end; i++) if (out[i] !== out[i]) { nan = true; break; }
    if (!nan) continue;
    const kv = Math.floor(p / variant.group), h = variant.slopes === null ? 0 : p % variant.slopes.length;
    attentionForwardReference(out.subarray(p * T * Dv, (p + 1) * T * Dv), null, q.subarray(p * T * D, (p + 1) * T * D),
      k.subarray(kv * kvRows * D), v.subarray(kv * kvRows * Dv), null, null, 0, 1, T, S, D, Dv, scale, causal, kvRows,
      { group: 1, window: variant.window, slopes: variant.slopes === null ? null : variant.slopes.subarray(h, h + 1) });
  }
}

/**
 * Attention by the fastest kernel here: WebAssembly SIMD when there is no additive mask and no
 * weights are wanted (where available and switched on), else {@link attentionForward}. Special
 * values give the same answer on both paths (NaN rows from WebAssembly are checked by the reference).
 * Same arguments as {@link attentionForward}.
 * @category Kernels
 * @example
 * ```ts
 * attentionKernel(out, null, q, k, v, null, null, 0, H, T, T, D, D, 1 / Math.sqrt(D), true);
 * ```
 */
export function attentionKernel(
  out: Float32Array, weights: Float32Array | null,
  q: Float32Array, k: Float32Array, v: Float32Array,
  mask: Float32Array | null, maskOffsets: Int32Array | null, maskStride: number,
  BH: number, T: number, S: number, D: number, Dv: number, scale: number, causal: boolean,
  kvRows: number = S, variant: AttentionVariant = PLAIN_ATTENTION,
): void {
  if (mask === null && weights === null && attentionForwardWasm(out, q, k, v, BH, T, S, D, Dv, scale, causal, kvRows, variant)) {
    redoNaNRows(out, q, k, v, BH, T, S, D, Dv, scale, causal, kvRows, variant);
    return;
  }
  attentionForward(out, weights, q, k, v, mask, maskOffsets, maskStride, BH, T, S, D, Dv, scale, causal, kvRows, variant);
}
