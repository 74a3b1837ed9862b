import { describe, expect, it } from "vitest";
import { ShapeError, applyMask, causalMask, paddingMask, softmax, tensor, zeros, attentionScores } from "../src/index";
import { expectClose, fromRef } from "./helpers/close";
import { ref } from "./helpers/reference";

const I = -Infinity;

describe("causalMask", () => {
  it("causalMask(3) is 0 on and below the diagonal, -Infinity above", () => {
    expect(Array.from(causalMask(3).data)).toEqual([0, I, I, 0, 0, I, 0, 0, 0]);
    expect(causalMask(3).shape).toEqual([3, 3]);
  });

  it("causalMask(T, S) with S > T is aligned to the end (a KV cache) and matches PyTorch's tril(diagonal=S−T)", () => {
    expect(Array.from(causalMask(2, 4).data)).toEqual([0, 0, 0, I, 0, 0, 0, 0]);
    expectClose(causalMask(3, 5), ref("sdpa_causal_kv").mask, { atol: 0, rtol: 0 });
  });

  it("causalMask(T, S) with S < T hides every key from the first T − S queries", () => {
    expect(Array.from(causalMask(3, 1).data)).toEqual([I, I, 0]);
  });

  it("causalMask rejects negative or fractional sizes", () => {
    expect(() => causalMask(-1)).toThrow("causalMask: T must be an integer ≥ 0, got -1");
    expect(() => causalMask(2, 1.5)).toThrow("causalMask: S must be an integer ≥ 0, got 1.5");
  });
});

describe("paddingMask", () => {
  it("paddingMask([1, true, 0, false]) is [0, 0, -Inf, -Inf] with shape [1, 4]", () => {
    const m = paddingMask([1, true, 0, false]);
    expect(m.shape).toEqual([1, 4]);
    expect(Array.from(m.data)).toEqual([0, 0, I, I]);
  });

  it("paddingMask rejects entries that are not booleans or 0/1", () => {
    expect(() => paddingMask([1, 2 as 1])).toThrow("paddingMask: valid[1] is 2, expected true, false, 0 or 1");
    expect(() => paddingMask("101" as unknown as boolean[])).toThrow(TypeError);
  });
});

describe("applyMask", () => {
  it("applyMask(scores, causalMask(T)) adds the mask, and softmax then gives zero weight to the future", () => {
    const s = applyMask(tensor([1, 2, 3, 4], [2, 2]), causalMask(2));
    expect(Array.from(s.data)).toEqual([1, I, 3, 4]);
    expect(softmax(s).data[1]).toBe(0);
  });

  it("applyMask broadcasts [1, S] and [T, S] masks over leading axes", () => {
    const scores = zeros([2, 3, 2, 4]); // [B, H, T, S]
    const pad = applyMask(scores, paddingMask([1, 1, 0, 1]));
    for (let r = 0; r < 12; r++) expect(Array.from(pad.data.slice(r * 4, r * 4 + 4))).toEqual([0, 0, I, 0]);
    const causal = applyMask(scores, causalMask(2, 4));
    expect(Array.from(causal.data.slice(0, 8))).toEqual([0, 0, 0, I, 0, 0, 0, 0]);
    expect(Array.from(causal.data.slice(40, 48))).toEqual([0, 0, 0, I, 0, 0, 0, 0]);
    const perBatch = applyMask(scores, tensor([0, I, 0, 0, 0, 0, 0, I], [2, 1, 1, 4])); // [B, 1, 1, S]
    expect(Array.from(perBatch.data.slice(0, 4))).toEqual([0, I, 0, 0]);
    expect(Array.from(perBatch.data.slice(24, 28))).toEqual([0, 0, 0, I]);
  });

  it("applyMask(scores, mask, { out: scores }) masks in place; otherwise scores are untouched", () => {
    const scores = tensor([1, 2, 3, 4], [2, 2]);
    applyMask(scores, causalMask(2));
    expect(Array.from(scores.data)).toEqual([1, 2, 3, 4]);
    expect(applyMask(scores, causalMask(2), { out: scores })).toBe(scores);
    expect(Array.from(scores.data)).toEqual([1, I, 3, 4]);
  });

  it("applyMask rejects a mask that does not broadcast", () => {
    expect(() => applyMask(zeros([2, 3]), zeros([2, 4]))).toThrow(ShapeError);
    expect(() => applyMask(zeros([2, 3]), zeros([2, 4]))).toThrow("applyMask: mask has shape [2, 4], expected a shape broadcastable to [2, 3] (the shape of scores)");
    expect(() => applyMask(zeros([2, 3]), zeros([1, 2, 3]))).toThrow(ShapeError);
  });

  it("applyMask matches PyTorch: softmax(applyMask(q·kᵀ/√D, mask)) gives PyTorch's attention weights", () => {
    const c = ref("sdpa_causal_kv");
    const scores = attentionScores(fromRef(c.q), fromRef(c.k));
    // the expectation comes from PyTorch's own weights, not from the mask applied here
    expectClose(softmax(applyMask(scores, fromRef(c.mask))), c.weights, { atol: 2e-6, rtol: 2e-6 });
  });
});
