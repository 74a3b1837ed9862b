import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ShapeError, createRng, embedPositions, embedTokens, inputEmbedding, randn, tensor, zeros } from "../src/index";
import { expectClose, fromRef } from "./helpers/close";
import { ref } from "./helpers/reference";
import { runs } from "./helpers/arbitraries";

describe("embedTokens / embedPositions / inputEmbedding", () => {
  const wte = tensor([0, 0, 1, 1, 2, 2], [3, 2]);

  it("embedTokens(ids, wte) gathers rows (hand-checked)", () => {
    expect(Array.from(embedTokens([2, 0, 2], wte).data)).toEqual([2, 2, 0, 0, 2, 2]);
    expect(embedTokens(Int32Array.from([1]), wte).shape).toEqual([1, 2]);
    expect(embedTokens([], wte).shape).toEqual([0, 2]);
  });

  it("embedTokens, embedPositions and inputEmbedding match PyTorch (exact gathers; the sum rounds once)", () => {
    const c = ref("embedding");
    expectClose(embedTokens(c.ids, fromRef(c.wte)), fromRef(c.tokens), { atol: 0, rtol: 0 });
    expectClose(embedPositions(c.ids.length, fromRef(c.wpe), { offset: c.offset }), fromRef(c.positions), { atol: 0, rtol: 0 });
    expectClose(inputEmbedding(c.ids, fromRef(c.wte), fromRef(c.wpe), { offset: c.offset }), c.sum, { atol: 0, rtol: 6e-8 });
  });

  it("inputEmbedding equals the sum of its two gathers", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 8 }), fc.nat(), (V, C, seed) => {
      const rng = createRng(seed);
      const maxT = 6, T = 1 + Math.floor(rng.uniform() * 4), offset = Math.floor(rng.uniform() * (maxT - T + 1));
      const ids = Array.from({ length: T }, () => Math.floor(rng.uniform() * V));
      const te = randn([V, C], rng), pe = randn([maxT, C], rng);
      const sum = inputEmbedding(ids, te, pe, { offset }).data;
      const a = embedTokens(ids, te).data, b = embedPositions(T, pe, { offset }).data;
      return sum.every((v, i) => v === Math.fround(a[i] + b[i]));
    }), runs);
  });

  it("rejects negative, fractional, NaN and out-of-range ids, naming the id, its position and V", () => {
    expect(() => embedTokens([0, 3], wte)).toThrow("embedTokens: ids[1] is 3, expected an integer id in [0, 3) (vocab size 3)");
    expect(() => embedTokens([-1], wte)).toThrow("embedTokens: ids[0] is -1, expected an integer id in [0, 3) (vocab size 3)");
    expect(() => embedTokens([0.5], wte)).toThrow(RangeError);
    expect(() => inputEmbedding([1, NaN], wte, zeros([4, 2]))).toThrow("inputEmbedding: ids[1] is NaN, expected an integer id in [0, 3) (vocab size 3)");
    expect(() => embedTokens("abc" as unknown as number[], wte)).toThrow(TypeError);
  });

  it("rejects T longer than wpe, and tables whose C differ", () => {
    expect(() => embedPositions(5, zeros([4, 2]))).toThrow("embedPositions: positions 0…4 are needed (T = 5, offset = 0), but wpe has shape [4, 2], expected at least 5 rows (the model's block size is 4)");
    expect(() => inputEmbedding([0, 1], wte, zeros([4, 2]), { offset: 3 })).toThrow(/inputEmbedding: positions 3…4 are needed/);
    expect(() => inputEmbedding([0], wte, zeros([4, 3]))).toThrow(ShapeError);
    expect(() => inputEmbedding([0], wte, zeros([4, 3]))).toThrow("inputEmbedding: wpe has shape [4, 3], expected [maxT, 2] (the channels of wte, shape [3, 2])");
    expect(() => embedTokens([0], zeros([3]))).toThrow("embedTokens: wte has shape [3] (rank 1), expected rank 2 [V, C]");
  });
});
