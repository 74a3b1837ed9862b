// Sampling options, checked once (sampleToken and generate share this), and the final draw.
import type { SamplingOptions } from "../sampling";
import { checkInteger, checkOptions, describe } from "./check";

/** Validates sampling options once (generate reuses this). */
export function checkSampling(fn: string, options: SamplingOptions | undefined): Required<Pick<SamplingOptions, "temperature">> & SamplingOptions {
  const o = checkOptions(fn, options);
  const temperature = o.temperature ?? 1;
  if (typeof temperature !== "number" || !(temperature >= 0) || !Number.isFinite(temperature)) {
    throw new RangeError(`${fn}: temperature must be a finite number ≥ 0 (0 = greedy), got ${describe(temperature)}`);
  }
  if (o.topK !== undefined) checkInteger(fn, "topK", o.topK, 1);
  if (o.topP !== undefined && (typeof o.topP !== "number" || !(o.topP > 0 && o.topP <= 1))) {
    throw new RangeError(`${fn}: topP must be in (0, 1], got ${describe(o.topP)}`);
  }
  if (o.minP !== undefined && (typeof o.minP !== "number" || !(o.minP >= 0 && o.minP <= 1))) {
    throw new RangeError(`${fn}: minP must be in [0, 1], got ${describe(o.minP)}`);
  }
  if (temperature > 0 && (o.rng == null || typeof o.rng.uniform !== "function")) {
    throw new TypeError(`${fn}: rng is required when temperature > 0 (got temperature ${temperature} and rng ${describe(o.rng)}); pass rng: createRng(seed), or temperature: 0 for greedy`);
  }
  return { ...o, temperature };
}

/** Inverse-CDF draw; rounding past the total falls on the last token with probability > 0. */
export function draw(probs: ArrayLike<number>, u: number): number {
  let cum = 0, last = 0;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] > 0) last = i;
    cum += probs[i];
    if (u < cum) return i;
  }
  return last;
}
