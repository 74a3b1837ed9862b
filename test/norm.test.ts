import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ShapeError, createRng, layerNorm, layerNormWithStats, ones, rmsNorm, tensor, zeros } from "../src/index";
import { layerNormForward } from "../src/kernels";
import { expectClose, fromRef } from "./helpers/close";
import { ref } from "./helpers/reference";
import { anyTensor, runs } from "./helpers/arbitraries";

// Normalised values are O(1..5) after the affine; float64 statistics leave only the final
// float32 rounding (≈ 6e-8 relative) and the rounding of the float32 inputs themselves: 1e-6 is
// ~16 ulp, tight enough to catch a wrong eps (1e-5 vs 1e-6 changes outputs by ~1e-6 relative only for
// tiny variances, so eps is also tested directly below) or an unbiased variance (2% here).
const TOL = { atol: 2e-6, rtol: 1e-6 };

describe("layerNorm", () => {
  it("layerNorm([1, 2, 3, 4]) is ±1.3416, ±0.4472 (hand-checked: mean 2.5, var 1.25)", () => {
    const s = 1 / Math.sqrt(1.25 + 1e-5);
    expectClose(layerNorm(tensor([1, 2, 3, 4], [1, 4]), ones([4]), zeros([4])), [-1.5 * s, -0.5 * s, 0.5 * s, 1.5 * s], TOL);
  });

  it("layerNorm(x, w, b) matches PyTorch", () => {
    const c = ref("layerNorm");
    expectClose(layerNorm(fromRef(c.x), fromRef(c.weight), fromRef(c.bias), { eps: c.eps }), c.y, TOL);
  });

  it("layerNormWithStats(x, w, b) returns PyTorch's output, mean and rstd", () => {
    const c = ref("layerNorm");
    const r = layerNormWithStats(fromRef(c.x), fromRef(c.weight), fromRef(c.bias));
    expectClose(r.output, c.y, TOL);
    expectClose(r.mean, c.mean, { atol: 1e-6, rtol: 1e-6 });
    expectClose(r.rstd, c.rstd, { atol: 0, rtol: 1e-6 });
  });

  it("layerNorm(x) of rows with mean 1e4 and spread 0.1 matches PyTorch (float64 statistics)", () => {
    const c = ref("layerNorm_large_mean");
    // inputs near 1e4 carry float32 rounding of ~5e-4, i.e. 5e-3 of the spread; the reference uses
    // the same rounded inputs, so only the output rounding remains
    expectClose(layerNorm(fromRef(c.x), ones([64])), c.y, { atol: 1e-5, rtol: 1e-5 });
  });

  it("layerNorm's one-pass statistics (shifted by the row's first value) equal two-pass float64 ones, even when that value is an outlier", () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 70 }), fc.double({ min: -1e4, max: 1e4, noNaN: true }),
      fc.double({ min: 1e-3, max: 10, noNaN: true }), fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.nat(),
      (C, centre, spread, outlier, seed) => {
        const rng = createRng(seed);
        const x = Float32Array.from({ length: C }, (_, i) => (i === 0 ? centre + outlier * spread : centre + spread * rng.normal()));
        const out = new Float32Array(C), mean = new Float32Array(1), rstd = new Float32Array(1);
        layerNormForward(out, mean, rstd, x, new Float32Array(C).fill(1), null, 1, C, 1e-5);
        let m = 0;
        for (const v of x) m += v;
        m /= C;
        let v2 = 0;
        for (const v of x) v2 += (v - m) ** 2;
        const s = 1 / Math.sqrt(v2 / C + 1e-5);
        // float64 statistics either way: the only rounding that shows is float32's, of mean and rstd
        if (Math.abs(mean[0] - m) > 1e-7 * Math.abs(m) + 1e-30) return false;
        if (Math.abs(rstd[0] - s) > 1.2e-7 * s) return false;
        for (let i = 0; i < C; i++) if (Math.abs(out[i] - (x[i] - m) * s) > 2e-6 * (1 + Math.abs((x[i] - m) * s))) return false;
        return true;
      }), runs);
  });

  it("layerNorm(x) of a constant row is 0 (then the bias), not NaN", () => {
    const y = layerNorm(tensor([7, 7, 7], [1, 3]), ones([3]), tensor([1, 2, 3], [3]));
    expect(Array.from(y.data)).toEqual([1, 2, 3]);
  });

  it("layerNorm(x, w) without bias, with C = 1, and NaN in → NaN out", () => {
    expect(Array.from(layerNorm(tensor([3, -2], [2, 1]), ones([1])).data)).toEqual([0, 0]);
    const y = layerNorm(tensor([1, NaN, 3, 1, 2, 3], [2, 3]), ones([3]));
    expect(Array.from(y.data.slice(0, 3)).every(Number.isNaN)).toBe(true);
    expect(Number.isNaN(y.data[3])).toBe(false);
  });

  it("layerNorm(x, w, b, { eps }) uses eps inside the square root", () => {
    const y = layerNorm(tensor([0, 2], [1, 2]), ones([2]), null, { eps: 3 }); // var 1 → 1/√4
    expectClose(y, [-0.5, 0.5], TOL);
  });

  it("layerNorm(x) rows have mean 0 and variance 1 before the affine", () => {
    fc.assert(fc.property(anyTensor(2, 12, 100), (x) => {
      const C = x.shape[1];
      const y = layerNorm(x, ones([C]), zeros([C]), { eps: 1e-12 });
      for (let r = 0; r < x.shape[0]; r++) {
        const row = Array.from(x.data.subarray(r * C, (r + 1) * C));
        const m = row.reduce((a, b) => a + b, 0) / C;
        const v = row.reduce((a, b) => a + (b - m) ** 2, 0) / C;
        if (C < 2 || v < 1e-3) continue; // variance must dominate eps and float32 rounding
        const out = Array.from(y.data.subarray(r * C, (r + 1) * C));
        const om = out.reduce((a, b) => a + b, 0) / C;
        const ov = out.reduce((a, b) => a + (b - om) ** 2, 0) / C;
        if (Math.abs(om) > 1e-5 || Math.abs(ov - 1) > 1e-4) return false;
      }
      return true;
    }), runs);
  });

  it("layerNorm works over any leading axes and writes into out", () => {
    const c = ref("layerNorm");
    const out = zeros(c.x.shape);
    const y = layerNorm(fromRef(c.x), fromRef(c.weight), fromRef(c.bias), { out });
    expect(y).toBe(out);
    expectClose(out, c.y, TOL);
  });

  it("layerNorm rejects a weight or bias that is not [C], eps ≤ 0, and out aliasing x", () => {
    const x = zeros([2, 768]);
    expect(() => layerNorm(x, ones([512]))).toThrow(ShapeError);
    expect(() => layerNorm(x, ones([512]))).toThrow("layerNorm: weight has shape [512], expected [768] (the last axis of x)");
    expect(() => layerNorm(x, ones([768]), ones([2, 768]))).toThrow("layerNorm: bias has shape [2, 768], expected [768] (the last axis of x)");
    expect(() => layerNorm(x, ones([768]), null, { eps: 0 })).toThrow("layerNorm: eps must be a finite number > 0, got 0");
    expect(() => layerNorm(x, ones([768]), null, { eps: -1e-5 })).toThrow(RangeError);
    const w = ones([768]);
    expect(() => layerNorm(x, w, null, { out: { data: w.data, shape: [2, 384] } })).toThrow(/out has shape \[2, 384\], expected \[2, 768\]/);
    // an out of the right shape that shares memory with an input (here: x's own buffer seen through another tensor)
    expect(() => layerNorm(x, w, null, { out: { data: x.data, shape: [2, 768] } })).toThrow("layerNorm: out shares memory with an input, expected a separate buffer");
  });

  it("the kernel writes mean and rstd only when given buffers", () => {
    const out = new Float32Array(4), mean = new Float32Array(2), rstd = new Float32Array(2);
    layerNormForward(out, mean, rstd, Float32Array.from([1, 3, 2, 2]), Float32Array.from([1, 1]), null, 2, 2, 1e-5);
    expect(Array.from(mean)).toEqual([2, 2]);
    expect(rstd[0]).toBeCloseTo(1 / Math.sqrt(1 + 1e-5), 6);
  });
});

describe("rmsNorm", () => {
  it("rmsNorm([3, 4]) is [3, 4] / √12.5 (hand-checked)", () => {
    const s = Math.sqrt(12.5 + 1e-6);
    expectClose(rmsNorm(tensor([3, 4], [1, 2]), ones([2])), [3 / s, 4 / s], TOL);
  });

  it("rmsNorm(x, w) matches PyTorch", () => {
    const c = ref("rmsNorm");
    expectClose(rmsNorm(fromRef(c.x), fromRef(c.weight), { eps: c.eps }), c.y, TOL);
  });

  it("rmsNorm(x) is invariant to scaling the row", () => {
    fc.assert(fc.property(anyTensor(2, 10, 10), fc.integer({ min: 1, max: 64 }), (x, k) => {
      const C = x.shape[1];
      const scale = k / 4; // a power-of-two-ish factor keeps the scaled input exact in float32 often, not always
      const a = rmsNorm(x, ones([C]), { eps: 1e-30 }).data;
      const b = rmsNorm({ data: x.data.map((v) => v * scale), shape: x.shape }, ones([C]), { eps: 1e-30 }).data;
      for (let i = 0; i < a.length; i++) {
        const ms = Array.from(x.data.subarray(Math.floor(i / C) * C, Math.floor(i / C) * C + C)).reduce((s, v) => s + v * v, 0);
        if (ms < 1e-6) continue;
        if (Math.abs(a[i] - b[i]) > 1e-5 * Math.max(1, Math.abs(a[i]))) return false;
      }
      return true;
    }), runs);
  });

  it("rmsNorm rejects a wrong weight and eps ≤ 0", () => {
    expect(() => rmsNorm(zeros([2, 4]), ones([3]))).toThrow("rmsNorm: weight has shape [3], expected [4] (the last axis of x)");
    expect(() => rmsNorm(zeros([2, 4]), ones([4]), { eps: NaN })).toThrow("rmsNorm: eps must be a finite number > 0, got NaN");
  });
});
