// Training: the whole GPT's loss and gradients against PyTorch autograd, AdamW against
// torch.optim.AdamW, clipping, the schedule, ten training steps against PyTorch's, and bad input.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import {
  ShapeError, adamw, clipGradNorm, cosineLr, createRng, crossEntropy, flattenTensors, generate, gptForward, gptFromStateDict,
  gptLossAndGrads, gptToStateDict, initGpt, loadSafetensors, safetensorsMetadata, saveSafetensors, tensor, tensorLeaves,
  randn, unflattenTensors, zerosLike,
  type AdamWState, type GptParams, type Tensor,
} from "../src/index";
import { expectClose, fromRef, type Encoded } from "./helpers/close";
import { fixtureBytes, trainRef } from "./helpers/reference";
import { adamwKernel, adamwReference } from "../src/kernels/index";

function modelFrom(c: Record<string, any>): GptParams {
  const record: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(c.state as Record<string, Encoded>)) record[k] = fromRef(v);
  return gptFromStateDict(record, c.config);
}

function leafMap(tree: unknown): Map<string, Tensor> {
  return new Map(tensorLeaves(tree).map((l) => [l.path, l.tensor]));
}

describe("gptLossAndGrads matches PyTorch autograd on tiny GPTs", () => {
  // Gradients of a 2-layer model pass through ~30 float32 ops (two layer norms per layer, the head,
  // a softmax): ~1e-6 relative each. 2e-5 + 1e-4·|g| on gradients of magnitude up to ~1 still fails
  // for any missing path (a residual, the tied head's second use, a bias) — those change values by ≥ 1e-2.
  const TOL = { atol: 2e-5, rtol: 1e-4 };
  for (const name of ["tiedTanhB1", "untiedNoneB1", "tiedNoneB3", "untiedTanhB3", "noBiasB3"]) {
    it(`${name}: the loss and every parameter's gradient`, () => {
      const c = trainRef("gpt")[name];
      const params = modelFrom(c);
      const batched = c.ids.length > 1;
      const { loss, grads } = gptLossAndGrads(params, batched ? c.ids : c.ids[0], batched ? c.targets : c.targets[0]);
      expect(loss).toBeCloseTo(c.loss, 5);
      const got = leafMap(grads);
      expect([...got.keys()].sort()).toEqual(Object.keys(c.grads).sort());
      for (const [path, expected] of Object.entries(c.grads as Record<string, Encoded>)) {
        try {
          expectClose(got.get(path)!, expected, TOL);
        } catch (e) {
          throw new Error(`grads.${path}: ${(e as Error).message}`);
        }
      }
    });
  }

  it("the loss equals crossEntropy of the op-composed gptForward (the lesson path), for every sequence of a batch", () => {
    const c = trainRef("gpt").untiedTanhB3;
    const params = modelFrom(c);
    const { loss } = gptLossAndGrads(params, c.ids, c.targets);
    let total = 0, count = 0;
    c.ids.forEach((ids: number[], b: number) => {
      const logits = gptForward(params, ids);
      const n = c.targets[b].filter((t: number) => t !== -1).length;
      total += crossEntropy(logits, c.targets[b]) * n;
      count += n;
    });
    expect(loss).toBeCloseTo(total / count, 5);
  });

  it("tap sees the stored activations by gptForward's tap names, equal to gptForward's", () => {
    const c = trainRef("gpt").tiedTanhB1;
    const params = modelFrom(c);
    const fromTraining = new Map<string, Float32Array>(), fromForward = new Map<string, Tensor>();
    gptLossAndGrads(params, c.ids[0], c.targets[0], { tap: (name, t) => fromTraining.set(name, t.data.slice()) });
    gptForward(params, c.ids[0], { tap: (name, t) => fromForward.set(name, t) });
    expect(fromTraining.size).toBe(2 + 2 * 10 + 1);
    for (const [name, data] of fromTraining) {
      expect(fromForward.has(name), name).toBe(true);
      expectClose(data, fromForward.get(name)!.data, { atol: 1e-5, rtol: 1e-5 });
    }
  });

  it("reuses grads buffers, and accumulate adds two batches' gradients", () => {
    const c = trainRef("gpt").tiedNoneB3;
    const params = modelFrom(c);
    const whole = gptLossAndGrads(params, c.ids, c.targets).grads;
    const grads = zerosLike(params);
    const first = gptLossAndGrads(params, c.ids[0], c.targets[0], { grads });
    expect(first.grads).toBe(grads);
    const a = leafMap(gptLossAndGrads(params, c.ids[0], c.targets[0]).grads);
    const b = leafMap(gptLossAndGrads(params, c.ids[1], c.targets[1]).grads);
    gptLossAndGrads(params, c.ids[1], c.targets[1], { grads, accumulate: true });
    for (const [path, t] of leafMap(grads)) expectClose(t.data, a.get(path)!.data.map((v, i) => v + b.get(path)!.data[i]), { atol: 1e-6, rtol: 1e-5 });
    expect(leafMap(whole).size).toBe(leafMap(grads).size);
  });

  it("a step's forward is the inference forward: logits of gptLossAndGrads's store equal gptForward's", () => {
    const params = initGpt({ vocabSize: 7, blockSize: 6, nLayer: 2, nHead: 2, nEmbd: 8 }, createRng(3));
    const seen: Float32Array[] = [];
    gptLossAndGrads(params, [[1, 2, 3, 4], [4, 3, 2, 1]], [[2, 3, 4, 5], [3, 2, 1, 0]], { tap: (n, t) => n === "logits" && seen.push(t.data.slice()) });
    const expected = [...gptForward(params, [1, 2, 3, 4]).data, ...gptForward(params, [4, 3, 2, 1]).data];
    expectClose(seen[0], expected, { atol: 1e-6, rtol: 1e-5 });
  });
});

describe("adamw matches torch.optim.AdamW", () => {
  for (const name of ["defaultDecay", "chosenDecay", "oneGroup"]) {
    it(`${name}: 12 steps with a per-step lr`, () => {
      const c = name === "oneGroup" ? trainRef("adamwOneGroup") : trainRef("adamw")[name];
      const params: Record<string, Tensor> = {};
      for (const [k, v] of Object.entries(c.params as Record<string, Encoded>)) params[k] = fromRef(v);
      const decay = name === "defaultDecay" ? undefined : (path: string) => c.decay.includes(path);
      const opt = adamw(params, { lr: c.lrs[0], beta1: c.beta1, beta2: c.beta2, eps: c.eps, weightDecay: c.weightDecay, decay });
      c.grads.forEach((g: Record<string, Encoded>, s: number) => {
        const grads: Record<string, Tensor> = {};
        for (const [k, v] of Object.entries(g)) grads[k] = fromRef(v);
        opt.step(grads, { lr: c.lrs[s] });
        // float32 storage of p, m, v rounds each step (~6e-8 relative); over 12 steps of size ~1e-2: 1e-6
        for (const k of Object.keys(params)) expectClose(params[k], c.after[s][k], { atol: 1e-6, rtol: 1e-6 });
      });
      expect(opt.state.step).toBe(12);
    });
  }

  it("adamwKernel (WebAssembly, float32, on default runs) = adamwReference (float64) over 5,003 values and 3 steps", () => {
    const rng = createRng(21);
    const start = randn([5003], rng), grads = [randn([5003], rng), randn([5003], rng, 1e-3), randn([5003], rng, 10)];
    const runs = [adamwKernel, adamwReference].map((kernel) => {
      const p = start.data.slice(), m = new Float32Array(5003), v = new Float32Array(5003);
      grads.forEach((g, s) => {
        const t = s + 1;
        kernel(p, g.data, m, v, 1e-2 * 0.1, 0.9, 0.95, 1e-8, 1e-2 / (1 - 0.9 ** t), Math.sqrt(1 - 0.95 ** t));
      });
      return p;
    });
    // float32 rounding at each of p·keep, m, v, √v, the quotient: ~1e-7 relative of values ~1, over 3 steps
    expectClose(runs[0], runs[1], { atol: 1e-6, rtol: 1e-6 });
    expect(runs[0].some((x, i) => x !== start.data[i])).toBe(true);
  });

  it("state saved with saveSafetensors resumes exactly where it stopped", () => {
    const fresh = () => ({ w: tensor([1, 2, 3, 4], [2, 2]), b: tensor([0.5, -0.5], [2]) });
    const gradAt = (s: number) => ({ w: tensor([s, -s, 0.5, 1], [2, 2]), b: tensor([1, -s], [2]) });
    const straight = fresh(), opt = adamw(straight, { lr: 0.1, weightDecay: 0.1 });
    for (let s = 0; s < 6; s++) opt.step(gradAt(s));
    const first = fresh(), o1 = adamw(first, { lr: 0.1, weightDecay: 0.1 });
    for (let s = 0; s < 3; s++) o1.step(gradAt(s));
    const bytes = saveSafetensors({ ...flattenTensors(o1.state.m, "m."), ...flattenTensors(o1.state.v, "v.") }, { step: String(o1.state.step) });
    const loaded = loadSafetensors(bytes);
    const state: AdamWState = { step: 3, m: unflattenTensors(loaded, "m."), v: unflattenTensors(loaded, "v.") };
    const o2 = adamw(first, { lr: 0.1, weightDecay: 0.1 }, state);
    for (let s = 3; s < 6; s++) o2.step(gradAt(s));
    expect(Array.from(first.w.data)).toEqual(Array.from(straight.w.data));
    expect(Array.from(first.b.data)).toEqual(Array.from(straight.b.data));
  });

  it("by hand: the first step moves every weight by lr·sign(g) (bias-corrected m/√v = ±1), after decay", () => {
    const p = { w: tensor([1, -1], [1, 2]) };
    adamw(p, { lr: 0.1, weightDecay: 0.5, eps: 0 }).step({ w: tensor([3, -0.001], [1, 2]) });
    expect(p.w.data[0]).toBeCloseTo(1 * (1 - 0.05) - 0.1, 6);
    expect(p.w.data[1]).toBeCloseTo(-1 * (1 - 0.05) + 0.1, 6);
  });

  it("rejects bad hyperparameters and grads of another structure, leaving params untouched", () => {
    const params = initGpt({ vocabSize: 5, blockSize: 4, nLayer: 2, nHead: 1, nEmbd: 4 }, createRng(0));
    expect(() => adamw(params, { lr: -1e-3 })).toThrow("adamw: lr must be a finite number ≥ 0, got -0.001");
    expect(() => adamw(params, { lr: NaN })).toThrow("adamw: lr must be a finite number ≥ 0, got NaN");
    expect(() => adamw(params, { beta1: 1 })).toThrow("adamw: beta1 must be a number in [0, 1), got 1");
    expect(() => adamw(params, { beta2: -0.1 })).toThrow("adamw: beta2 must be a number in [0, 1), got -0.1");
    expect(() => adamw(params, { weightDecay: -1 })).toThrow("adamw: weightDecay must be a finite number ≥ 0, got -1");
    expect(() => adamw(params, { betas: [0.9, 0.95] } as never)).toThrow('adamw: unknown option "betas"');
    const opt = adamw(params);
    const before = tensorLeaves(params).map((l) => l.tensor.data.slice());
    const grads = zerosLike(params) as GptParams;
    grads.h[1].mlp.cFc.weight = tensor([1, 2], [2]);
    expect(() => opt.step(grads)).toThrow("adamw.step: grads.h.1.mlp.cFc.weight has shape [2], expected [16, 4] (as params.h.1.mlp.cFc.weight)");
    const missing = zerosLike(params) as Partial<GptParams>;
    delete missing.wpe;
    expect(() => opt.step(missing)).toThrow("adamw.step: grads.wpe is missing, expected a tensor of shape [4, 4] (as params.wpe)");
    expect(() => opt.step(zerosLike(params), { lr: -1 })).toThrow("adamw.step: lr must be a finite number ≥ 0, got -1");
    tensorLeaves(params).forEach((l, i) => expect(l.tensor.data).toEqual(before[i]));
    expect(opt.state.step).toBe(0);
  });
});

describe("clipGradNorm and cosineLr", () => {
  it("clipGradNorm returns torch's total norm and scales to maxNorm", () => {
    const c = trainRef("clip");
    const grads = c.grads.map((g: Encoded) => fromRef(g));
    const norm = clipGradNorm(grads, 1);
    expect(norm).toBeCloseTo(c.norm, 5);
    const after = Math.sqrt(grads.reduce((s: number, g: Tensor) => s + g.data.reduce((a, v) => a + v * v, 0), 0));
    expect(after).toBeCloseTo(1, 5);
    const small = [tensor([0.3, 0.4], [2])];
    expect(clipGradNorm(small, 1)).toBeCloseTo(0.5, 7);
    expect(Array.from(small[0].data)).toEqual([Math.fround(0.3), Math.fround(0.4)]); // below maxNorm: untouched
  });

  it("clipGradNorm rejects maxNorm ≤ 0 and names the first non-finite gradient, leaving grads as they were", () => {
    expect(() => clipGradNorm([tensor([1], [1])], 0)).toThrow("clipGradNorm: maxNorm must be a number > 0, got 0");
    expect(() => clipGradNorm([tensor([1], [1])], NaN)).toThrow("clipGradNorm: maxNorm must be a number > 0, got NaN");
    const grads = { a: tensor([100, 100], [2]), h: [{ w: tensor([1, NaN], [2]) }] };
    expect(() => clipGradNorm(grads, 1)).toThrow("clipGradNorm: the gradient norm is not finite: grads.h.0.w[1] is NaN, expected finite gradients");
    expect(Array.from(grads.a.data)).toEqual([100, 100]);
  });

  it("cosineLr follows nanoGPT's get_lr (the schedule of the ten-step PyTorch run)", () => {
    const c = trainRef("training");
    const lr = cosineLr({ maxLr: 1e-2, minLr: 1e-3, warmupSteps: 3, decaySteps: 9 });
    c.lrs.forEach((expected: number, step: number) => expect(lr(step)).toBeCloseTo(expected, 12));
    expect(lr(10)).toBe(1e-3);
    expect(() => cosineLr({ maxLr: 1e-3, minLr: 1e-4, warmupSteps: 10, decaySteps: 10 })).toThrow("cosineLr: decaySteps must be an integer > warmupSteps = 10, got 10");
    expect(() => cosineLr({ maxLr: 0, minLr: 0, warmupSteps: 0, decaySteps: 1 })).toThrow("cosineLr: maxLr must be a finite number > 0, got 0");
  });
});

describe("ten training steps of a tiny GPT match PyTorch's (llm.c's test_gpt2)", () => {
  it("losses and gradient norms at every step, and the final weights", () => {
    const c = trainRef("training");
    const params = modelFrom(c);
    const opt = adamw(params, { lr: 1e-2, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 });
    const lr = cosineLr({ maxLr: 1e-2, minLr: 1e-3, warmupSteps: 3, decaySteps: 9 });
    c.batches.forEach((seqs: number[][], step: number) => {
      const { loss, grads } = gptLossAndGrads(params, seqs.map((s) => s.slice(0, -1)), seqs.map((s) => s.slice(1)));
      const norm = clipGradNorm(grads, 1.0);
      opt.step(grads, { lr: lr(step) });
      // float32 training vs float64 PyTorch: differences grow with each step, ~1e-5 after ten
      expect(Math.abs(loss - c.losses[step]), `step ${step} loss ${loss} vs ${c.losses[step]}`).toBeLessThan(1e-4);
      expect(Math.abs(norm - c.norms[step]) / c.norms[step], `step ${step} norm`).toBeLessThan(1e-4);
    });
    expect(c.losses[9]).toBeLessThan(c.losses[0] - 0.3); // it learned something: the test is not vacuous
    // Every weight within 1e-6 of PyTorch's after ten steps — except the key bias (cAttn.bias[C…2C)):
    // adding it shifts every score of a row by q·b, which softmax ignores, so its true gradient is 0
    // and both sides feed only rounding noise (~1e-9 here, ~1e-17 in float64) to Adam, which scales
    // any nonzero gradient to a step of ~lr. Those entries are checked to have moved by at most 10·lr.
    const got = leafMap(params), C = c.config.nEmbd;
    for (const [path, expected] of Object.entries(c.final as Record<string, Encoded>)) {
      const actual = got.get(path)!;
      if (!path.endsWith("cAttn.bias")) {
        expectClose(actual, expected, { atol: 1e-6, rtol: 1e-6 });
        continue;
      }
      const e = fromRef(expected).data, keep = (i: number) => i < C || i >= 2 * C;
      expectClose(actual.data.filter((_, i) => keep(i)), e.filter((_, i) => keep(i)), { atol: 1e-6, rtol: 1e-6 });
      for (let i = C; i < 2 * C; i++) expect(Math.abs(actual.data[i] - e[i])).toBeLessThan(0.1);
    }
  });
});

describe("gptLossAndGrads: bad input", () => {
  const params = initGpt({ vocabSize: 5, blockSize: 4, nLayer: 1, nHead: 1, nEmbd: 4 }, createRng(0));
  it("names what is wrong", () => {
    expect(() => gptLossAndGrads(params, [1, 2, 3], [1, 2])).toThrow("gptLossAndGrads: targets has length 2, expected 3 (the length of ids)");
    expect(() => gptLossAndGrads(params, [1, 2], [1, 5])).toThrow("gptLossAndGrads: targets[1] is 5, expected an integer id in [0, 5) or -1 (ignored)");
    expect(() => gptLossAndGrads(params, [1, 2], [1, -2])).toThrow("gptLossAndGrads: targets[1] is -2");
    expect(() => gptLossAndGrads(params, [[1, 2], [1, 2, 3]], [[1, 2], [1, 2, 3]])).toThrow("gptLossAndGrads: ids[1] has length 3, expected 2 (every sequence of a batch the length of ids[0])");
    expect(() => gptLossAndGrads(params, [[1, 2], [1, 2]], [[1, 2]])).toThrow("gptLossAndGrads: targets has 1 sequences, expected 2 (as ids)");
    expect(() => gptLossAndGrads(params, [1, 2, 3, 4, 0], [1, 2, 3, 4, 0])).toThrow("gptLossAndGrads: sequences of 5 tokens exceed the block size, expected at most 4 (config.blockSize)");
    expect(() => gptLossAndGrads(params, [1, 7], [1, 2])).toThrow("gptLossAndGrads: ids[1] is 7, expected an integer id in [0, 5) (vocab size 5)");
    expect(() => gptLossAndGrads(params, [1], [1], { grad: zerosLike(params) } as never)).toThrow('gptLossAndGrads: unknown option "grad" (did you mean "grads"?)');
    const grads = zerosLike(params) as GptParams;
    grads.h[0].attn.cProj.bias = tensor([0], [1]);
    expect(() => gptLossAndGrads(params, [1], [1], { grads })).toThrow("gptLossAndGrads: grads.h.0.attn.cProj.bias has shape [1], expected [4] (as params.h.0.attn.cProj.bias)");
    expect(() => gptLossAndGrads(params, [1], [1], { accumulate: true })).toThrow("gptLossAndGrads: accumulate: true needs grads to add into, got none");
    expect(() => gptLossAndGrads({ ...params, wpe: tensor([1], [1]) }, [1], [1])).toThrow(ShapeError);
  });

  it("every target ignored: the loss is NaN (as PyTorch) and the gradients are zero", () => {
    const { loss, grads } = gptLossAndGrads(params, [1, 2], [-1, -1]);
    expect(loss).toBeNaN();
    expect(tensorLeaves(grads).every((l) => l.tensor.data.every((v) => v === 0))).toBe(true);
  });

  it("does not change params, ids or targets", () => {
    const before = tensorLeaves(params).map((l) => l.tensor.data.slice());
    const ids = [[1, 2, 3], [3, 2, 1]], targets = [[2, 3, 4], [2, 1, -1]];
    gptLossAndGrads(params, ids, targets);
    expect(ids).toEqual([[1, 2, 3], [3, 2, 1]]);
    expect(targets).toEqual([[2, 3, 4], [2, 1, -1]]);
    tensorLeaves(params).forEach((l, i) => expect(l.tensor.data).toEqual(before[i]));
  });
});

describe("training holds its memory", () => {
  it("200 steps of the character model's architecture hold a flat heap (no per-step leak)", () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    // the char model's shape (4 layers, 4 heads, C = 128, 444 characters); one short sequence per
    // step keeps the test fast — a leak is per step, whatever its size
    const params = initGpt({ vocabSize: 444, blockSize: 128, nLayer: 4, nHead: 4, nEmbd: 128 }, createRng(1));
    const opt = adamw(params, { lr: 1e-3 });
    const rng = createRng(2);
    const grads = zerosLike(params);
    const step = () => {
      const ids = Array.from({ length: 17 }, () => Math.floor(rng.uniform() * 444));
      const { loss } = gptLossAndGrads(params, ids.slice(0, 16), ids.slice(1), { grads });
      clipGradNorm(grads, 1);
      opt.step(grads);
      return loss;
    };
    for (let i = 0; i < 20; i++) step();
    gc();
    const before = process.memoryUsage();
    let last = 0;
    for (let i = 0; i < 200; i++) last = step();
    gc();
    const after = process.memoryUsage();
    const growth = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
    // the gradients alone are 3.5 MB: keeping one step's worth would fail this by far
    expect(growth, `grew by ${growth} bytes over 200 steps`).toBeLessThan(1 << 20);
    expect(Number.isFinite(last)).toBe(true);
  });
});

describe("checkpoints move between PyTorch and this library", () => {
  it("the PyTorch-trained sort model keeps training here: same loss as the forward pass, still sorting after 30 steps", () => {
    const bytes = fixtureBytes("examples/assets/sort-model.safetensors");
    const params = gptFromStateDict(loadSafetensors(bytes), JSON.parse(safetensorsMetadata(bytes).config));
    const rng = createRng(5);
    const batch = () => {
      const ids: number[][] = [], targets: number[][] = [];
      for (let b = 0; b < 16; b++) {
        const input = Array.from({ length: 6 }, () => Math.floor(rng.uniform() * 3));
        const seq = [...input, ...[...input].sort()];
        ids.push(seq.slice(0, -1));
        targets.push(seq.slice(1).map((t, i) => (i < 5 ? -1 : t)));
      }
      return { ids, targets };
    };
    const first = batch();
    const { loss } = gptLossAndGrads(params, first.ids, first.targets);
    const byForward = first.ids.reduce((s, ids, b) => s + crossEntropy(gptForward(params, ids), first.targets[b]) * 6, 0) / (16 * 6);
    expect(loss).toBeCloseTo(byForward, 6);
    expect(loss).toBeLessThan(0.01); // it was trained: the answers are near-certain
    const opt = adamw(params, { lr: 1e-4, beta2: 0.95, weightDecay: 0.1 });
    let last = loss;
    for (let s = 0; s < 30; s++) {
      const { ids, targets } = batch();
      const r = gptLossAndGrads(params, ids, targets);
      clipGradNorm(r.grads, 1);
      opt.step(r.grads);
      last = r.loss;
    }
    expect(last).toBeLessThan(0.01);
    const out = [...generate(params, [2, 1, 0, 1, 0, 2], { maxNewTokens: 6, temperature: 0 })];
    expect(out).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it("the character model trained here gives PyTorch's logits when loaded by scripts/python/gpt.py (nanoGPT names)", () => {
    const c = trainRef("charModel");
    const bytes = fixtureBytes("examples/assets/char-model.safetensors");
    const meta = safetensorsMetadata(bytes);
    const params = gptFromStateDict(loadSafetensors(bytes), JSON.parse(meta.config));
    const vocab: string = JSON.parse(meta.vocab);
    expect([...c.text].map((ch) => vocab.indexOf(ch))).toEqual(c.ids);
    // float32 PyTorch vs float32 here through 4 layers: logits of magnitude ~10 agree to ~1e-5
    expectClose(gptForward(params, c.ids), c.logits, { atol: 1e-4, rtol: 1e-4 });
    expect(meta.validation_loss).toBe(c.validation_loss);
  });

  it("gptToStateDict → saveSafetensors → gptFromStateDict gives back the same model (tied and untied)", () => {
    const tied = initGpt({ vocabSize: 7, blockSize: 5, nLayer: 2, nHead: 2, nEmbd: 8 }, createRng(4));
    const untied = { ...initGpt({ vocabSize: 7, blockSize: 5, nLayer: 1, nHead: 1, nEmbd: 4, bias: false }, createRng(5)) };
    untied.lmHead = tensor(Array.from({ length: 28 }, (_, i) => i / 28), [7, 4]);
    for (const params of [tied, untied]) {
      const names = Object.keys(gptToStateDict(params));
      expect(names).toContain("transformer.h.0.attn.c_attn.weight");
      expect(names.includes("lm_head.weight")).toBe(params.lmHead !== undefined);
      const back = gptFromStateDict(loadSafetensors(saveSafetensors(gptToStateDict(params))), params.config);
      expect(tensorLeaves(back).map((l) => [l.path, Array.from(l.tensor.data)])).toEqual(tensorLeaves(params).map((l) => [l.path, Array.from(l.tensor.data)]));
    }
  });
});

describe("flattenTensors and unflattenTensors", () => {
  it("round-trip nested records and arrays by dotted path, and refuse prototype keys", () => {
    const tree = { a: tensor([1], [1]), h: [{ w: tensor([2, 3], [2]) }, { w: tensor([4], [1]) }], config: { n: 1 } };
    const flat = flattenTensors(tree, "p.");
    expect(Object.keys(flat)).toEqual(["p.a", "p.h.0.w", "p.h.1.w"]);
    const back = unflattenTensors(flat, "p.") as { a: Tensor; h: { w: Tensor }[] };
    expect(Array.isArray(back.h)).toBe(true);
    expect(Array.from(back.h[1].w.data)).toEqual([4]);
    expect(() => unflattenTensors({ "__proto__.x": tensor([1], [1]) })).toThrow('unflattenTensors: the name "__proto__.x" has the path segment "__proto__"');
  });
});
