import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ShapeError, linear, matmul, tensor, zeros, createRng, randn } from "../src/index";
import { linearForward, linearForwardReference } from "../src/kernels";
import { expectClose, fromRef } from "./helpers/close";
import { ref } from "./helpers/reference";
import { runs } from "./helpers/arbitraries";

// Dot products of K ≤ 12 float32 terms accumulated in float64 and rounded once: the error is one
// float32 rounding of the result (6e-8 relative) — 1e-6 abs/rel leaves margin yet catches a missing
// bias (≥ 1e-2 here) or a transposed weight.
const TOL = { atol: 1e-6, rtol: 1e-6 };

describe("linear", () => {
  it("linear(x, w, b) computes x·Wᵀ + b (hand-checked)", () => {
    const x = tensor([1, 2], [1, 2]);
    const w = tensor([1, 0, 0, 1, 1, 1], [3, 2]);
    expect(Array.from(linear(x, w, tensor([0, 0, 10], [3])).data)).toEqual([1, 2, 13]);
  });

  it("linear(x, w, b) matches PyTorch's F.linear, with and without bias", () => {
    const c = ref("linear");
    expectClose(linear(fromRef(c.x), fromRef(c.weight), fromRef(c.bias)), c.y, TOL);
    expectClose(linear(fromRef(c.x), fromRef(c.weight)), c.yNoBias, TOL);
  });

  it("linear(x, w) writes into out and leaves inputs untouched", () => {
    const c = ref("linear");
    const x = fromRef(c.x), w = fromRef(c.weight);
    const xs = x.data.slice(), ws = w.data.slice();
    const out = zeros([2, 3, 7]);
    expect(linear(x, w, null, { out })).toBe(out);
    expectClose(out, c.yNoBias, TOL);
    expect(x.data).toEqual(xs);
    expect(w.data).toEqual(ws);
  });

  it("the tiled kernel equals the reference kernel on shapes that are not multiples of the tile", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 75 }),
      fc.boolean(), fc.integer({ min: 0, max: 1e6 }), (M, K, N, withBias, seed) => {
        const rng = createRng(seed);
        const x = randn([M, K], rng), w = randn([N, K], rng), b = withBias ? randn([N], rng).data : null;
        const fast = new Float32Array(M * N), slow = new Float32Array(M * N);
        linearForward(fast, x.data, w.data, b, M, K, N);
        linearForwardReference(slow, x.data, w.data, b, M, K, N);
        for (let i = 0; i < fast.length; i++) if (Math.abs(fast[i] - slow[i]) > 1e-5 * (1 + Math.abs(slow[i]))) return false;
        return true;
      }), runs);
  });

  it("linear handles 1-D x and zero-sized axes", () => {
    expect(Array.from(linear(tensor([2], [1]), tensor([3, 4], [2, 1])).data)).toEqual([6, 8]);
    expect(linear(zeros([0, 3]), zeros([2, 3])).shape).toEqual([0, 2]);
  });

  it("linear rejects a weight that does not fit x, a wrong bias, and an aliased out", () => {
    expect(() => linear(zeros([2, 4]), zeros([3, 5]))).toThrow(ShapeError);
    expect(() => linear(zeros([2, 4]), zeros([3, 5]))).toThrow("linear: weight has shape [3, 5], expected [out, 4]");
    expect(() => linear(zeros([2, 4]), zeros([4]))).toThrow("linear: weight has shape [4] (rank 1), expected rank 2 [out, in]");
    expect(() => linear(zeros([2, 4]), zeros([3, 4]), zeros([4]))).toThrow("linear: bias has shape [4], expected [3] (the first axis of weight)");
    const x = zeros([2, 2]);
    expect(() => linear(x, zeros([2, 2]), null, { out: x })).toThrow("linear: out shares memory with an input");
    expect(() => linear({ data: new Float32Array(3), shape: [2, 2] }, zeros([2, 2]))).toThrow("linear: x.data has length 3, expected 4 (the product of shape [2, 2])");
    expect(() => linear({ data: [1, 2] as unknown as Float32Array, shape: [1, 2] }, zeros([2, 2]))).toThrow(TypeError);
  });
});

describe("matmul", () => {
  it("matmul(a, b) of 2×2 matrices (hand-checked)", () => {
    expect(Array.from(matmul(tensor([1, 2, 3, 4], [2, 2]), tensor([5, 6, 7, 8], [2, 2])).data)).toEqual([19, 22, 43, 50]);
  });

  it("matmul(a, b) matches PyTorch with a shared and a batched b", () => {
    const c = ref("matmul");
    expectClose(matmul(fromRef(c.a), fromRef(c.b)), c.y, TOL);
    expectClose(matmul(fromRef(c.a), fromRef(c.bBatched)), c.yBatched, TOL);
  });

  it("matmul(a, b) agrees with linear(a, bᵀ)", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.nat(), (M, K, N, seed) => {
      const rng = createRng(seed);
      const a = randn([M, K], rng), b = randn([K, N], rng);
      const bt = zeros([N, K]);
      for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) bt.data[n * K + k] = b.data[k * N + n];
      const x = matmul(a, b).data, y = linear(a, bt).data;
      return x.every((v, i) => Math.abs(v - y[i]) <= 1e-5 * (1 + Math.abs(v)));
    }), runs);
  });

  it("matmul rejects mismatched inner sizes and batch axes (nothing is broadcast)", () => {
    expect(() => matmul(zeros([2, 3]), zeros([4, 5]))).toThrow("matmul: b has shape [4, 5], expected [3, N] in its last two axes");
    expect(() => matmul(zeros([2, 2, 3]), zeros([3, 3, 5]))).toThrow(/matmul: b has shape \[3, 3, 5\], expected \[2, 3, N\] or \[3, N\]/);
    expect(() => matmul(zeros([3]), zeros([3, 1]))).toThrow(ShapeError);
  });
});
