/**
 * Activations (lesson 13): GELU, the smooth ReLU of GPT-2's feed-forward network, and the error
 * function it is built on. Shapes: any; applied element-wise.
 * @module
 */
import type { Tensor } from "./tensor";
import { checkGelu, checkOptions, checkOut, checkTensor } from "./internal/check";
import { erf as erfKernel, geluKernel } from "./kernels/activation";

/** Which GELU: `"none"` is exact (erf), PyTorch's default and nanoGPT's; `"tanh"` is GPT-2's and minGPT's approximation. @category Model */
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
 * @category Model
 * @example
 * ```ts
 * gelu(tensor([-1, 0, 1], [3])).data;                        // ≈ [-0.1587, 0, 0.8413]
 * gelu(tensor([-1, 0, 1], [3]), { approximate: "tanh" }).data; // ≈ [-0.1588, 0, 0.8412]
 * ```
 */
export function gelu(x: Tensor, options?: { approximate?: GeluApproximation; out?: Tensor }): Tensor {
  const { approximate = "none", out } = checkOptions("gelu", options);
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
 * @category Model
 * @example
 * ```ts
 * erf(1); // 0.8427007929497149
 * ```
 */
export function erf(x: number): number {
  return erfKernel(x);
}
