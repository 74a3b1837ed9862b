/**
 * Activations (lesson 13): GELU, the smooth ReLU of GPT-2's feed-forward network, and the error
 * function it is built on. Shapes: any; applied element-wise.
 * @module
 */
import type { GradOptions, Tensor } from "./tensor";
import { checkAccumulate, checkGelu, checkOptions, checkOut, checkShapeIs, checkTensor, gradTarget } from "./internal/check";
import { erf as erfKernel, geluBackwardKernel, geluKernel, siluForward } from "./kernels/activation";

/** Which GELU: `"none"` is exact (erf), PyTorch's default and nanoGPT's; `"tanh"` is GPT-2's and minGPT's approximation. @category 13–20 · The model */
export type GeluApproximation = "none" | "tanh";

/**
 * GELU, element-wise: exact `x·Φ(x) = x/2 · (1 + erf(x/√2))`, or with `approximate: "tanh"`
 * `x/2 · (1 + tanh(√(2/π)·(x + 0.044715·x³)))`.
 *
 * @param x - any shape
 * @param options - `approximate` (`"none"` default, or `"tanh"`), `out` (may be x)
 * @returns the same shape as x
 * @throws RangeError for an unknown `approximate`
 * @remarks Matches `torch.nn.functional.gelu(x, approximate=…)`.
 * @category 13–20 · The model
 * @example
 * ```ts
 * gelu(tensor([-1, 0, 1], [3])).data;                        // ≈ [-0.1587, 0, 0.8413]
 * gelu(tensor([-1, 0, 1], [3]), { approximate: "tanh" }).data; // ≈ [-0.1588, 0, 0.8412]
 * ```
 */
export function gelu(x: Tensor, options?: { approximate?: GeluApproximation; out?: Tensor }): Tensor {
  const { approximate = "none", out } = checkOptions("gelu", options, ["approximate", "out"]);
  checkTensor("gelu", "x", x);
  checkGelu("gelu", "approximate", approximate);
  const y = out === x ? x : checkOut("gelu", out, x.shape, [x]);
  geluKernel(y.data, x.data, x.data.length, approximate === "tanh");
  return y;
}

/**
 * The error function `erf(x) = 2/√π ∫₀ˣ e^(−t²) dt` in float64 (JavaScript has no `Math.erf`).
 * Max absolute error below 1e-15 against a float64 reference.
 * @param x - a number
 * @returns erf(x), in [−1, 1]
 * @category 13–20 · The model
 * @example
 * ```ts
 * erf(1); // 0.8427007929497149
 * ```
 */
export function erf(x: number): number {
  return erfKernel(x);
}

/**
 * The GELU backward pass: `dx = dy · gelu′(x)`, element-wise, with x the forward's input.
 * Exact: `gelu′(x) = Φ(x) + x·φ(x)`; tanh form: `½(1 + tanh u) + ½x·(1 − tanh² u)·√(2/π)·(1 + 0.134145·x²)`,
 * `u = √(2/π)·(x + 0.044715·x³)`.
 *
 * @param dy - the upstream gradient, any shape
 * @param x - the forward's input, the same shape
 * @param options - `approximate` (`"none"` default, or `"tanh"`: the same as the forward), `out`, `accumulate` ({@link GradOptions})
 * @returns dx, the shape of x
 * @throws ShapeError when x's shape differs from dy's; RangeError for an unknown `approximate`
 * @remarks Matches `torch.autograd.grad(F.gelu(x, approximate=…), x, dy)`.
 * @category 22–23 · Training
 * @example
 * ```ts
 * geluBackward(tensor([1, 1], [2]), tensor([0, 1], [2])).data; // ≈ [0.5, 1.0833]
 * ```
 */
export function geluBackward(dy: Tensor, x: Tensor, options?: { approximate?: GeluApproximation } & GradOptions): Tensor {
  const fn = "geluBackward";
  const { approximate = "none", out, accumulate } = checkOptions(fn, options, ["approximate", "out", "accumulate"]);
  checkTensor(fn, "dy", dy);
  checkShapeIs(fn, "x", x, dy.shape, "the shape of dy");
  checkGelu(fn, "approximate", approximate);
  const dx = gradTarget(fn, "out", out, dy.shape, checkAccumulate(fn, accumulate, { name: "out", given: out !== undefined }), [dy, x]);
  geluBackwardKernel(dx.data, dy.data, x.data, x.data.length, approximate === "tanh");
  return dx;
}

/**
 * SiLU (swish), element-wise: `silu(x) = x·σ(x) = x / (1 + e^(−x))` — the activation of Llama's
 * gated MLP (SwiGLU).
 *
 * @param x - any shape
 * @param options - `out` (may be x)
 * @returns the same shape as x
 * @remarks Matches `torch.nn.functional.silu(x)`.
 * @category 13–20 · The model
 * @example
 * ```ts
 * silu(tensor([-1, 0, 1], [3])).data; // ≈ [-0.2689, 0, 0.7311]
 * ```
 */
export function silu(x: Tensor, options?: { out?: Tensor }): Tensor {
  const { out } = checkOptions("silu", options, ["out"]);
  checkTensor("silu", "x", x);
  const y = out === x ? x : checkOut("silu", out, x.shape, [x]);
  siluForward(y.data, x.data, x.data.length);
  return y;
}
