// Buffers a training step writes: gradient buffers apart from the params and from each other, an
// AdamW parameter that appears at two paths updated once, and a learning rate of 0 (torch's).
import { describe, expect, it } from "vitest";
import {
  adamw, attentionBackward, cosineLr, createRng, gptLossAndGrads, initGpt, layerNormBackward, linearBackward, randn,
  rmsNormBackward, tensor, tensorLeaves, zerosLike, type GptParams, type Tensor,
} from "../src/index";

const rng = createRng(3);

describe("backward passes refuse gradient buffers that share memory", () => {
  const q = randn([2, 3, 4], rng), k = randn([2, 3, 4], rng), v = randn([2, 3, 4], rng), dy = randn([2, 3, 4], rng);
  const x = randn([3, 4], rng), w = randn([5, 4], rng), dyl = randn([3, 5], rng), g = randn([4], rng), dyn = randn([3, 4], rng);

  it("attentionBackward with dq === dk", () => {
    const d = zerosLike(q) as Tensor;
    expect(() => attentionBackward(dy, q, k, v, { dq: d, dk: d })).toThrow("attentionBackward: dq and dk share memory, expected a separate buffer for each gradient");
  });

  it("linearBackward with dx and dweight over one buffer", () => {
    const buf = new Float32Array(64);
    const dx = { data: buf.subarray(0, 12), shape: [3, 4] }, dweight = { data: buf.subarray(8, 28), shape: [5, 4] };
    expect(() => linearBackward(dyl, x, w, { dx, dweight })).toThrow("linearBackward: dx and dweight share memory");
  });

  it("layerNormBackward with dweight === dbias, rmsNormBackward with dx over dweight", () => {
    const d = tensor([0, 0, 0, 0], [4]);
    expect(() => layerNormBackward(dyn, x, g, { dweight: d, dbias: d })).toThrow("layerNormBackward: dweight and dbias share memory");
    const buf = new Float32Array(12);
    expect(() => rmsNormBackward(dyn, x, g, { dx: { data: buf, shape: [3, 4] }, dweight: { data: buf.subarray(0, 4), shape: [4] } })).toThrow("rmsNormBackward: dx and dweight share memory");
  });

  it("separate buffers still work, and a refused call leaves them untouched", () => {
    const d = tensor([1, 2, 3, 4], [4]);
    expect(() => layerNormBackward(dyn, x, g, { dweight: d, dbias: d })).toThrow();
    expect(Array.from(d.data)).toEqual([1, 2, 3, 4]);
    const { dweight, dbias } = layerNormBackward(dyn, x, g, { dweight: zerosLike(g) as Tensor, dbias: zerosLike(g) as Tensor });
    expect(dweight.data).not.toBe(dbias.data);
  });
});

describe("gptLossAndGrads refuses grads that are the params' own tensors", () => {
  const params = initGpt({ vocabSize: 5, blockSize: 4, nLayer: 1, nHead: 1, nEmbd: 4 }, createRng(0));

  it("grads = params would zero the model: refused, the model unchanged", () => {
    const before = tensorLeaves(params).map((l) => l.tensor.data.slice());
    expect(() => gptLossAndGrads(params, [1, 2], [2, 3], { grads: params as never })).toThrow(/gptLossAndGrads: grads.(\S+) shares memory with params.\1, expected separate gradient buffers/);
    tensorLeaves(params).forEach((l, i) => expect(l.tensor.data).toEqual(before[i]));
  });

  it("two gradients in one buffer are refused", () => {
    const grads = zerosLike(params) as GptParams;
    grads.h[0].ln1.bias = grads.h[0].ln1.weight;
    expect(() => gptLossAndGrads(params, [1, 2], [2, 3], { grads })).toThrow("gptLossAndGrads: grads.h.0.ln1.weight and grads.h.0.ln1.bias share memory");
  });
});

describe("adamw: one parameter at two paths is updated once, from the sum of its gradients", () => {
  it("a tensor at two paths steps as one tensor whose gradient is the sum (torch accumulates a shared parameter)", () => {
    const shared = tensor([0.5, -1, 2], [3]), ga = tensor([0.1, 0.2, -0.3], [3]), gb = tensor([1, -2, 0.5], [3]);
    const tied = { a: shared, b: shared };
    const opt = adamw(tied, { lr: 0.1, weightDecay: 0.1, decay: () => true });
    const single = { a: tensor([0.5, -1, 2], [3]) };
    const ref = adamw(single, { lr: 0.1, weightDecay: 0.1, decay: () => true });
    for (let step = 0; step < 3; step++) {
      opt.step({ a: ga, b: gb });
      ref.step({ a: tensor(Array.from(ga.data, (x, i) => x + gb.data[i]), [3]) });
    }
    expect(Array.from(shared.data)).toEqual(Array.from(single.a.data));
  });

  it("the same gradient buffer at both paths counts once", () => {
    const shared = tensor([0.5, -1], [2]), g = tensor([1, 1], [2]);
    const single = { a: tensor([0.5, -1], [2]) };
    adamw({ a: shared, b: shared }, { lr: 0.1 }).step({ a: g, b: g });
    adamw(single, { lr: 0.1 }).step({ a: g });
    expect(Array.from(shared.data)).toEqual(Array.from(single.a.data));
  });

  it("views that overlap without being the same tensor are refused", () => {
    const buf = new Float32Array(6);
    const params = { a: { data: buf.subarray(0, 4), shape: [4] }, b: { data: buf.subarray(2, 6), shape: [4] } };
    expect(() => adamw(params)).toThrow("adamw: params.b and params.a overlap in memory without being the same tensor");
  });
});

describe("adamw and cosineLr: a learning rate of 0", () => {
  it("cosineLr with minLr 0 gives 0 after decaySteps, and adamw steps with it: params stay, moments move (as torch)", () => {
    const lr = cosineLr({ maxLr: 1e-3, minLr: 0, warmupSteps: 2, decaySteps: 10 });
    expect(lr(11)).toBe(0);
    const p = { w: tensor([1, -2], [1, 2]) };
    const opt = adamw(p, { lr: 1e-3, weightDecay: 0.1 });
    opt.step({ w: tensor([0.5, 0.25], [1, 2]) }, { lr: lr(11) });
    expect(Array.from(p.w.data)).toEqual([1, -2]);
    expect(Array.from((opt.state.m as { w: Tensor }).w.data)).toEqual([Math.fround(0.05), Math.fround(0.025)]);
    expect(opt.state.step).toBe(1);
    expect(() => adamw(p, { lr: 0 })).not.toThrow();
  });

  it("a state whose step is negative is named as such", () => {
    const p = { w: tensor([1], [1]) };
    expect(() => adamw(p, {}, { step: -1, m: zerosLike(p), v: zerosLike(p) })).toThrow("adamw: state.step must be an integer ≥ 0 (the steps taken), got -1");
  });
});
