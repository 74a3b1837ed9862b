// Activation kernels. JavaScript has no Math.erf, so the exact GELU brings its own erfc.
import { expNonPositive } from "./exp";
import { geluTanhBackwardWasm, geluTanhWasm } from "./wasm";
import { GELU_MIN_VALUES } from "../backend/thresholds";

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * The complementary error function erfc(x) = 1 − erf(x), to ~1e-15 absolute for x < 3 and to ~1e-15
 * relative beyond. For |x| < 3: erf(x) = 2/√π · e^(−x²) · Σ_n 2ⁿ x^(2n+1) / (1·3·…·(2n+1)), whose
 * terms are all positive (no cancellation); for x ≥ 3: the continued fraction
 * erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated from the tail.
 * @category Kernels
 * @example
 * ```ts
 * erfc(3); // 2.209049699858544e-5
 * ```
 */
export function erfc(x: number): number {
  if (x !== x) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 3) return 1 - erfSeries(x);
  if (x > 27) return 0;
  let f = x;
  for (let n = 60; n >= 1; n--) f = x + n / 2 / f;
  return (Math.exp(-x * x) * INV_SQRT_PI) / f;
}

/**
 * The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt (max abs error < 1e-15 against a float64 reference).
 * @category Kernels
 * @example
 * ```ts
 * erf(0.5); // 0.5204998778130465
 * ```
 */
export function erf(x: number): number {
  if (x !== x) return NaN;
  const a = Math.abs(x);
  const r = a < 3 ? erfSeries(a) : 1 - erfc(a);
  return x < 0 ? -r : r;
}

function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x, sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return 2 * INV_SQRT_PI * Math.exp(-x2) * sum;
}

/**
 * out[i] = x·Φ(x) with Φ(x) = erfc(−x/√2)/2 (exact GELU), or, with `tanh`,
 * out[i] = x/2 · (1 + tanh(√(2/π)·(x + 0.044715·x³))). `out` may be `x`.
 * @category Kernels
 * @example
 * ```ts
 * geluForward(out, x, x.length, true); // tanh form; false for the exact erf form
 * ```
 */
export function geluForward(out: Float32Array, x: Float32Array, n: number, tanh: boolean): void {
  if (tanh) {
    // x/2·(1 + tanh u) = x·sigmoid(2u), with one exp of −|2u|: sigmoid is 1/(1 + e) for u ≥ 0, e/(1 + e) below
    for (let i = 0; i < n; i++) {
      const v = x[i];
      const u = 2 * SQRT_2_OVER_PI * (v + 0.044715 * v * v * v);
      const e = expNonPositive(-Math.abs(u));
      const r = 1 / (1 + e);
      out[i] = u >= 0 ? v * r : v * e * r;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = x[i];
      out[i] = 0.5 * v * erfc(-v * Math.SQRT1_2);
    }
  }
}

/**
 * GELU by the fastest kernel here: the tanh form in WebAssembly SIMD for at least 4,096 values (a
 * multiple of 4; where available and switched on), else {@link geluForward}.
 * @category Kernels
 * @example
 * ```ts
 * geluKernel(out, x, x.length, true); // WebAssembly SIMD when it can, else geluForward
 * ```
 */
export function geluKernel(out: Float32Array, x: Float32Array, n: number, tanh: boolean): void {
  if (tanh && n >= GELU_MIN_VALUES && geluTanhWasm(out, x, n)) return;
  geluForward(out, x, n, tanh);
}

/**
 * The GELU backward pass, added into dx: dx[i] += dy[i]·gelu′(x[i]), with gelu′(x) = Φ(x) + x·φ(x)
 * (exact form; Φ, φ the standard normal CDF and density) or, with `tanh`,
 * gelu′(x) = ½(1 + tanh u) + ½x·(1 − tanh² u)·√(2/π)·(1 + 3·0.044715·x²), u = √(2/π)·(x + 0.044715·x³).
 * x is the forward's input; dx must not be dy. Computed in float64; {@link geluBackwardKernel} takes
 * the fastest path.
 * @category Kernels
 * @example
 * ```ts
 * geluBackwardReference(dx, dy, x, n, true);
 * ```
 */
export function geluBackwardReference(dx: Float32Array, dy: Float32Array, x: Float32Array, n: number, tanh: boolean): void {
  if (tanh) {
    // with s = sigmoid(2u) = (1 + tanh u)/2: gelu′ = s + x·2s(1 − s)·u′, u′ = √(2/π)(1 + 3·0.044715·x²);
    // s from one exp of −|2u| (as the forward), without Math.tanh
    for (let i = 0; i < n; i++) {
      const v = x[i];
      const u2 = 2 * SQRT_2_OVER_PI * (v + 0.044715 * v * v * v);
      const e = expNonPositive(-Math.abs(u2));
      const r = 1 / (1 + e);
      const sig = u2 >= 0 ? r : e * r;
      const grad = sig + v * 2 * sig * (1 - sig) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * v * v);
      dx[i] += dy[i] * grad;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = x[i];
      const cdf = 0.5 * erfc(-v * Math.SQRT1_2);
      const pdf = v * v > 1400 ? 0 : Math.exp(-0.5 * v * v) * INV_SQRT_2PI;
      dx[i] += dy[i] * (cdf + v * pdf);
    }
  }
}

/**
 * The GELU backward pass by the fastest kernel here: the tanh form in WebAssembly SIMD for at least
 * 4,096 values (a multiple of 4; where available and switched on), else {@link geluBackwardReference}.
 * @category Kernels
 * @example
 * ```ts
 * geluBackwardKernel(dx, dy, x, n, true); // dx += dy·gelu′(x)
 * ```
 */
export function geluBackwardKernel(dx: Float32Array, dy: Float32Array, x: Float32Array, n: number, tanh: boolean): void {
  if (tanh && n >= GELU_MIN_VALUES && geluTanhBackwardWasm(dx, dy, x, n)) return;
  geluBackwardReference(dx, dy, x, n, tanh);
}

/**
 * SiLU (swish), element-wise: out[i] = x[i]·σ(x[i]) = x[i] / (1 + e^(−x[i])), in float64. `out` may be `x`.
 * @category Kernels
 * @example
 * ```ts
 * siluForward(out, x, x.length);
 * ```
 */
export function siluForward(out: Float32Array, x: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    out[i] = v / (1 + Math.exp(-v));
  }
}

/**
 * The gate of a gated MLP, element-wise: out[i] = act(gate[i])·up[i] with act SiLU (SwiGLU) or GELU
 * (GeGLU; `gelu` "tanh" or "none"), in float64. `out` may be `gate` or `up`.
 * @category Kernels
 * @example
 * ```ts
 * gatedForward(hidden, gate, up, n, "silu"); // Llama's act_fn(gate_proj(x)) * up_proj(x)
 * ```
 */
export function gatedForward(out: Float32Array, gate: Float32Array, up: Float32Array, n: number, activation: "silu" | "gelu" | "gelu-tanh"): void {
  if (activation === "silu") {
    for (let i = 0; i < n; i++) {
      const g = gate[i];
      out[i] = (g / (1 + Math.exp(-g))) * up[i];
    }
    return;
  }
  geluForward(out, gate, n, activation === "gelu-tanh");
  for (let i = 0; i < n; i++) out[i] *= up[i];
}

/**
 * The backward pass of {@link gatedForward} with SiLU (SwiGLU), written (not added): with
 * s = σ(gate), dgate = dh·up·s·(1 + gate·(1 − s)) and dup = dh·gate·s, in float64.
 * @category Kernels
 * @example
 * ```ts
 * siluGatedBackward(dgate, dup, dhidden, gate, up, n);
 * ```
 */
export function siluGatedBackward(dgate: Float32Array, dup: Float32Array, dh: Float32Array, gate: Float32Array, up: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const g = gate[i], s = 1 / (1 + Math.exp(-g)), d = dh[i];
    dgate[i] = d * up[i] * s * (1 + g * (1 - s));
    dup[i] = d * g * s;
  }
}
