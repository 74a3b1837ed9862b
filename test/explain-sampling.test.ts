// explainSampling (issue 11) agrees with sampleToken: the kept probabilities sum to 1, equal a
// definition of the filters written out here by full sorting, and match the frequencies of
// sampleToken's draws with a seeded rng — for every filter combination, with ties.
import { describe, expect, it } from "vitest";
import { createRng, explainSampling, sampleToken } from "../src/index";

/** The filters by definition: scale, sort (ties → lower id), top-k with ties, top-p keeping the crossing token, min-p, softmax. */
function definition(logits: number[], o: { temperature: number; topK?: number; topP?: number; minP?: number }): number[] {
  const n = logits.length, max = Math.max(...logits);
  let x = logits.map((l) => Math.fround((l - max) / o.temperature));
  const order = [...x.keys()].sort((a, b) => (x[b] - x[a]) || (a - b));
  if (o.topK !== undefined && o.topK < n) { const kth = x[order[o.topK - 1]]; x = x.map((v) => (v >= kth ? v : -Infinity)); }
  const softmax = (v: number[]) => { const m = Math.max(...v); const e = v.map((a) => (a === -Infinity ? 0 : Math.exp(a - m))); const s = e.reduce((a, b) => a + b, 0); return e.map((a) => a / s); };
  if (o.topP !== undefined && o.topP < 1) {
    const p = softmax(x);
    let cum = 0, crossed = false;
    const keep = new Set<number>();
    for (const i of order) { if (crossed || x[i] === -Infinity) break; keep.add(i); cum += p[i]; if (cum >= o.topP) crossed = true; }
    x = x.map((v, i) => (keep.has(i) ? v : -Infinity));
  }
  if (o.minP !== undefined) { const m = Math.max(...x); x = x.map((v) => (v - m >= Math.log(o.minP!) ? v : -Infinity)); }
  return softmax(x);
}

const LOGITS = [2, 1.5, 1.5, 0.3, 0.3, 0.3, -1, -4]; // ties at the top-k and top-p boundaries
const COMBOS = [
  { temperature: 1 }, { temperature: 0.7, topK: 2 }, { temperature: 1.3, topK: 3 }, { temperature: 1, topP: 0.6 },
  { temperature: 0.9, topP: 0.95, topK: 5 }, { temperature: 1, minP: 0.2 }, { temperature: 2, topK: 6, topP: 0.8, minP: 0.05 },
];

describe("explainSampling", () => {
  for (const o of COMBOS) {
    it(`equals the filters' definition and sampleToken's draws: ${JSON.stringify(o)}`, () => {
      const e = explainSampling(LOGITS, o);
      const p = new Array(LOGITS.length).fill(0);
      for (const c of e.candidates) p[c.id] = c.probability;
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      definition(LOGITS, o).forEach((q, i) => expect(Math.abs(p[i] - q), `id ${i}`).toBeLessThan(2e-7));
      // 40,000 draws: each frequency within 5 standard errors of its probability, and never a cut token
      const rng = createRng(42), counts = new Array(LOGITS.length).fill(0), N = 40_000;
      for (let i = 0; i < N; i++) counts[sampleToken(LOGITS, { ...o, rng })]++;
      counts.forEach((c, i) => {
        if (p[i] === 0) expect(c, `id ${i} was cut`).toBe(0);
        else expect(Math.abs(c / N - p[i])).toBeLessThan(5 * Math.sqrt((p[i] * (1 - p[i])) / N) + 1e-9);
      });
      // the bookkeeping: ranks by decreasing logit (ties → lower id), cutBy only where probability is 0
      expect(e.candidates.map((c) => c.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].filter((i) => e.candidates.some((c) => c.id === i)).sort((a, b) => (LOGITS[b] - LOGITS[a]) || (a - b)));
      e.candidates.forEach((c, r) => { expect(c.rank).toBe(r); expect(c.kept).toBe(c.probability > 0); expect(c.cutBy !== undefined).toBe(c.probability === 0); });
      expect(e.kept).toBe(e.candidates.filter((c) => c.kept).length);
    });
  }

  it("the cumulative mass top-p looks at, and which filter cut each token first", () => {
    const e = explainSampling([3, 2, 1, 0], { temperature: 1, topK: 3, topP: 0.7 });
    const [a, b, c, d] = e.candidates;
    expect(a.cumulative).toBeCloseTo(Math.exp(3) / (Math.exp(3) + Math.exp(2) + Math.exp(1)), 6);
    expect(b.cumulative).toBeCloseTo((Math.exp(3) + Math.exp(2)) / (Math.exp(3) + Math.exp(2) + Math.exp(1)), 6);
    // a's mass (0.665) is below 0.7, b's crosses it and is kept, c is past the nucleus, d was cut by top-k first
    expect([a.cutBy, b.cutBy, c.cutBy, d.cutBy]).toEqual([undefined, undefined, "topP", "topK"]);
    expect(d.cumulative).toBeUndefined();
    expect(a.scaled).toBe(3);
  });

  it("temperature 0 is greedy (lowest id on ties); the input is not changed; bad options as sampleToken", () => {
    const logits = new Float32Array([1, 5, 5, -Infinity]);
    const e = explainSampling(logits, { temperature: 0 });
    expect(e.candidates.map((c) => [c.id, c.probability, c.cutBy])).toEqual([[1, 1, undefined], [2, 0, "temperature"], [0, 0, "temperature"]]);
    expect(Array.from(logits)).toEqual([1, 5, 5, -Infinity]);
    expect(() => explainSampling([1, NaN])).toThrow("explainSampling: logits[1] is NaN");
    expect(() => explainSampling([1, 2], { topP: 0 })).toThrow("explainSampling: topP must be in (0, 1], got 0");
    expect(() => explainSampling([1, 2], { rng: createRng(1) } as never)).toThrow('explainSampling: unknown option "rng"');
  });
});

describe("sampling options are worded for what was given", () => {
  it("explainSampling does not offer rng among its options; sampleToken names an rng of the wrong kind", () => {
    expect(() => explainSampling([1, 2], { temprature: 1 } as never)).toThrow('explainSampling: unknown option "temprature" (did you mean "temperature"?), expected one of "temperature", "topK", "topP", "minP"');
    expect(() => explainSampling([1, 2], { temprature: 1 } as never)).not.toThrow(/"rng"/);
    expect(() => sampleToken([1, 2], { temperature: 1, rng: Math.random as never })).toThrow("sampleToken: rng must be an Rng from createRng(seed) (with uniform()), got a function (Math.random is not seeded");
    expect(() => sampleToken([1, 2], { temperature: 1 })).toThrow("sampleToken: rng is required when temperature > 0 (got temperature 1 and no rng)");
  });
});
