// Every op's backward pass: against PyTorch autograd (float64 references from float32 inputs), by
// finite differences as properties over random small shapes, and on bad input.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  ShapeError, attentionBackward, createRng, crossEntropy, crossEntropyBackward, embeddingBackward, embedTokens, gelu,
  geluBackward, layerNorm, layerNormBackward, layerNormWithStats, linear, linearBackward, logSoftmax, logSoftmaxBackward,
  ones, randn, rmsNorm, rmsNormBackward, scaledDotProductAttention, softmax, softmaxBackward, tensor, useWasm, wasmStatus, zeros,
  type Tensor,
} from "../src/index";
import {
  attentionBackwardKernel, attentionBackwardReference, geluBackwardKernel, geluBackwardReference, linearBackwardKernel, linearBackwardReference,
} from "../src/kernels/index";
import { expectClose, fromRef } from "./helpers/close";
import { trainRef } from "./helpers/reference";
import { runs } from "./helpers/arbitraries";

// Gradients are short chains of float32 ops on O(1) values: ~1e-6 relative. 2e-6 + 2e-6·|e| still
// fails for a missing term (e.g. the mean(g·n) of layer norm's dx, the −D_t of attention), a
// transposed product or a wrong scale, which change values by ≥ 1e-2.
const TOL = { atol: 2e-6, rtol: 2e-6 };

describe("op backward passes match PyTorch autograd", () => {
  it("softmaxBackward(dy, y) and logSoftmaxBackward(dy, y), with masked (−∞) entries", () => {
    const s = trainRef("softmax");
    const y = softmax(fromRef(s.x));
    expectClose(softmaxBackward(fromRef(s.dy), y), s.dx, TOL);
    const l = trainRef("logSoftmax");
    expectClose(logSoftmaxBackward(fromRef(l.dy), logSoftmax(fromRef(l.x))), l.dx, TOL);
  });

  it("geluBackward(dy, x) for both forms", () => {
    const g = trainRef("gelu");
    expectClose(geluBackward(fromRef(g.dy), fromRef(g.x)), g.none, TOL);
    expectClose(geluBackward(fromRef(g.dy), fromRef(g.x), { approximate: "tanh" }), g.tanh, TOL);
  });

  it("linearBackward(dy, x, W) over leading axes", () => {
    const c = trainRef("linear");
    const r = linearBackward(fromRef(c.dy), fromRef(c.x), fromRef(c.weight));
    expectClose(r.dx, c.dx, TOL);
    expectClose(r.dweight, c.dweight, TOL);
    expectClose(r.dbias, c.dbias, TOL);
  });

  it("linearBackward on the kernel path (≥ 16 rows) equals the float64 reference loop", () => {
    const rng = createRng(5);
    const x = randn([40, 24], rng), w = randn([36, 24], rng), dy = randn([40, 36], rng);
    const r = linearBackward(dy, x, w);
    // float64 references by hand
    const dx = new Float64Array(40 * 24), dw = new Float64Array(36 * 24);
    for (let i = 0; i < 40; i++) for (let j = 0; j < 36; j++) for (let k = 0; k < 24; k++) {
      dx[i * 24 + k] += dy.data[i * 36 + j] * w.data[j * 24 + k];
      dw[j * 24 + k] += dy.data[i * 36 + j] * x.data[i * 24 + k];
    }
    // sums of 36–40 float32 products of O(1) values: 1e-5 absolute (WebAssembly accumulates in float32)
    expectClose(r.dx.data, dx, { atol: 1e-5, rtol: 1e-5 });
    expectClose(r.dweight.data, dw, { atol: 1e-5, rtol: 1e-5 });
  });

  it("layerNormBackward(dy, x, w, { saved }) and without saved statistics", () => {
    const c = trainRef("layerNorm");
    const x = fromRef(c.x), w = fromRef(c.weight);
    const saved = layerNormWithStats(x, w, fromRef(c.bias));
    for (const r of [layerNormBackward(fromRef(c.dy), x, w, { saved }), layerNormBackward(fromRef(c.dy), x, w)]) {
      expectClose(r.dx, c.dx, { atol: 1e-5, rtol: 1e-5 }); // dx subtracts two means: ~1e-6 cancellation on values ~3
      expectClose(r.dweight, c.dweight, TOL);
      expectClose(r.dbias, c.dbias, TOL);
    }
  });

  it("rmsNormBackward(dy, x, w)", () => {
    const c = trainRef("rmsNorm");
    const r = rmsNormBackward(fromRef(c.dy), fromRef(c.x), fromRef(c.weight));
    expectClose(r.dx, c.dx, { atol: 1e-5, rtol: 1e-5 });
    expectClose(r.dweight, c.dweight, TOL);
  });

  for (const name of ["causal", "batchedCausal", "padded", "causalPadded", "longerKeys", "valueWidth"]) {
    it(`attentionBackward matches PyTorch: ${name}`, () => {
      const c = trainRef("attention")[name];
      const q = fromRef(c.q), k = fromRef(c.k), v = fromRef(c.v);
      const opts = { causal: c.causal, ...(c.mask ? { mask: fromRef(c.mask) } : {}), ...(c.scale ? { scale: c.scale } : {}) };
      expectClose(scaledDotProductAttention(q, k, v, opts).output, c.output, { atol: 1e-5, rtol: 1e-5 });
      const r = attentionBackward(fromRef(c.dy), q, k, v, opts);
      // sums over up to 8 keys of products of O(1) values through a softmax: 1e-5
      expectClose(r.dq, c.dq, { atol: 1e-5, rtol: 1e-5 });
      expectClose(r.dk, c.dk, { atol: 1e-5, rtol: 1e-5 });
      expectClose(r.dv, c.dv, { atol: 1e-5, rtol: 1e-5 });
    });
  }

  it("embeddingBackward sums the gradients of repeated ids", () => {
    const c = trainRef("embedding");
    expectClose(embeddingBackward(fromRef(c.dy), c.ids, c.rows), c.dtable, { atol: 1e-6, rtol: 1e-6 });
  });

  it("crossEntropyBackward(logits, targets) with ignored targets, and the loss", () => {
    const c = trainRef("crossEntropy");
    const logits = fromRef(c.logits);
    expect(crossEntropy(logits, c.targets)).toBeCloseTo(c.loss, 6);
    expectClose(crossEntropyBackward(logits, c.targets), c.dlogits, TOL);
    const copy = { data: logits.data.slice(), shape: logits.shape };
    expect(crossEntropyBackward(copy, c.targets, { out: copy })).toBe(copy); // in place
    expectClose(copy, c.dlogits, TOL);
  });
});

describe("hand-checked backward values", () => {
  it("softmaxBackward of a uniform row is the centred upstream gradient / n", () => {
    // y = [1/2, 1/2]: dx = y ⊙ (dy − Σ dy·y) = ½·([1, 0] − ½) = [1/4, −1/4]
    expect(Array.from(softmaxBackward(tensor([1, 0], [2]), tensor([0.5, 0.5], [2])).data)).toEqual([0.25, -0.25]);
  });

  it("linearBackward by hand", () => {
    const r = linearBackward(tensor([1, 0, 1], [1, 3]), tensor([1, 2], [1, 2]), tensor([1, 0, 0, 1, 1, 1], [3, 2]));
    expect(Array.from(r.dx.data)).toEqual([2, 1]);
    expect(Array.from(r.dweight.data)).toEqual([1, 2, 0, 0, 1, 2]);
    expect(Array.from(r.dbias.data)).toEqual([1, 0, 1]);
  });

  it("embeddingBackward by hand", () => {
    expect(Array.from(embeddingBackward(tensor([1, 2, 3, 4], [2, 2]), [1, 1], 3).data)).toEqual([0, 0, 4, 6, 0, 0]);
  });

  it("crossEntropyBackward of equal logits is (½ − onehot)", () => {
    expect(Array.from(crossEntropyBackward(tensor([0, 0], [1, 2]), [1]).data)).toEqual([0.5, -0.5]);
    expect(Array.from(crossEntropyBackward(tensor([0, 0, 3, 3], [2, 2]), [-1, -1]).data)).toEqual([0, 0, 0, 0]);
  });

  it("geluBackward: gelu′(0) = ½ for both forms", () => {
    expect(geluBackward(tensor([1], [1]), tensor([0], [1])).data[0]).toBe(0.5);
    expect(geluBackward(tensor([1], [1]), tensor([0], [1]), { approximate: "tanh" }).data[0]).toBe(0.5);
  });

  it("attentionBackward: a key hidden by the mask gets no gradient, even when its value is infinite", () => {
    const q = tensor([1, 0, 0, 1], [2, 2]), k = tensor([1, 0, 0, 1, 1, 1], [3, 2]), v = tensor([1, 2, 3, 4, Infinity, 5], [3, 2]);
    const mask = tensor([0, 0, -Infinity], [1, 3]);
    const r = attentionBackward(ones([2, 2]), q, k, v, { mask });
    expect(Array.from(r.dv.data.slice(4))).toEqual([0, 0]);
    expect(Array.from(r.dk.data.slice(4))).toEqual([0, 0]);
    expect(r.dq.data.every(Number.isFinite)).toBe(true);
  });

  it("attentionBackward: a row that sees no key contributes nothing", () => {
    const q = tensor([1, 1], [1, 2]), k = tensor([1, 0], [1, 2]), v = tensor([5, 5], [1, 2]);
    const r = attentionBackward(ones([1, 2]), q, k, v, { mask: tensor([-Infinity], [1, 1]) });
    expect([...r.dq.data, ...r.dk.data, ...r.dv.data]).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

// Finite differences on the float64 JavaScript path: d loss/d x_i ≈ (L(x + h·e_i) − L(x − h·e_i)) / 2h
// for the loss L = Σ dy ⊙ f(x). Central differences in float32 arithmetic have error ~ε·|L|/h + h²·f‴,
// so with h = 1e-2 on O(1) values a 2e-2 + 2e-2·|g| tolerance is sound; a missing term or factor fails it.
function numericGrad(f: (x: Tensor) => Tensor, x: Tensor, dy: Tensor, h = 1e-2): Float64Array {
  const g = new Float64Array(x.data.length);
  const loss = (t: Tensor) => f(t).data.reduce((s, v, i) => s + v * dy.data[i], 0);
  for (let i = 0; i < x.data.length; i++) {
    const plus = { data: x.data.slice(), shape: x.shape }, minus = { data: x.data.slice(), shape: x.shape };
    plus.data[i] += h;
    minus.data[i] -= h;
    g[i] = (loss(plus) - loss(minus)) / (2 * (plus.data[i] - x.data[i]));
  }
  return g;
}

const FD = { atol: 2e-2, rtol: 2e-2 };
const small = (shape: number[]) => fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) })
  .map((v) => ({ data: Float32Array.from(v), shape }) as Tensor);
const dims = fc.record({ rows: fc.integer({ min: 1, max: 3 }), n: fc.integer({ min: 2, max: 5 }), m: fc.integer({ min: 1, max: 4 }) });

describe("backward passes agree with finite differences (float64 JavaScript path)", () => {
  const withJs = (fn: () => void) => () => {
    const was = wasmStatus().enabled;
    useWasm(false);
    try { fn(); } finally { useWasm(was); }
  };

  it("softmax, logSoftmax, gelu (both), layerNorm, rmsNorm: d/dx", withJs(() => {
    fc.assert(fc.property(dims.chain((d) => fc.tuple(small([d.rows, d.n]), small([d.rows, d.n]), small([d.n]))), ([x, dy, w]) => {
      expectClose(softmaxBackward(dy, softmax(x)), numericGrad(softmax, x, dy), FD);
      expectClose(logSoftmaxBackward(dy, logSoftmax(x)), numericGrad(logSoftmax, x, dy), FD);
      for (const approximate of ["none", "tanh"] as const) {
        expectClose(geluBackward(dy, x, { approximate }), numericGrad((t) => gelu(t, { approximate }), x, dy), FD);
      }
      const wp = { data: w.data.map((v) => v + 2), shape: w.shape }; // keep gains away from 0
      expectClose(rmsNormBackward(dy, x, wp, { eps: 1e-2 }).dx, numericGrad((t) => rmsNorm(t, wp, { eps: 1e-2 }), x, dy), { atol: 5e-2, rtol: 5e-2 });
      // layer norm of a row with a tiny spread is ill-conditioned for differences: rows spread by construction
      const xs = { data: x.data.map((v, i) => 0.25 * v + (i % x.shape[1]) * 1.5), shape: x.shape };
      expectClose(layerNormBackward(dy, xs, wp, { eps: 1e-2 }).dx, numericGrad((t) => layerNorm(t, wp, null, { eps: 1e-2 }), xs, dy), { atol: 5e-2, rtol: 5e-2 });
    }), { ...runs, numRuns: 25 });
  }));

  it("linear: d/dx and d/dW", withJs(() => {
    fc.assert(fc.property(dims.chain((d) => fc.tuple(small([d.rows, d.n]), small([d.m, d.n]), small([d.rows, d.m]))), ([x, w, dy]) => {
      const r = linearBackward(dy, x, w);
      expectClose(r.dx, numericGrad((t) => linear(t, w), x, dy), FD);
      expectClose(r.dweight, numericGrad((t) => linear(x, t), w, dy), FD);
    }), { ...runs, numRuns: 25 });
  }));

  it("attention (causal or not, S ≠ T): d/dq, d/dk, d/dv", withJs(() => {
    const shapes = fc.record({ H: fc.integer({ min: 1, max: 2 }), T: fc.integer({ min: 1, max: 3 }), extra: fc.integer({ min: 0, max: 2 }), D: fc.integer({ min: 1, max: 3 }), causal: fc.boolean() });
    fc.assert(fc.property(shapes.chain((s) => fc.tuple(fc.constant(s), small([s.H, s.T, s.D]), small([s.H, s.T + s.extra, s.D]), small([s.H, s.T + s.extra, s.D]), small([s.H, s.T, s.D]))), ([s, q, k, v, dy]) => {
      const o = { causal: s.causal };
      const r = attentionBackward(dy, q, k, v, o);
      expectClose(r.dq, numericGrad((t) => scaledDotProductAttention(t, k, v, o).output, q, dy), FD);
      expectClose(r.dk, numericGrad((t) => scaledDotProductAttention(q, t, v, o).output, k, dy), FD);
      expectClose(r.dv, numericGrad((t) => scaledDotProductAttention(q, k, t, o).output, v, dy), FD);
    }), { ...runs, numRuns: 25 });
  }));

  it("embedding: d/dtable", () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 6 }).chain((ids) => fc.tuple(fc.constant(ids), small([4, 2]), small([ids.length, 2]))), ([ids, table, dy]) => {
      expectClose(embeddingBackward(dy, ids, 4), numericGrad((t) => embedTokens(ids, t), table, dy), FD);
    }), { ...runs, numRuns: 25 });
  });
});

describe("backward passes: options and bad input", () => {
  it("accumulate adds into out; out without accumulate overwrites", () => {
    const out = tensor([10, 10], [2]);
    softmaxBackward(tensor([1, 0], [2]), tensor([0.5, 0.5], [2]), { out, accumulate: true });
    expect(Array.from(out.data)).toEqual([10.25, 9.75]);
    softmaxBackward(tensor([1, 0], [2]), tensor([0.5, 0.5], [2]), { out });
    expect(Array.from(out.data)).toEqual([0.25, -0.25]);
    const dweight = tensor([1, 1, 1, 1, 1, 1], [3, 2]);
    linearBackward(tensor([1, 0, 1], [1, 3]), tensor([1, 2], [1, 2]), tensor([1, 0, 0, 1, 1, 1], [3, 2]), { dweight, accumulate: true });
    expect(Array.from(dweight.data)).toEqual([2, 3, 1, 1, 2, 3]);
  });

  it("reject wrong shapes, unknown options and accumulate without a target", () => {
    expect(() => softmaxBackward(zeros([2, 3]), zeros([3, 2]))).toThrow("softmaxBackward: y has shape [3, 2], expected [2, 3] (the shape of dy)");
    expect(() => linearBackward(zeros([2, 4]), zeros([2, 3]), zeros([5, 3]))).toThrow(ShapeError);
    expect(() => linearBackward(zeros([2, 5]), zeros([2, 4]), zeros([5, 3]))).toThrow("linearBackward: x has shape [2, 4], expected [..., 3] (the second axis of weight, shape [5, 3])");
    expect(() => geluBackward(zeros([2]), zeros([2]), { aproximate: "tanh" } as never)).toThrow('geluBackward: unknown option "aproximate" (did you mean "approximate"?)');
    expect(() => softmaxBackward(zeros([2]), zeros([2]), { accumulate: true })).toThrow("softmaxBackward: accumulate: true needs out to add into, got none");
    expect(() => attentionBackward(zeros([1, 2, 5]), zeros([1, 2, 4]), zeros([1, 2, 4]), zeros([1, 2, 3]))).toThrow("attentionBackward: dy has shape [1, 2, 5], expected [1, 2, 3] (the shape of the attention output)");
    expect(() => embeddingBackward(zeros([2, 3]), [0, 5], 4)).toThrow("embeddingBackward: ids[1] is 5, expected an integer id in [0, 4) (vocab size 4)");
    expect(() => embeddingBackward(zeros([3, 3]), [0, 1], 4)).toThrow("embeddingBackward: dy has shape [3, 3], expected [2, C] (one row per id; ids has length 2)");
    expect(() => crossEntropyBackward(zeros([2, 3]), [0, 3])).toThrow("crossEntropyBackward: targets[1] is 3, expected an integer in [0, 3) or -1 (ignored)");
    expect(() => layerNormBackward(zeros([2, 4]), zeros([2, 4]), ones([4]), { saved: { mean: zeros([3]), rstd: zeros([2]) } })).toThrow("layerNormBackward: saved.mean has shape [3], expected [2] (x's shape without its last axis)");
    const x = zeros([2]);
    expect(() => softmaxBackward(x, zeros([2]), { out: x })).toThrow("softmaxBackward: out shares memory with an input, expected a separate buffer");
  });

  it("never mutate their inputs", () => {
    const rng = createRng(1);
    const dy = randn([2, 3, 4], rng), x = randn([2, 3, 4], rng), w = randn([5, 4], rng), q = randn([2, 3, 4], rng);
    const copies = [dy, x, w, q].map((t) => t.data.slice());
    softmaxBackward(dy, softmax(x));
    geluBackward(dy, x);
    layerNormBackward(dy, x, ones([4]));
    linearBackward(randn([2, 3, 5], rng), x, w);
    attentionBackward(dy, q, x, x, { causal: true });
    [dy, x, w, q].forEach((t, i) => expect(t.data).toEqual(copies[i]));
  });
});

describe("backward kernels: every path agrees with its float64 reference", () => {
  // On the default and fma runs these take the WebAssembly kernels (float32 sums), on TP_KERNELS=js
  // the JavaScript ones; both must match the float64 loops. Sizes are odd on purpose (padding, tails).
  it("linearBackwardKernel = linearBackwardReference at 37×21 → 19 and 64×128 → 96", () => {
    const rng = createRng(11);
    for (const [M, K, N] of [[37, 21, 19], [64, 128, 96], [3, 5, 2]]) {
      const x = randn([M, K], rng), w = randn([N, K], rng), dy = randn([M, N], rng);
      const start = randn([M, K], rng), startW = randn([N, K], rng);
      const dx = start.data.slice(), dw = startW.data.slice(), db = new Float32Array(N);
      const rx = start.data.slice(), rw = startW.data.slice(), rb = new Float32Array(N);
      linearBackwardKernel(dx, dw, db, dy.data, x.data, w.data, M, K, N);
      linearBackwardReference(rx, rw, rb, dy.data, x.data, w.data, M, K, N);
      // sums of up to 128 products of N(0, 1) values in float32: ~1e-5 absolute
      expectClose(dx, rx, { atol: 5e-5, rtol: 1e-5 });
      expectClose(dw, rw, { atol: 5e-5, rtol: 1e-5 });
      expectClose(db, rb, { atol: 1e-5, rtol: 1e-5 }); // a float32 sum of up to 64 values of N(0, 1)
    }
  });

  it("attentionBackwardKernel = attentionBackwardReference (causal and not, S ≠ T, head sizes 8 and 4)", () => {
    const rng = createRng(12);
    for (const [BH, T, S, D, Dv, causal] of [[3, 9, 9, 8, 8, true], [2, 5, 11, 4, 8, true], [2, 6, 7, 8, 4, false], [1, 1, 1, 4, 4, true]] as const) {
      const q = randn([BH * T * D], rng), k = randn([BH * S * D], rng), v = randn([BH * S * Dv], rng), dout = randn([BH * T * Dv], rng);
      const got = [new Float32Array(BH * T * D), new Float32Array(BH * S * D), new Float32Array(BH * S * Dv)];
      const want = got.map((a) => a.slice());
      attentionBackwardKernel(got[0], got[1], got[2], dout.data, q.data, k.data, v.data, null, null, 0, BH, T, S, D, Dv, 0.35, causal);
      attentionBackwardReference(want[0], want[1], want[2], dout.data, q.data, k.data, v.data, null, null, 0, BH, T, S, D, Dv, 0.35, causal);
      got.forEach((g, i) => expectClose(g, want[i], { atol: 2e-5, rtol: 2e-5 }));
    }
  });

  it("geluBackwardKernel (tanh) = geluBackwardReference over 8,196 values, added into dx", () => {
    const rng = createRng(13);
    const x = randn([8196], rng, 3), dy = randn([8196], rng), dx = randn([8196], rng);
    const want = dx.data.slice(), got = dx.data.slice();
    geluBackwardKernel(got, dy.data, x.data, 8196, true);
    geluBackwardReference(want, dy.data, x.data, 8196, true);
    // float32 gelu′ (~1e-6 relative) added to dx of magnitude ~2: 1e-5 absolute; a wrong term is off by ≥ 1e-2
    expectClose(got, want, { atol: 1e-5, rtol: 1e-5 });
  });
});
