/**
 * Seeded random numbers: the same seed gives the same numbers on every platform.
 * @module
 */
import type { Tensor } from "./tensor";
import { zeros } from "./tensor";
import { checkFinite } from "./internal/check";

/**
 * A seeded generator. Draws are deterministic: integer arithmetic only, so every engine agrees.
 * @category 1 · Tensors
 */
export interface Rng {
  /** A uniform draw in [0, 1) with 53 random bits. */
  uniform(): number;
  /** A standard normal draw (mean 0, variance 1), by the Box–Muller transform. */
  normal(): number;
  /** The seed it was created with. */
  readonly seed: number;
}

/**
 * Creates a seeded generator (sfc32, seeded by splitmix32 from `seed`).
 * The methods do not depend on `this`, so `const { uniform } = rng` works.
 * @param seed - any finite number; its low 32 bits of the integer part and fraction are mixed in
 * @throws TypeError when the seed is not a finite number
 * @category 1 · Tensors
 * @example
 * ```ts
 * const rng = createRng(42);
 * rng.uniform(); // a number in [0, 1), the same on every machine
 * ```
 */
export function createRng(seed: number): Rng {
  checkFinite("createRng", "seed", seed);
  let s = (Math.floor(seed) ^ Math.floor((seed % 1) * 0x100000000)) >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix(), b = splitmix(), c = splitmix(), d = splitmix();
  const next32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) next32();
  const uniform = (): number => {
    const hi = next32() >>> 5; // 27 bits
    const lo = next32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  };
  let spare: number | null = null;
  const normal = (): number => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * uniform();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
  return { uniform, normal, seed };
}

/**
 * A tensor of independent normal draws with mean 0 and standard deviation `std`.
 * @param shape - the dimensions
 * @param rng - from {@link createRng}
 * @param std - the standard deviation (default 1)
 * @category 1 · Tensors
 * @example
 * ```ts
 * const w = randn([4, 8], createRng(0), 0.02); // nanoGPT's init scale
 * ```
 */
export function randn(shape: readonly number[], rng: Rng, std = 1): Tensor {
  if (rng == null || typeof rng.normal !== "function") {
    throw new TypeError(`randn: rng must come from createRng(seed), got ${String(rng)}`);
  }
  checkFinite("randn", "std", std);
  if (std < 0) throw new RangeError(`randn: std must be ≥ 0, got ${std}`);
  const t = zeros(shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = rng.normal() * std;
  return t;
}
