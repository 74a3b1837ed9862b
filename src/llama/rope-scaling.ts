// RoPE scaling (a longer context than a model was trained on, Llama 3.1/3.2): each pair's frequency
// base^(−2i/D) divided by a factor, as Hugging Face computes the factors (its
// _compute_linear_scaling_rope_parameters, _compute_llama3_parameters) and llama.cpp applies them
// (`freq_factors`, the rope_freqs.weight tensor of a GGUF file).
import { describe } from "../internal/check";

/**
 * How a Llama's RoPE frequencies are scaled: `"linear"` (every frequency divided by `factor`),
 * `"llama3"` (low frequencies divided by `factor`, high ones kept, a smooth ramp between, from the
 * original context length), or `"factors"` (the divisor of each of the D/2 frequencies, as a GGUF
 * file's `rope_freqs.weight` holds them). @category 24 · Llama
 */
export type RopeScaling =
  | { type: "linear"; factor: number }
  | { type: "llama3"; factor: number; lowFreqFactor: number; highFreqFactor: number; originalMaxPositionEmbeddings: number }
  | { type: "factors"; factors: readonly number[] };

/** Checks a config's ropeScaling for head size D, naming the field. */
export function checkRopeScaling(fn: string, s: unknown, D: number): RopeScaling {
  const bad = (what: string) => new RangeError(`${fn}: config.ropeScaling ${what}`);
  if (s == null || typeof s !== "object") throw new TypeError(`${fn}: config.ropeScaling must be { type: "linear" | "llama3" | "factors", … }, got ${describe(s)}`);
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
  } else if (r.type === "factors") {
    keys(["type", "factors"]);
    const f = r.factors as ArrayLike<number> | undefined;
    if (f == null || typeof f.length !== "number" || f.length !== D / 2) throw bad(`.factors must hold D/2 = ${D / 2} numbers, got ${describe(f)}`);
    for (let i = 0; i < f.length; i++) if (!(f[i] > 0) || !Number.isFinite(f[i])) throw bad(`.factors[${i}] is ${describe(f[i])}, expected a positive number`);
  } else throw bad(`.type is ${describe(r.type)}, expected "linear", "llama3" or "factors" (yarn and dynamic scaling are not supported yet)`);
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
  else {
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
