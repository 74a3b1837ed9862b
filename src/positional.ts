/**
 * Fixed positional encodings (lesson 4): the sinusoids of "Attention Is All You Need" and rotary
 * position embeddings (RoPE).
 * Shapes: `[T, C]` for sinusoids; `[..., T, D]` for RoPE (applied to q and k per head).
 * @module
 */
import type { Tensor } from "./tensor";
import { formatShape } from "./tensor";
import { checkInteger, checkOptions, checkOut, checkPositive, checkRank, describe } from "./internal/check";
import { ropeForward, sinusoidalForward } from "./kernels/positional";

/**
 * Sinusoidal positions: `PE[p, 2i] = sin(p / base^(2i/C))`, `PE[p, 2i+1] = cos(p / base^(2i/C))`,
 * for positions p = offset … offset + T − 1.
 *
 * @param T - the number of positions
 * @param C - the number of channels (an odd C ends with a sine column)
 * @param options - `base` (> 0, default 10000), `offset` (default 0)
 * @returns `[T, C]`
 * @throws RangeError for a negative or fractional T, C or offset, or base ≤ 0
 * @category 3–5 · Embeddings and positions
 * @example
 * ```ts
 * sinusoidalPositions(2, 4).data; // [0, 1, 0, 1,  sin 1, cos 1, sin 0.01, cos 0.01]
 * ```
 */
export function sinusoidalPositions(T: number, C: number, options?: { base?: number; offset?: number }): Tensor {
  const fn = "sinusoidalPositions";
  const { base = 10000, offset = 0 } = checkOptions(fn, options, ["base", "offset"]);
  checkInteger(fn, "T", T, 0);
  checkInteger(fn, "C", C, 0);
  checkInteger(fn, "offset", offset, 0);
  checkPositive(fn, "base", base);
  const data = new Float32Array(T * C);
  sinusoidalForward(data, T, C, base, offset);
  return { data, shape: [T, C] };
}

/** Options of {@link applyRope}. @category 3–5 · Embeddings and positions */
export interface RopeOptions {
  /** The position of row 0 (e.g. the KV cache length). Default 0. */
  offset?: number;
  /** Frequency base θ. Default 10000. */
  base?: number;
  /** `"half"` rotates (x[i], x[i + D/2]) (GPT-NeoX, Hugging Face LLaMA, default); `"interleaved"` rotates (x[2i], x[2i+1]) (GPT-J, Meta's LLaMA). */
  style?: "half" | "interleaved";
  /** Where to write the result (same shape as x); may be x itself. */
  out?: Tensor;
  /** RoPE scaling: D/2 divisors of the frequencies base^(−2i/D) (llama.cpp's freq_factors; Llama 3.1's long context). Default none. */
  freqFactors?: ArrayLike<number>;
  /** A factor on cos and sin, so each rotated pair's length times it (YaRN's attention factor, 0.1·ln(factor) + 1). Default 1. */
  scale?: number;
}

/**
 * Rotary position embedding: rotates each pair of channels of row t by the angle
 * `(offset + t) · base^(−2i/D)`: `(a, b) → (a·cos θ − b·sin θ, a·sin θ + b·cos θ)`.
 * Rotations keep each pair's length, and q·k then depends only on the relative position.
 *
 * @param x - `[..., T, D]` with D even (queries or keys, per head)
 * @param options - `offset`, `base`, `style`, `out`, `freqFactors`, `scale`
 * @returns `[..., T, D]`
 * @throws RangeError when D is odd or the style is unknown
 * @remarks `"half"` matches Hugging Face's `apply_rotary_pos_emb` (`rotate_half`), with angles in float64.
 * @category 3–5 · Embeddings and positions
 * @example
 * ```ts
 * const q = applyRope(randn([2, 4, 8], createRng(0)), { style: "half" }); // H=2, T=4, D=8
 * ```
 */
export function applyRope(x: Tensor, options?: RopeOptions): Tensor {
  const fn = "applyRope";
  const { offset = 0, base = 10000, style = "half", out, freqFactors, scale = 1 } = checkOptions(fn, options, ["offset", "base", "style", "out", "freqFactors", "scale"]);
  checkRank(fn, "x", x, 2, "[..., T, D]");
  const [T, D] = x.shape.slice(-2);
  if (D % 2 !== 0) throw new RangeError(`applyRope: x has shape ${formatShape(x.shape)}, expected an even head size D (the last axis), got D = ${D}`);
  if (style !== "half" && style !== "interleaved") {
    throw new RangeError(`applyRope: style must be "half" or "interleaved", got ${JSON.stringify(style)}`);
  }
  checkInteger(fn, "offset", offset, 0);
  checkPositive(fn, "base", base);
  checkPositive(fn, "scale", scale);
  if (freqFactors !== undefined) {
    if (freqFactors == null || typeof freqFactors.length !== "number" || freqFactors.length !== D / 2) throw new RangeError(`applyRope: freqFactors must hold D/2 = ${D / 2} numbers, got ${describe(freqFactors)}`);
    for (let i = 0; i < freqFactors.length; i++) if (!(freqFactors[i] > 0) || !Number.isFinite(freqFactors[i])) throw new RangeError(`applyRope: freqFactors[${i}] is ${describe(freqFactors[i])}, expected a positive number`);
  }
  const y = out === x ? x : checkOut(fn, out, x.shape, [x]);
  ropeForward(y.data, x.data, D === 0 ? 0 : x.data.length / D, T, D, offset, base, style === "interleaved", freqFactors ?? null, scale);
  return y;
}
