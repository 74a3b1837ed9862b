import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ShapeError, mergeHeads, projectQKV, splitHeads, tensor, zeros } from "../src/index";
import { expectClose, fromRef } from "./helpers/close";
import { ref } from "./helpers/reference";
import { runs, tensorOf } from "./helpers/arbitraries";

const TOL = { atol: 1e-6, rtol: 1e-6 }; // as linear: one float32 rounding of a float64 dot product

describe("projectQKV", () => {
  it("projectQKV(x, w, b) matches PyTorch's c_attn split into q, k, v", () => {
    const c = ref("mha");
    const { q, k, v } = projectQKV(fromRef(c.x), fromRef(c.cAttnWeight), fromRef(c.cAttnBias));
    expectClose(q, c.q, TOL);
    expectClose(k, c.k, TOL);
    expectClose(v, c.v, TOL);
  });

  it("projectQKV takes q from the first C rows, k from the next, v from the last (hand-checked)", () => {
    // C = 1: weight [3, 1] = [2, 3, 4], bias [1, 1, 1]
    const { q, k, v } = projectQKV(tensor([10], [1, 1]), tensor([2, 3, 4], [3, 1]), tensor([1, 1, 1], [3]));
    expect([q.data[0], k.data[0], v.data[0]]).toEqual([21, 31, 41]);
  });

  it("projectQKV rejects a weight that is not [3C, C]", () => {
    expect(() => projectQKV(zeros([4, 8]), zeros([16, 8]))).toThrow("projectQKV: weight has shape [16, 8], expected [24, 8] ([3C, C] for C = the last axis of x)");
    expect(() => projectQKV(zeros([4, 8]), zeros([24, 8]), zeros([8]))).toThrow(ShapeError);
  });
});

describe("splitHeads / mergeHeads", () => {
  it("splitHeads(x, H) matches PyTorch's view + transpose", () => {
    const c = ref("mha");
    expectClose(splitHeads(fromRef(c.q), c.nHead), fromRef(c.qh), { atol: 0, rtol: 0 }); // a pure copy: exact
  });

  it("splitHeads gives head h the columns h·D … (h+1)·D − 1", () => {
    const x = tensor([0, 1, 2, 3, 10, 11, 12, 13], [2, 4]); // T = 2, C = 4
    const y = splitHeads(x, 2);
    expect(y.shape).toEqual([2, 2, 2]);
    expect(Array.from(y.data)).toEqual([0, 1, 10, 11, 2, 3, 12, 13]);
  });

  it("mergeHeads(splitHeads(x, H)) is x", () => {
    const arb = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }))
      .chain(([B, T, H, D]) => tensorOf([B, T, H * D]).map((x) => ({ x, H })));
    fc.assert(fc.property(arb, ({ x, H }) => {
      const y = mergeHeads(splitHeads(x, H));
      return y.shape.join() === x.shape.join() && y.data.every((v, i) => v === x.data[i]);
    }), runs);
  });

  it("splitHeads rejects an nHead that does not divide C; mergeHeads needs rank 3", () => {
    expect(() => splitHeads(zeros([4, 10]), 3)).toThrow("splitHeads: nHead = 3 does not divide C = 10 (the last axis of x, shape [4, 10]), expected a divisor of 10");
    expect(() => splitHeads(zeros([4, 10]), 0)).toThrow("splitHeads: nHead must be an integer ≥ 1, got 0");
    expect(() => mergeHeads(zeros([4, 10]))).toThrow("mergeHeads: x has shape [4, 10] (rank 2), expected rank ≥ 3 [..., H, T, D]");
  });
});
