// The training kernels over operands that live in the kernels' memory (a training step's store,
// gradients and moments): read and written where they are, with the bits they give through scratch.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { adamw, clipGradNorm, createRng, gptLossAndGrads, initGpt, initLlama, llamaLossAndGrads, randn, residentParams } from "../src/index";
import { isResidentParams } from "../src/resident";
import { loadDefaultBackend, wasmBackend } from "../src/backend/index";
import * as ops from "../src/backend/ops";
import { attentionBackwardKernel } from "../src/kernels/attention-backward";
import { mergeHeadsBackward, mergeHeadsForward, splitHeadsForward, splitQkvBackward, splitQkvForward } from "../src/kernels/heads";
import { residualAdd } from "../src/kernels/residual";
import { layerNormBackwardKernel, layerNormForward } from "../src/kernels/norm";
import { crossEntropyBackwardKernel, crossEntropyKernel } from "../src/kernels/loss";

const be = loadDefaultBackend()!; // the module itself (TP_KERNELS=js switches the ops off, not it)
const bits = (a: Float32Array) => Array.from(new Uint32Array(a.slice().buffer));
/** bits, with every NaN as one value (which NaN an invalid operation gives is the CPU's, not a result). */
const bitsOrNaN = (a: Float32Array) => bits(a).map((b, i) => (Number.isNaN(a[i]) ? "NaN" : b));
/** A copy of a in the kernels' memory (the caller releases the regions). */
function inMemory(a: Float32Array, regions: number[]): Float32Array {
  const at = be.mem.alloc(a.byteLength);
  regions.push(at);
  const view = be.mem.view(at, a.length);
  view.set(a);
  return view;
}

/** Runs fn over JavaScript copies and over copies in memory; returns both runs' arrays and the bytes the second copied. */
function bothWays(arrays: Float32Array[], fn: (a: Float32Array[]) => void): { js: Float32Array[]; held: Float32Array[]; copied: number } {
  const js = arrays.map((a) => a.slice());
  fn(js);
  const regions: number[] = [];
  try {
    const held = arrays.map((a) => inMemory(a, regions));
    const before = be.mem.copiedBytes;
    fn(held);
    return { js, held: held.map((a) => a.slice()), copied: be.mem.copiedBytes - before };
  } finally {
    for (const at of regions) be.mem.release(at);
  }
}

const dims = fc.record({ M: fc.integer({ min: 1, max: 40 }), K: fc.integer({ min: 1, max: 40 }), N: fc.integer({ min: 1, max: 40 }), seed: fc.nat() });
const aligned = fc.record({ M: fc.integer({ min: 1, max: 10 }).map((m) => 4 * m), K: fc.integer({ min: 1, max: 5 }).map((k) => 8 * k), N: fc.integer({ min: 1, max: 6 }).map((n) => 8 * n), seed: fc.nat() });

describe("the training kernels over operands in the kernels' memory", () => {
  it("linear backward adds the same bits into dx, dW and db as through scratch, and copies nothing when every row is whole", () => {
    fc.assert(fc.property(fc.oneof(dims, aligned), ({ M, K, N, seed }) => {
      const rng = createRng(seed);
      const [dx, dw, db, dy, x, w] = [[M, K], [N, K], [N], [M, N], [M, K], [N, K]].map((s) => randn(s, rng).data);
      const r = bothWays([dx, dw, db, dy, x, w], ([a, b, c, d, e, f]) => { expect(ops.wasmLinearBackward(be, a, b, c, d, e, f, M, K, N)).toBe(true); });
      expect(r.held.slice(0, 3).map(bits)).toEqual(r.js.slice(0, 3).map(bits));
      if (M % 4 === 0 && K % 8 === 0 && N % 4 === 0) expect(r.copied).toBe(0);
    }), { numRuns: 60, seed: 20261203 });
  });

  it("the packed forward product writes the bits it writes through scratch (x and out in place), with and without a bias", () => {
    fc.assert(fc.property(fc.oneof(dims, aligned), fc.boolean(), ({ M, K, N, seed }, bias) => {
      const rows = 16 + M, rng = createRng(seed); // from 16 rows: the packed kernel
      const [out, x, w, b] = [[rows, N], [rows, K], [N, K], [N]].map((s) => randn(s, rng).data);
      const r = bothWays([out, x, w, b], ([o, xx, ww, bb]) => { expect(ops.wasmLinear(be, o, xx, ww, bias ? bb : null, rows, K, N)).toBe(true); });
      expect(bits(r.held[0])).toEqual(bits(r.js[0]));
    }), { numRuns: 40, seed: 20261203 });
  });

  it("attention backward, GELU backward and AdamW give the same bits in place as through scratch, copying nothing", () => {
    const rng = createRng(3), BH = 3, T = 7, D = 8, n = 4 * 1000;
    const qkv = [0, 1, 2, 3].map(() => randn([BH, T, D], rng).data), grads = [0, 1, 2].map(() => randn([BH, T, D], rng).data);
    const att = bothWays([...grads, ...qkv], ([dq, dk, dv, dout, q, k, v]) => {
      expect(ops.wasmAttentionBackward(be, dq, dk, dv, dout, q, k, v, { BH, T, S: T, D, Dv: D, scale: 0.35, causal: true, kvRows: T, group: 1, window: 0, slopes: null })).toBe(true);
    });
    expect(att.held.slice(0, 3).map(bits)).toEqual(att.js.slice(0, 3).map(bits));
    expect(att.copied).toBe(0);
    const [dx, dy, x, p, g, m, v2] = [0, 1, 2, 3, 4, 5, 6].map(() => randn([n], rng).data);
    const gelu = bothWays([dx, dy, x], ([a, b, c]) => { expect(ops.wasmGeluTanhBackward(be, a, b, c, n)).toBe(true); });
    expect(bits(gelu.held[0])).toEqual(bits(gelu.js[0]));
    expect(gelu.copied).toBe(0);
    const vv = v2.map(Math.abs);
    const adam = bothWays([p, g, m, vv], ([a, b, c, d]) => { expect(ops.wasmAdamw(be, a, b, c, d, 0.01, 0.9, 0.95, 1e-8, 1e-3, 0.3)).toBe(n); });
    expect(adam.held.map(bits)).toEqual(adam.js.map(bits));
    expect(adam.copied).toBe(0);
  });

  it("finds a value that is ±∞ or NaN anywhere in an array in memory, the last few included, and nothing in finite extremes", () => {
    const regions: number[] = [];
    try {
      for (const n of [1, 3, 4, 7, 64, 1001]) {
        const a = inMemory(Float32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 3.4028234663852886e38 : i % 3 === 1 ? -1.4e-45 : -0)), regions);
        expect(ops.wasmAllFinite(be, a)).toBe(true);
        for (const bad of [Infinity, -Infinity, NaN]) for (const at of [0, n - 1, n >> 1]) {
          const keep = a[at];
          a[at] = bad;
          expect(ops.wasmAllFinite(be, a)).toBe(false);
          a[at] = keep;
        }
      }
      expect(ops.wasmAllFinite(be, new Float32Array(4))).toBeNull(); // not in memory: the caller scans
    } finally {
      for (const at of regions) be.mem.release(at);
    }
  });

  it("attention backward over inputs in memory takes the reference where one is not finite, as it does for JavaScript arrays", () => {
    const rng = createRng(4), BH = 2, T = 5, D = 4;
    const arrays = [0, 1, 2, 3, 4, 5, 6].map(() => randn([BH, T, D], rng).data);
    arrays[4][7] = Infinity; // one key of q
    const r = bothWays(arrays, ([dq, dk, dv, dout, q, k, v]) => attentionBackwardKernel(dq, dk, dv, dout, q, k, v, null, null, 0, BH, T, T, D, D, 0.5, true));
    expect(r.held.slice(0, 3).map(bits)).toEqual(r.js.slice(0, 3).map(bits));
  });

  it("heads move between layouts with the same values in memory as in JavaScript arrays, and a move past an array's end writes only what fits", () => {
    const rng = createRng(6), B = 2, H = 4, T = 80, D = 16, C = H * D, kvRows = 90, at = 7;
    const qkv = randn([T, 3 * C], rng).data, heads = randn([B, H, T, D], rng).data, chans = randn([B, T, C], rng).data;
    const cases: [string, Float32Array[], (a: Float32Array[]) => void][] = [
      ["splitQkvForward", [new Float32Array(H * T * D), new Float32Array(H * kvRows * D), new Float32Array(H * kvRows * D), qkv], ([q, k, v, x]) => splitQkvForward(q, k, v, x, T, H, D, kvRows, at)],
      ["splitHeadsForward", [new Float32Array(H * kvRows * D), chans], ([o, x]) => splitHeadsForward(o, x, T, H, D, kvRows, at)],
      ["mergeHeadsForward", [new Float32Array(B * T * C), heads], ([o, x]) => mergeHeadsForward(o, x, B, H, T, D)],
      ["splitQkvBackward", [new Float32Array(T * 3 * C), heads, heads.subarray(5), heads.subarray(9)], ([o, a, b, c]) => splitQkvBackward(o, a, b, c, T, H, D)],
      ["mergeHeadsBackward", [new Float32Array(B * H * T * D), chans], ([o, x]) => mergeHeadsBackward(o, x, B, H, T, D)],
      ["past the end", [new Float32Array(H * T * D - 3), chans], ([o, x]) => splitHeadsForward(o, x, T, H, D, T, 0)],
    ];
    for (const [name, arrays, fn] of cases) {
      const r = bothWays(arrays, fn);
      expect(r.held.map(bits), name).toEqual(r.js.map(bits));
      if (name !== "past the end") expect(r.copied, name).toBe(0);
    }
    const moved = bothWays([new Float32Array(B * T * C), heads], ([o, x]) => mergeHeadsForward(o, x, B, H, T, D)).held[0];
    expect(moved[(1 * T + 3) * C + 2 * D + 5]).toBe(heads[((1 * H + 2) * T + 3) * D + 5]); // out[b, t, h·D + d] = x[b, h, t, d]
  });

  it("the residual add gives float32 sums, the same bits in memory as in JavaScript arrays, in place too", () => {
    const rng = createRng(7), n = 4099 * 2;
    const [x, y] = [0, 1].map(() => randn([n], rng).data);
    x[5] = 3.4028234663852886e38; y[5] = 3.4028234663852886e38; // overflows to ∞ in float32
    const r = bothWays([new Float32Array(n), x, y], ([o, a, b]) => { residualAdd(o, a, b, n); residualAdd(a, a, b, n); });
    expect(r.held.map(bits)).toEqual(r.js.map(bits));
    expect(r.held[0][5]).toBe(Infinity);
    expect(r.held[0][6]).toBe(Math.fround(x[6] + y[6]));
  });
});

describe("layer norm over arrays in the kernels' memory", () => {
  const shapes = fc.record({ rows: fc.integer({ min: 1, max: 9 }), C: fc.integer({ min: 1, max: 37 }), seed: fc.nat(), offset: fc.constantFrom(0, 1e4, -3e6), bias: fc.boolean() });
  it("the forward gives the JavaScript kernel's bits (float64 statistics), its mean and rstd too, with and without a bias", () => {
    fc.assert(fc.property(shapes, ({ rows, C, seed, offset, bias }) => {
      const rng = createRng(seed);
      const x = randn([rows, C], rng).data.map((v) => v + offset), w = randn([C], rng).data, b = randn([C], rng).data;
      const r = bothWays([new Float32Array(rows * C), new Float32Array(rows), new Float32Array(rows), x, w, b], ([o, m, s, xx, ww, bb]) => layerNormForward(o, m, s, xx, ww, bias ? bb : null, rows, C, 1e-5));
      expect(r.held.map(bits)).toEqual(r.js.map(bits));
      expect(r.copied).toBe(0);
      const noStats = bothWays([new Float32Array(rows * C), x, w], ([o, xx, ww]) => layerNormForward(o, null, null, xx, ww, null, rows, C, 1e-5));
      expect(bits(noStats.held[0])).toEqual(bits(noStats.js[0]));
    }), { numRuns: 80, seed: 20261203 });
  });

  it("the backward adds the JavaScript kernel's bits into dx, dweight and dbias (float64 sums in row order)", () => {
    fc.assert(fc.property(shapes, ({ rows, C, seed, offset, bias }) => {
      const rng = createRng(seed);
      const x = randn([rows, C], rng).data.map((v) => v + offset), w = randn([C], rng).data;
      const mean = new Float32Array(rows), rstd = new Float32Array(rows);
      layerNormForward(new Float32Array(rows * C), mean, rstd, x, w, null, rows, C, 1e-5);
      const [dx, dy, dw, db] = [[rows, C], [rows, C], [C], [C]].map((sh) => randn(sh, rng).data);
      const r = bothWays([dx, dw, db, dy, x, w, mean, rstd], ([a, b2, c, d, e, f, g, h]) => layerNormBackwardKernel(a, b2, bias ? c : null, d, e, f, g, h, rows, C));
      expect(r.held.slice(0, 3).map(bits)).toEqual(r.js.slice(0, 3).map(bits));
      expect(r.copied).toBe(0);
    }), { numRuns: 80, seed: 20261203 });
  });
});

describe("cross-entropy over logits in the kernels' memory", () => {
  it("gives the JavaScript kernel's loss and gradient, bit for bit, ignored rows and rows with NaN or ±∞ included", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 50 }), fc.nat(), fc.constantFrom(1, 30, -1e3), fc.boolean(), (rows, V, seed, spread, specials) => {
      const rng = createRng(seed);
      const logits = randn([rows, V], rng).data.map((v) => v * spread);
      const targets = Array.from({ length: rows }, (_, r) => (r % 4 === 3 ? -1 : (r * 7 + seed) % V));
      if (specials && rows > 2) {
        logits[0] = NaN;
        logits[V] = Infinity;
        logits.fill(-Infinity, 2 * V, 3 * V);
        if (V > 1) logits[V + 1] = -Infinity;
      }
      const regions: number[] = [];
      try {
        const held = inMemory(logits, regions);
        expect(crossEntropyKernel(held, targets, rows, V)).toBe(crossEntropyKernel(logits.slice(), targets, rows, V)); // toBe: Object.is, NaN equal to NaN
      } finally {
        for (const at of regions) be.mem.release(at);
      }
      const grad = bothWays([new Float32Array(rows * V), logits], ([d, l]) => crossEntropyBackwardKernel(d, l, targets, rows, V, 1 / 9));
      expect(grad.held.map(bitsOrNaN)).toEqual(grad.js.map(bitsOrNaN));
      const inPlace = bothWays([logits], ([l]) => crossEntropyBackwardKernel(l, l, targets, rows, V, 0.25));
      expect(inPlace.held.map(bitsOrNaN)).toEqual(inPlace.js.map(bitsOrNaN));
      expect(grad.copied + inPlace.copied).toBe(0);
    }), { numRuns: 80, seed: 20261203 });
  });
});

describe("a training step over residentParams", () => {
  it("copies nothing between JavaScript and the kernels' memory (GPT and Llama: forward, backward, clipping, AdamW), and steps as the same model in JavaScript arrays does", () => {
    const gpt = { vocabSize: 12, blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 32 };
    const llama = { vocabSize: 12, blockSize: 16, nLayer: 2, nHead: 4, nKvHead: 2, nEmbd: 32, intermediateSize: 64 };
    const ids = [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4], [4, 3, 2, 1, 0, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]];
    const targets = ids.map((s) => s.map((t) => (t + 1) % 12));
    const cases = [
      { name: "gpt", make: () => initGpt(gpt, createRng(1)), lossAndGrads: gptLossAndGrads as (p: never, i: number[][], t: number[][]) => { loss: number; grads: object } },
      { name: "llama", make: () => initLlama(llama, createRng(1)), lossAndGrads: llamaLossAndGrads as (p: never, i: number[][], t: number[][]) => { loss: number; grads: object } },
    ];
    for (const { name, make, lossAndGrads } of cases) {
      const steps = (params: object) => {
        const opt = adamw(params, { lr: 1e-2 });
        const losses: number[] = [];
        for (let i = 0; i < 3; i++) {
          const before = be.mem.copiedBytes;
          const { loss, grads } = lossAndGrads(params as never, ids, targets);
          clipGradNorm(grads, 1);
          opt.step(grads);
          losses.push(loss);
          if (isResidentParams(params)) expect(be.mem.copiedBytes - before, `${name} step ${i}`).toBe(0);
        }
        return losses;
      };
      const resident = residentParams(make());
      expect(isResidentParams(resident)).toBe(wasmBackend() !== null); // off (TP_KERNELS=js): the params themselves
      const inMemory = steps(resident), inJs = steps(make());
      for (let i = 0; i < 3; i++) expect(inMemory[i], name).toBeCloseTo(inJs[i], 5);
    }
  });
});
