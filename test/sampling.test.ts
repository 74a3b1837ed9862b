import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { argmax, createRng, minP, sampleToken, softmax, tensor, topK, topP } from "../src/index";
import { expectClose, fromRef } from "./helpers/close";
import { modelRef } from "./helpers/reference";
import { runs, tensorOf } from "./helpers/arbitraries";

const I = -Infinity;

describe("argmax", () => {
  it("argmax picks the largest, ties → lowest index", () => {
    expect(argmax([1, 3, 3, 2])).toBe(1);
    expect(argmax(tensor([-1, -Infinity, -0.5], [3]))).toBe(2);
    expect(() => argmax([])).toThrow("argmax: x is empty, expected at least one value");
    expect(() => argmax([1, NaN])).toThrow(/argmax: x\[1\] is NaN/);
  });
});

describe("topK / topP / minP", () => {
  const c = modelRef("sampling");

  it("topK(logits, k) matches the reference, keeping every entry tied with the k-th largest", () => {
    for (const k of [1, 2, 3, 6]) expectClose(topK(fromRef(c.logits), k), c.topK[String(k)], { atol: 0, rtol: 0 });
    expect(Array.from(topK(tensor([1, 3, 2, 3], [4]), 1).data)).toEqual([I, 3, I, 3]);
  });

  it("topP(logits, p) matches the reference: the token that crosses p is kept", () => {
    for (const p of ["0.1", "0.5", "0.6", "0.9", "0.99"]) expectClose(topP(fromRef(c.logits), Number(p)), c.topP[p], { atol: 0, rtol: 0 });
    // probabilities ≈ [0.090, 0.665, 0.245]: 0.665 < 0.7 so 0.245 is kept as well
    expect(Array.from(topP(tensor([1, 3, 2], [3]), 0.7).data)).toEqual([I, 3, 2]);
    expect(Array.from(topP(tensor([1, 3, 2], [3]), 0.6).data)).toEqual([I, 3, I]);
  });

  it("topP(logits, 1) keeps all; a tiny p keeps at least one token", () => {
    const l = tensor([0, -50, 3], [3]);
    expect(Array.from(topP(l, 1).data)).toEqual([0, -50, 3]);
    expect(Array.from(topP(l, 1e-9).data)).toEqual([I, I, 3]);
  });

  it("minP keeps tokens with probability ≥ minP · the largest", () => {
    expect(Array.from(minP(tensor([0, Math.log(0.5), Math.log(0.01)], [3]), 0.1).data)).toEqual([0, Math.fround(Math.log(0.5)), I]);
    expect(Array.from(minP(tensor([1, 2], [2]), 0).data)).toEqual([1, 2]);
  });

  it("filters work row by row on [..., V] and never drop the maximum; probabilities after filtering sum to 1", () => {
    fc.assert(fc.property(tensorOf([3, 7], 5), fc.integer({ min: 1, max: 8 }), fc.double({ min: 0.01, max: 1, noNaN: true }), (x, k, p) => {
      for (const f of [topK(x, k), topP(x, p), minP(x, p)]) {
        for (let r = 0; r < 3; r++) {
          const row = Array.from(x.data.subarray(r * 7, r * 7 + 7));
          if (f.data[r * 7 + argmax(row)] === I) return false;
        }
        const probs = softmax(f).data;
        for (let r = 0; r < 3; r++) if (Math.abs(probs.subarray(r * 7, r * 7 + 7).reduce((a, b) => a + b, 0) - 1) > 1e-5) return false;
      }
      return true;
    }), runs);
  });

  it("topK (quickselect) and topP (heap) keep exactly what a full sort keeps, ties and −∞ included", () => {
    // the definitions by sorting: entries ≥ the k-th largest; the prefix of the order (value desc,
    // index asc) up to and including the entry whose cumulative probability reaches p
    const sortTopK = (row: number[], k: number) => {
      const kth = [...row].sort((a, b) => b - a)[Math.min(k, row.length) - 1];
      return row.map((v) => (v >= kth ? v : I));
    };
    const sortTopP = (row: number[], p: number) => {
      const probs = softmax(tensor(row, [row.length])).data;
      const order = row.map((_, i) => i).filter((i) => row[i] > I).sort((a, b) => row[b] - row[a] || a - b);
      const out = row.map(() => I);
      let cum = 0;
      for (const i of order) {
        out[i] = row[i];
        cum += probs[i];
        if (cum >= p) break;
      }
      return out;
    };
    const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(-Infinity)); // small integers: many ties
    fc.assert(fc.property(fc.array(value, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 70 }), fc.double({ min: 0.01, max: 0.999, noNaN: true }), (vals, k, p) => {
      if (vals.every((v) => v === I)) vals[0] = 0;
      const x = tensor(vals, [vals.length]);
      expect(Array.from(topK(x, k).data)).toEqual(sortTopK(vals, k));
      expect(Array.from(topP(x, p).data)).toEqual(sortTopP(vals, p));
    }), runs);
  });

  it("reject k < 1 or fractional, p outside (0, 1], minP outside [0, 1]", () => {
    const l = tensor([1, 2], [2]);
    expect(() => topK(l, 0)).toThrow("topK: k must be an integer ≥ 1, got 0");
    expect(() => topK(l, 1.5)).toThrow("topK: k must be an integer ≥ 1, got 1.5");
    expect(() => topP(l, 0)).toThrow("topP: p must be in (0, 1], got 0");
    expect(() => topP(l, 1.1)).toThrow("topP: p must be in (0, 1], got 1.1");
    expect(() => minP(l, -0.1)).toThrow("minP: minP must be in [0, 1], got -0.1");
  });
});

describe("sampleToken", () => {
  it("temperature 0 or topK 1 equals argmax", () => {
    fc.assert(fc.property(tensorOf([9], 5), fc.nat(), (x, seed) => {
      const a = argmax(x);
      return sampleToken(x, { temperature: 0 }) === a && sampleToken(x, { topK: 1, rng: createRng(seed) }) === a;
    }), runs);
  });

  it("draws follow the softmax probabilities (chi-square over 20,000 draws)", () => {
    const logits = [0, 1, 2, -1];
    const p = softmax(tensor(logits, [4])).data;
    const rng = createRng(99), counts = [0, 0, 0, 0], n = 20000;
    for (let i = 0; i < n; i++) counts[sampleToken(logits, { rng })]++;
    const chi2 = counts.reduce((a, c, i) => a + (c - n * p[i]) ** 2 / (n * p[i]), 0);
    expect(chi2).toBeLessThan(16.3); // 3 degrees of freedom, p = 0.001
  });

  it("applies temperature before the filters: a low temperature concentrates the draws", () => {
    const rng = createRng(5);
    let top = 0;
    for (let i = 0; i < 1000; i++) if (sampleToken([1, 2, 1.5], { temperature: 0.1, rng }) === 1) top++;
    expect(top).toBeGreaterThan(980); // p = 0.9933, so 993 ± 2.6 expected; the threshold is 5 standard deviations below
  });

  it("a filtered-out token is never drawn", () => {
    const rng = createRng(6);
    for (let i = 0; i < 500; i++) expect(sampleToken([5, 5, 0, 4.9], { topK: 2, rng })).toBeLessThan(2);
  });

  it("rejects a negative temperature, sampling without rng, bad filters and NaN logits", () => {
    expect(() => sampleToken([1, 2], { temperature: -1 })).toThrow("sampleToken: temperature must be a finite number ≥ 0 (0 = greedy), got -1");
    expect(() => sampleToken([1, 2], { temperature: 1 })).toThrow(/sampleToken: rng is required when temperature > 0/);
    expect(() => sampleToken([1, 2], {})).toThrow(TypeError);
    expect(() => sampleToken([1, 2], { temperature: 0, topK: 0 })).toThrow("sampleToken: topK must be an integer ≥ 1, got 0");
    expect(() => sampleToken([1, 2], { temperature: 0, topP: 2 })).toThrow("sampleToken: topP must be in (0, 1], got 2");
    expect(() => sampleToken([1, 2], { temperature: 0, minP: 1.5 })).toThrow("sampleToken: minP must be in [0, 1], got 1.5");
    expect(() => sampleToken([1, NaN], { rng: createRng(1) })).toThrow(/sampleToken: logits\[1\] is NaN/);
  });
});

describe("sampleToken never falls back to a default id", () => {
  const rng = createRng(4);
  it("a tiny temperature is the greedy limit, not an overflow (the scaled logits stay finite)", () => {
    expect(sampleToken([0, 5, 1], { temperature: 1e-39, rng })).toBe(1);
    expect(sampleToken([-3, -2, -2.5], { temperature: 1e-30, topK: 2, rng })).toBe(1);
  });
  it("+Infinity at a temperature, NaN, or every logit -Infinity is an error naming the logits", () => {
    expect(() => sampleToken([0, Infinity, 0], { temperature: 1, rng })).toThrow("sampleToken: logits[1] is Infinity, expected finite logits or -Infinity");
    expect(() => sampleToken([-Infinity, -Infinity], { temperature: 1, rng })).toThrow("sampleToken: every one of the 2 logits is -Infinity, so no token can be sampled");
    expect(() => sampleToken([-Infinity, -Infinity], { temperature: 0 })).toThrow("sampleToken: every one of the 2 logits is -Infinity");
    expect(() => sampleToken([0, NaN], { temperature: 0 })).toThrow("sampleToken: logits[1] is NaN");
    expect(sampleToken([0, Infinity, 0], { temperature: 0 })).toBe(1); // greedy: the largest is well defined
  });
});
