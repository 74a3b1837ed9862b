// RoPE scaling (a longer context than a model was trained on: Llama 3.1/3.2, Qwen2.5's YaRN): each
// pair's frequency base^(−2i/D) divided by a factor, as Hugging Face computes the factors (its
// _compute_linear_scaling_rope_parameters, _compute_llama3_parameters, _compute_yarn_parameters) and
// llama.cpp applies them (`freq_factors`, the rope_freqs.weight tensor of a GGUF file; YaRN's ramp
// in ggml_rope_yarn_corr_dims), and for YaRN a magnitude ("attention factor") on cos and sin.
import { describe } from "../internal/check";

/**
 * How a Llama's RoPE frequencies are scaled: `"linear"` (every frequency divided by `factor`),
 * `"llama3"` (low frequencies divided by `factor`, high ones kept, a smooth ramp between, from the
 * original context length), or `"factors"` (the divisor of each of the D/2 frequencies, as a GGUF
 * file's `rope_freqs.weight` holds them), or `"yarn"` (YaRN: frequencies that turn more than
 * `betaFast` times over the original context kept, those that turn fewer than `betaSlow` times
 * divided by `factor`, a linear ramp between; cos and sin multiplied by `attentionFactor`, default
 * 0.1·ln(factor) + 1; `betaFast` 32 and `betaSlow` 1 by default, as Hugging Face and llama.cpp).
 * @category 24 · Llama
 */
export type RopeScaling =
  | { type: "linear"; factor: number }
  | { type: "yarn"; factor: number; originalMaxPositionEmbeddings: number; betaFast?: number; betaSlow?: number; attentionFactor?: number }
  | { type: "llama3"; factor: number; lowFreqFactor: number; highFreqFactor: number; originalMaxPositionEmbeddings: number }
  | { type: "factors"; factors: readonly number[] };

/** Checks a config's ropeScaling for head size D, naming the field. */
export function checkRopeScaling(fn: string, s: unknown, D: number): RopeScaling {
  const bad = (what: string) => new RangeError(`${fn}: config.ropeScaling ${what}`);
  if (s == null || typeof s !== "object") throw new TypeError(`${fn}: config.ropeScaling must be { type: "linear" | "llama3" | "yarn" | "factors", … }, got ${describe(s)}`);
  const r = s as Record<string, unknown>;
  const positive = (k: string) => {
    if (typeof r[k] !== "number" || !Number.isFinite(r[k]) || (r[k] as number) <= 0) throw bad(`.${k} must be a positive number, got ${describe(r[k])}`);
  };
  const keys = (allowed: string[]) => {
    for (const k of Object.keys(r)) if (!allowed.includes(k)) throw bad(`has an unknown field "${k}" for type "${r.type}" (expected ${allowed.join(", ")})`);
  };
  if (r.type === "linear") { keys(["type", "factor"]); positive("factor"); }
  else if (r.type === "llama3") {
    keys(["type", "factor", "lowFreqFactor", "highFreqFactor", "originalMaxPositionEmbeddings"]);
    for (const k of ["factor", "lowFreqFactor", "highFreqFactor", "originalMaxPositionEmbeddings"]) positive(k);
    if ((r.highFreqFactor as number) <= (r.lowFreqFactor as number)) throw bad(`.highFreqFactor (${r.highFreqFactor}) must exceed .lowFreqFactor (${r.lowFreqFactor})`);
  } else if (r.type === "yarn") {
    keys(["type", "factor", "originalMaxPositionEmbeddings", "betaFast", "betaSlow", "attentionFactor"]);
    for (const k of ["factor", "originalMaxPositionEmbeddings"]) positive(k);
    for (const k of ["betaFast", "betaSlow", "attentionFactor"]) if (r[k] !== undefined) positive(k);
    if ((r.betaFast as number ?? 32) <= (r.betaSlow as number ?? 1)) throw bad(`.betaFast (${r.betaFast ?? 32}) must exceed .betaSlow (${r.betaSlow ?? 1})`);
  } else if (r.type === "factors") {
    keys(["type", "factors"]);
    const f = r.factors as ArrayLike<number> | undefined;
    if (f == null || typeof f.length !== "number" || f.length !== D / 2) throw bad(`.factors must hold D/2 = ${D / 2} numbers, got ${describe(f)}`);
    for (let i = 0; i < f.length; i++) if (!(f[i] > 0) || !Number.isFinite(f[i])) throw bad(`.factors[${i}] is ${describe(f[i])}, expected a positive number`);
  } else throw bad(`.type is ${describe(r.type)}, expected "linear", "llama3", "yarn" or "factors" (dynamic and longrope scaling are not supported yet)`);
  return s as RopeScaling;
}

const computed = new WeakMap<RopeScaling, { D: number; base: number; factors: Float64Array }>();

/**
 * The divisor of each of the D/2 frequencies base^(−2i/D) (null: none), as Hugging Face computes
 * them; the same array for the same scaling (the kernels keep their frequencies while it is).
 */
export function ropeFreqFactors(s: RopeScaling | undefined, D: number, base: number): Float64Array | null {
  if (s === undefined) return null;
  const hit = computed.get(s);
  if (hit && hit.D === D && hit.base === base) return hit.factors;
  const out = new Float64Array(D / 2);
  if (s.type === "linear") out.fill(s.factor);
  else if (s.type === "factors") for (let i = 0; i < D / 2; i++) out[i] = s.factors[i];
  else if (s.type === "yarn") {
    // the pair index i at which a frequency turns `rotations` times over the original context
    const pairAt = (rotations: number) => (D * Math.log(s.originalMaxPositionEmbeddings / (rotations * 2 * Math.PI))) / (2 * Math.log(base));
    const low = Math.max(Math.floor(pairAt(s.betaFast ?? 32)), 0), high = Math.min(Math.ceil(pairAt(s.betaSlow ?? 1)), D - 1);
    for (let i = 0; i < D / 2; i++) { // inv_freq·(ramp/factor + 1 − ramp): ramp 0 keeps a frequency, 1 divides it by factor
      const ramp = Math.min(Math.max((i - low) / (high === low ? 0.001 : high - low), 0), 1);
      out[i] = 1 / (ramp / s.factor + 1 - ramp);
    }
  } else {
    const lowWavelen = s.originalMaxPositionEmbeddings / s.lowFreqFactor, highWavelen = s.originalMaxPositionEmbeddings / s.highFreqFactor;
    for (let i = 0; i < D / 2; i++) {
      const wavelen = 2 * Math.PI * Math.pow(base, (2 * i) / D); // 2π / inv_freq
      if (wavelen < highWavelen) out[i] = 1;
      else if (wavelen > lowWavelen) out[i] = s.factor;
      else { // smooth: inv_freq·((1 − t)/factor + t), t = (original/wavelen − low) / (high − low)
        const t = (s.originalMaxPositionEmbeddings / wavelen - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
        out[i] = 1 / ((1 - t) / s.factor + t);
      }
    }
  }
  computed.set(s, { D, base, factors: out });
  return out;
}

/** The magnitude cos and sin are multiplied by: YaRN's attention factor, 1 for the other scalings. */
export function ropeAttentionFactor(s: RopeScaling | undefined): number {
  if (s?.type !== "yarn") return 1;
  return s.attentionFactor ?? yarnMscale(s.factor);
}

/** YaRN's default attention factor for a scaling factor: 0.1·ln(factor) + 1 (1 where factor ≤ 1). */
export const yarnMscale = (factor: number): number => (factor <= 1 ? 1 : 0.1 * Math.log(factor) + 1);
