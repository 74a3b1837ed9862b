import { describe, expect, it } from "vitest";
import { ShapeError, at, createRng, formatTensor, full, ones, randn, reshape, sizeOf, tensor, zeros } from "../src/index";

describe("tensor constructors", () => {
  it("tensor(data, shape) copies into a Float32Array", () => {
    const src = [1, 2, 3, 4, 5, 6];
    const t = tensor(src, [2, 3]);
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(t.shape).toEqual([2, 3]);
    src[0] = 99;
    expect(t.data[0]).toBe(1);
    expect(at(t, 1, 1)).toBe(5);
  });

  it("zeros, ones, full and a scalar shape []", () => {
    expect(Array.from(zeros([2]).data)).toEqual([0, 0]);
    expect(Array.from(ones([2]).data)).toEqual([1, 1]);
    expect(Array.from(full([3], 0.5).data)).toEqual([0.5, 0.5, 0.5]);
    expect(tensor([7], []).data.length).toBe(1);
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([2, 0, 3])).toBe(0);
  });

  it("reshape shares data and checks the size", () => {
    const t = zeros([2, 6]);
    const r = reshape(t, [3, 4]);
    expect(r.data).toBe(t.data);
    expect(() => reshape(t, [5])).toThrow("reshape: cannot view shape [2, 6] (12 elements) as [5] (5 elements)");
  });

  it("rejects data.length ≠ product(shape) and bad dimensions", () => {
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(ShapeError);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow("tensor: data has length 3, expected 4 (the product of shape [2, 2])");
    expect(() => zeros([2, -1])).toThrow("zeros: shape [2, -1] has dimension 1 = -1, expected a non-negative integer");
    expect(() => ones([1.5])).toThrow(ShapeError);
    expect(() => at(zeros([2, 2]), 2, 0)).toThrow("at: index 0 is 2, expected an integer in [0, 2) for shape [2, 2]");
  });
});

describe("createRng / randn", () => {
  it("the same seed gives the same numbers; different seeds differ", () => {
    const a = createRng(42), b = createRng(42), c = createRng(43);
    const xs = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(xs);
  });

  it("uniform draws cover [0, 1) evenly and normal draws have mean 0, variance 1", () => {
    const r = createRng(1), n = 100_000;
    let s = 0, s2 = 0, lo = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      if (u < 0.25) lo++;
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(lo / n - 0.25)).toBeLessThan(0.01); // 7 standard errors
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.03);
  });

  it("methods work when destructured, randn scales by std", () => {
    const { uniform } = createRng(3);
    expect(typeof uniform()).toBe("number");
    const w = randn([2000], createRng(4), 0.02);
    const sd = Math.sqrt(w.data.reduce((a, v) => a + v * v, 0) / 2000);
    expect(Math.abs(sd - 0.02)).toBeLessThan(0.002);
  });

  it("rejects non-finite seeds and a missing rng", () => {
    expect(() => createRng(NaN)).toThrow("createRng: seed must be a finite number, got NaN");
    expect(() => randn([2], undefined as never)).toThrow(/randn: rng must come from createRng/);
  });
});

describe("formatTensor", () => {
  it("formatTensor(t) prints a header and right-aligned rows", () => {
    expect(formatTensor(tensor([1, -2, 3.5, 0], [2, 2]), { precision: 1, label: "x" })).toBe("x [2, 2]\n  1.0  -2.0\n  3.5   0.0");
  });

  it("elides the middle of long axes and prints -inf, nan and scalars", () => {
    const s = formatTensor(tensor(Array.from({ length: 20 }, (_, i) => i), [20]), { precision: 0, maxCols: 4 });
    expect(s).toBe("[20]\n  0   1  …  18  19");
    expect(formatTensor(tensor([-Infinity, NaN], [2]), { precision: 2 })).toBe("[2]\n -inf   nan");
    expect(formatTensor(tensor([3], []), { precision: 2 })).toBe("[]\n3.00");
  });

  it("prints each matrix of a rank-3 tensor with its index", () => {
    const s = formatTensor(zeros([2, 1, 2]), { precision: 0 });
    expect(s).toBe("[2, 1, 2]\n[0, :, :]\n 0  0\n[1, :, :]\n 0  0");
  });

  it("rejects a bad precision", () => {
    expect(() => formatTensor(zeros([1]), { precision: -1 })).toThrow("formatTensor: precision must be an integer in [0, 20], got -1");
  });
});

describe("typed arrays from another realm", () => {
  it("tensors whose data is a Float32Array of another realm (an iframe, a vm context) are accepted", async () => {
    const vm = await import("node:vm");
    const { layerNorm, ones } = await import("../src/index");
    const foreign = vm.runInNewContext("new Float32Array([1, 2, 3, 4])") as Float32Array;
    expect(foreign instanceof Float32Array).toBe(false);
    const y = layerNorm({ data: foreign, shape: [1, 4] }, ones([4]));
    expect(y.data[0]).toBeCloseTo(-1.3416, 4);
    const notFloat = vm.runInNewContext("new Float64Array(4)") as unknown as Float32Array;
    expect(() => layerNorm({ data: notFloat, shape: [1, 4] }, ones([4]))).toThrow("layerNorm: x.data must be a Float32Array, got a Float64Array");
  });
});
