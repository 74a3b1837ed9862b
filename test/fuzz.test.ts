// A fuzz suite over the public ops (issue 12, item 16): random shapes — sometimes ones that do not
// fit — and values with NaN, ±∞, −0, denormals and float32's extremes. Every call either throws one
// of the documented error classes, with the function's name first, or returns the documented
// shape; it never changes its inputs; and where the shapes fit it must not throw. Separately, the
// WebAssembly and JavaScript paths agree on values (special ones included) wherever the result is
// representable: inputs without the extremes whose float32 sums could overflow on one path only.
import { afterEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  ShapeError, applyMask, applyRope, attentionBackward, causalMask, createRng, crossEntropy, crossEntropyBackward, embedTokens,
  embeddingBackward, gelu, geluBackward, layerNorm, layerNormBackward, linear, linearBackward, logSoftmax, logSoftmaxBackward,
  matmul, mergeHeads, minP, rmsNorm, rmsNormBackward, sampleToken, scaledDotProductAttention, softmax, softmaxBackward,
  splitHeads, topK, topP, useWasm, type Tensor,
} from "../src/index";

const wasmWanted = process.env.TP_KERNELS !== "js";
afterEach(() => useWasm(wasmWanted));

const DENORMALS = [1e-40, -1e-42, 1.4e-45, -1.4e-45];
const EXTREMES = [3.4e38, -3.4e38, 1e30, -1e30];

/** One float32 value: mostly ordinary, sometimes special (NaN, ±∞, −0, denormal), optionally extreme. */
function value(extremes: boolean): fc.Arbitrary<number> {
  const specials = [NaN, Infinity, -Infinity, -0, 0, ...DENORMALS, ...(extremes ? EXTREMES : [])];
  return fc.oneof(
    { arbitrary: fc.float({ min: -8, max: 8, noNaN: true, noDefaultInfinity: true }), weight: 12 },
    { arbitrary: fc.constantFrom(...specials), weight: 1 },
  );
}

/** A tensor of this shape; rarely special values when `clean` (so most calls reach the maths). */
function tensorArb(shape: number[], extremes = true): fc.Arbitrary<Tensor> {
  const n = shape.reduce((a, b) => a * b, 1);
  return fc.array(value(extremes), { minLength: n, maxLength: n }).map((v) => ({ data: Float32Array.from(v), shape }));
}

const dim = fc.integer({ min: 1, max: 9 });
/** A dimension equal to `d` most of the time, else a different one (a shape that does not fit). */
const maybe = (d: number) => fc.oneof({ arbitrary: fc.constant(d), weight: 4 }, { arbitrary: fc.integer({ min: 1, max: 9 }), weight: 1 });

interface Case { args: unknown[]; fits: boolean }
interface Spec {
  name: string;
  fn: (...args: never[]) => unknown;
  cases: fc.Arbitrary<Case>;
  /** The shape(s) the result must have when the shapes fit. */
  shapes: (args: unknown[]) => unknown;
}
const T = (a: unknown) => a as Tensor;
const shapeOf = (r: unknown): unknown => {
  if (r !== null && typeof r === "object" && "shape" in r && "data" in r) return (r as Tensor).shape;
  if (r !== null && typeof r === "object") return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, shapeOf(v)]));
  return typeof r;
};

const specs: Spec[] = [
  {
    name: "softmax", fn: softmax as never, shapes: (a) => T(a[0]).shape,
    cases: fc.tuple(dim, dim, fc.constantFrom(1, 0.5, 3, 1e-39)).chain(([r, n, temperature]) => tensorArb([r, n]).map((x) => ({ args: [x, { temperature }], fits: true }))),
  },
  { name: "logSoftmax", fn: logSoftmax as never, shapes: (a) => T(a[0]).shape, cases: fc.tuple(dim, dim).chain(([r, n]) => tensorArb([r, n]).map((x) => ({ args: [x], fits: true }))) },
  {
    name: "gelu", fn: gelu as never, shapes: (a) => T(a[0]).shape,
    cases: fc.tuple(dim, dim, fc.constantFrom("tanh", "none")).chain(([r, n, approximate]) => tensorArb([r, n]).map((x) => ({ args: [x, { approximate }], fits: true }))),
  },
  {
    name: "layerNorm", fn: layerNorm as never, shapes: (a) => T(a[0]).shape,
    cases: fc.tuple(dim, dim).chain(([r, c]) => fc.tuple(maybe(c), maybe(c)).chain(([cw, cb]) =>
      fc.tuple(tensorArb([r, c]), tensorArb([cw]), tensorArb([cb])).map(([x, w, b]) => ({ args: [x, w, b], fits: cw === c && cb === c })))),
  },
  {
    name: "rmsNorm", fn: rmsNorm as never, shapes: (a) => T(a[0]).shape,
    cases: fc.tuple(dim, dim).chain(([r, c]) => maybe(c).chain((cw) => fc.tuple(tensorArb([r, c]), tensorArb([cw])).map(([x, w]) => ({ args: [x, w], fits: cw === c })))),
  },
  {
    name: "linear", fn: linear as never, shapes: (a) => [T(a[0]).shape[0], T(a[1]).shape[0]],
    cases: fc.tuple(fc.integer({ min: 1, max: 20 }), dim, dim).chain(([m, k, n]) => fc.tuple(maybe(k), maybe(n)).chain(([kw, nb]) =>
      fc.tuple(tensorArb([m, k]), tensorArb([n, kw]), tensorArb([nb])).map(([x, w, b]) => ({ args: [x, w, b], fits: kw === k && nb === n })))),
  },
  {
    name: "matmul", fn: matmul as never, shapes: (a) => [T(a[0]).shape[0], T(a[1]).shape[1]],
    cases: fc.tuple(dim, dim, dim).chain(([m, k, n]) => maybe(k).chain((kb) => fc.tuple(tensorArb([m, k]), tensorArb([kb, n])).map(([a, b]) => ({ args: [a, b], fits: kb === k })))),
  },
  {
    name: "scaledDotProductAttention", fn: scaledDotProductAttention as never,
    shapes: (a) => ({ output: [...T(a[0]).shape.slice(0, -1), T(a[2]).shape[2]] }),
    cases: fc.tuple(fc.integer({ min: 1, max: 3 }), dim, dim, fc.constantFrom(4, 8, 3), fc.constantFrom(4, 5), fc.boolean()).chain(([h, t, s, d, dv, causal]) =>
      maybe(d).chain((dk) => fc.tuple(tensorArb([h, t, d]), tensorArb([h, s, dk]), tensorArb([h, s, dv])).map(([q, k, v]) => ({ args: [q, k, v, { causal }], fits: dk === d })))),
  },
  {
    name: "applyMask", fn: applyMask as never, shapes: (a) => T(a[0]).shape,
    cases: fc.tuple(dim, dim).chain(([t, s]) => maybe(s).chain((sm) => tensorArb([t, s]).map((x) => ({ args: [x, causalMask(t, sm)], fits: sm === s || sm === 1 })))), // a mask broadcasts
  },
  {
    name: "applyRope", fn: applyRope as never, shapes: (a) => T(a[0]).shape,
    cases: fc.tuple(dim, fc.constantFrom(2, 4, 8, 3), fc.constantFrom("half", "interleaved")).chain(([t, d, style]) => tensorArb([2, t, d]).map((x) => ({ args: [x, { style }], fits: d % 2 === 0 }))),
  },
  {
    name: "splitHeads", fn: splitHeads as never, shapes: (a) => [a[1] as number, T(a[0]).shape[0], T(a[0]).shape[1] / (a[1] as number)],
    cases: fc.tuple(dim, fc.constantFrom(4, 6, 8), fc.constantFrom(1, 2, 3)).chain(([t, c, h]) => tensorArb([t, c]).map((x) => ({ args: [x, h], fits: c % h === 0 }))),
  },
  { name: "mergeHeads", fn: mergeHeads as never, shapes: (a) => [T(a[0]).shape[1], T(a[0]).shape[0] * T(a[0]).shape[2]], cases: fc.tuple(dim, dim, dim).chain(([h, t, d]) => tensorArb([h, t, d]).map((x) => ({ args: [x], fits: true }))) },
  {
    name: "topK", fn: topK as never, shapes: (a) => T(a[0]).shape,
    cases: fc.tuple(dim, fc.integer({ min: 0, max: 10 })).chain(([v, k]) => tensorArb([v]).map((x) => ({ args: [x, k], fits: k >= 1 }))),
  },
  {
    name: "topP", fn: topP as never, shapes: (a) => T(a[0]).shape,
    cases: fc.tuple(dim, fc.constantFrom(0.1, 0.9, 1, 0, 1.5)).chain(([v, p]) => tensorArb([v]).map((x) => ({ args: [x, p], fits: p > 0 && p <= 1 }))),
  },
  {
    name: "minP", fn: minP as never, shapes: (a) => T(a[0]).shape,
    cases: fc.tuple(dim, fc.constantFrom(0, 0.1, 1, -1, 2)).chain(([v, p]) => tensorArb([v]).map((x) => ({ args: [x, p], fits: p >= 0 && p <= 1 }))),
  },
  {
    name: "embedTokens", fn: embedTokens as never, shapes: (a) => [(a[0] as number[]).length, T(a[1]).shape[1]],
    cases: fc.tuple(dim, dim).chain(([v, c]) => fc.tuple(fc.array(fc.integer({ min: -1, max: v }), { minLength: 1, maxLength: 6 }), tensorArb([v, c]))
      .map(([ids, wte]) => ({ args: [ids, wte], fits: ids.every((i) => i >= 0 && i < v) }))),
  },
  {
    name: "crossEntropyBackward", fn: crossEntropyBackward as never, shapes: (a) => T(a[0]).shape,
    cases: fc.tuple(dim, dim).chain(([n, v]) => fc.tuple(tensorArb([n, v]), fc.array(fc.integer({ min: -2, max: v }), { minLength: n, maxLength: n }))
      .map(([logits, targets]) => ({ args: [logits, targets], fits: targets.every((t) => t >= -1 && t < v) }))),
  },
  {
    name: "softmaxBackward", fn: softmaxBackward as never, shapes: (a) => T(a[1]).shape,
    cases: fc.tuple(dim, dim).chain(([r, n]) => maybe(n).chain((nd) => fc.tuple(tensorArb([r, nd]), tensorArb([r, n])).map(([dy, y]) => ({ args: [dy, y], fits: nd === n })))),
  },
  {
    name: "logSoftmaxBackward", fn: logSoftmaxBackward as never, shapes: (a) => T(a[1]).shape,
    cases: fc.tuple(dim, dim).chain(([r, n]) => fc.tuple(tensorArb([r, n]), tensorArb([r, n])).map(([dy, y]) => ({ args: [dy, y], fits: true }))),
  },
  {
    name: "geluBackward", fn: geluBackward as never, shapes: (a) => T(a[1]).shape,
    cases: fc.tuple(dim, dim, fc.constantFrom("tanh", "none")).chain(([r, n, approximate]) => maybe(n).chain((nd) =>
      fc.tuple(tensorArb([r, nd]), tensorArb([r, n])).map(([dy, x]) => ({ args: [dy, x, { approximate }], fits: nd === n })))),
  },
  {
    name: "linearBackward", fn: linearBackward as never,
    shapes: (a) => ({ dx: T(a[1]).shape, dweight: T(a[2]).shape, dbias: [T(a[2]).shape[0]] }),
    cases: fc.tuple(fc.integer({ min: 1, max: 20 }), dim, dim).chain(([m, k, n]) => maybe(k).chain((kw) =>
      fc.tuple(tensorArb([m, n]), tensorArb([m, k]), tensorArb([n, kw])).map(([dy, x, w]) => ({ args: [dy, x, w], fits: kw === k })))),
  },
  {
    name: "layerNormBackward", fn: layerNormBackward as never,
    shapes: (a) => ({ dx: T(a[1]).shape, dweight: T(a[2]).shape, dbias: T(a[2]).shape }),
    cases: fc.tuple(dim, dim).chain(([r, c]) => maybe(c).chain((cw) =>
      fc.tuple(tensorArb([r, c]), tensorArb([r, c]), tensorArb([cw])).map(([dy, x, w]) => ({ args: [dy, x, w], fits: cw === c })))),
  },
  {
    name: "rmsNormBackward", fn: rmsNormBackward as never, shapes: (a) => ({ dx: T(a[1]).shape, dweight: T(a[2]).shape }),
    cases: fc.tuple(dim, dim).chain(([r, c]) => fc.tuple(tensorArb([r, c]), tensorArb([r, c]), tensorArb([c])).map(([dy, x, w]) => ({ args: [dy, x, w], fits: true }))),
  },
  {
    name: "attentionBackward", fn: attentionBackward as never,
    shapes: (a) => ({ dq: T(a[1]).shape, dk: T(a[2]).shape, dv: T(a[3]).shape }),
    cases: fc.tuple(fc.integer({ min: 1, max: 2 }), dim, dim, fc.constantFrom(4, 3), fc.boolean()).chain(([h, t, s, d, causal]) => maybe(d).chain((dk) =>
      fc.tuple(tensorArb([h, t, d]), tensorArb([h, t, d]), tensorArb([h, s, dk]), tensorArb([h, s, d])).map(([dy, q, k, v]) => ({ args: [dy, q, k, v, { causal }], fits: dk === d })))),
  },
  {
    name: "embeddingBackward", fn: embeddingBackward as never, shapes: (a) => [a[2] as number, T(a[0]).shape[1]],
    cases: fc.tuple(fc.integer({ min: 1, max: 5 }), dim, dim).chain(([t, c, rows]) => fc.tuple(tensorArb([t, c]), fc.array(fc.integer({ min: -1, max: rows }), { minLength: t, maxLength: t }))
      .map(([dy, ids]) => ({ args: [dy, ids, rows], fits: ids.every((i) => i >= 0 && i < rows) }))),
  },
];

/** Every Float32Array reachable from the arguments, with a copy of its bits. */
function snapshot(args: unknown[]): [Float32Array, Uint32Array][] {
  const out: [Float32Array, Uint32Array][] = [];
  const walk = (v: unknown) => {
    if (v instanceof Float32Array) out.push([v, new Uint32Array(v.slice().buffer)]);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(args);
  return out;
}

describe("fuzz: every op throws a documented error or returns the documented shape, and never mutates its inputs", () => {
  for (const spec of specs) {
    it(spec.name, () => {
      fc.assert(fc.property(spec.cases, ({ args, fits }) => {
        const before = snapshot(args);
        let result: unknown, error: unknown;
        try { result = spec.fn(...(args as never[])); } catch (e) { error = e; }
        for (const [array, bits] of before) expect(new Uint32Array(array.buffer, array.byteOffset, array.length)).toEqual(bits);
        if (error !== undefined) {
          expect(fits, `${spec.name} threw on arguments that fit: ${(error as Error).message}`).toBe(false);
          expect(error instanceof ShapeError || error instanceof RangeError || error instanceof TypeError).toBe(true);
          expect((error as Error).message.startsWith(`${spec.name}: `)).toBe(true);
        } else {
          expect(fits, `${spec.name} accepted arguments that do not fit`).toBe(true);
          expect(shapeOf(result)).toEqual(spec.shapes(args));
        }
      }), { numRuns: 150, seed: 20261201 });
    });
  }

  it("sampleToken returns an id in range or throws a RangeError naming the logits; crossEntropy returns a number", () => {
    fc.assert(fc.property(dim.chain((v) => tensorArb([v])), fc.constantFrom(0, 0.7, 1, 1e-39), fc.integer({ min: 0, max: 4 }), (logits, temperature, k) => {
      const before = snapshot([logits]);
      let id: number | undefined;
      try { id = sampleToken(logits, { temperature, topK: k === 0 ? undefined : k, rng: createRng(1) }); } catch (e) {
        expect(e).toBeInstanceOf(RangeError);
        expect((e as Error).message).toMatch(/^sampleToken: logits/);
      }
      if (id !== undefined) {
        expect(Number.isInteger(id) && id >= 0 && id < logits.data.length).toBe(true);
        expect(logits.data[id]).not.toBe(-Infinity);
      }
      expect(new Uint32Array(logits.data.buffer)).toEqual(before[0][1]);
      const loss = crossEntropy({ data: logits.data, shape: [1, logits.data.length] }, [0]);
      expect(typeof loss).toBe("number");
    }), { numRuns: 300, seed: 20261201 });
  });
});

/** Both paths' results agree: equal non-finite values, and finite ones within float32 summation error. */
function agree(a: Float32Array, b: Float32Array, scale: number): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (Number.isNaN(x) || Number.isNaN(y)) { if (!(Number.isNaN(x) && Number.isNaN(y))) return false; continue; }
    if (!Number.isFinite(x) || !Number.isFinite(y)) { if (x !== y) return false; continue; }
    if (Math.abs(x - y) > 1e-5 * (scale + Math.abs(x))) return false;
  }
  return true;
}

describe("fuzz: the WebAssembly and JavaScript paths agree wherever the result is representable", () => {
  const both = (run: () => Float32Array): [Float32Array, Float32Array] => {
    useWasm(true);
    const w = run();
    useWasm(false);
    const j = run();
    useWasm(wasmWanted);
    return [w, j];
  };
  /** Σ|a·b| over the summed axis bounds the difference of two summation orders. */
  const mass = (x: Tensor) => x.data.reduce((s, v) => (Number.isFinite(v) ? s + Math.abs(v) : s), 0);

  it("softmax, gelu (both forms), linear, causal attention and their backward passes, with NaN, ±∞, −0 and denormals among the values", () => {
    const noExtremes = (shape: number[]) => tensorArb(shape, false);
    fc.assert(fc.property(
      fc.tuple(fc.integer({ min: 1, max: 20 }), fc.constantFrom(4, 8, 12), fc.constantFrom(4, 8)).chain(([m, k, n]) =>
        fc.tuple(noExtremes([m, k]), noExtremes([n, k]), noExtremes([2, Math.min(m, 9), k]), noExtremes([2, Math.min(m, 9), k]), noExtremes([2, Math.min(m, 9), n]))),
      ([x, w, q, k, v]) => {
        const scale = mass(x) * mass(w) / Math.max(1, x.data.length) + 1;
        const pairs: [string, [Float32Array, Float32Array], number][] = [
          ["softmax", both(() => softmax(x).data), 1],
          ["gelu tanh", both(() => gelu(x).data), 1],
          ["gelu erf", both(() => gelu(x, { approximate: "none" }).data), 1],
          ["linear", both(() => linear(x, w).data), scale],
          ["attention", both(() => scaledDotProductAttention(q, k, v, { causal: true }).output.data), mass(v) + 1],
          ["linearBackward dx", both(() => linearBackward(linear(x, w), x, w).dx.data), scale * scale],
          ["linearBackward dweight", both(() => linearBackward(linear(x, w), x, w).dweight.data), scale * scale],
          ["geluBackward", both(() => geluBackward(x, x).data), mass(x) + 1],
          ["attentionBackward dq", both(() => attentionBackward(q, q, k, q, { causal: true }).dq.data), (mass(q) + 1) * (mass(k) + 1)],
          ["attentionBackward dk", both(() => attentionBackward(q, q, k, q, { causal: true }).dk.data), (mass(q) + 1) * (mass(k) + 1)],
          ["attentionBackward dv", both(() => attentionBackward(q, q, k, q, { causal: true }).dv.data), (mass(q) + 1) * (mass(k) + 1)],
        ];
        for (const [name, [a, b], s] of pairs) expect(agree(a, b, s), `${name}: ${Array.from(a)} vs ${Array.from(b)}`).toBe(true);
      }), { numRuns: 150, seed: 20261201 });
  });
});
