import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  ShapeError, countParameters, createGptCache, createRng, crossEntropy, flopsPerToken, gptForward, gptFromStateDict,
  initGpt, loadSafetensors, mlp, randn, tensor, transformerBlock, zeros, type GptParams, type Tensor,
} from "../src/index";
import { expectClose, fromRef } from "./helpers/close";
import { fixtureBytes, modelRef } from "./helpers/reference";
import { runs } from "./helpers/arbitraries";

// The tiny GPT chains 2 blocks of ~12 float32 ops on O(1..10) values: each op rounds once (6e-8
// relative), and the errors compound through layer norms; 2e-5 absolute on logits of magnitude ~10
// is ~1e-6 relative — it still fails for a wrong eps, gelu form, head or residual order (≥ 1e-3).
const TOL = { atol: 2e-5, rtol: 2e-5 };

function tinyGpt(file = "test/fixtures/tiny-gpt.safetensors"): GptParams {
  return gptFromStateDict(loadSafetensors(fixtureBytes(file)), modelRef("tinyGpt").config);
}

describe("mlp", () => {
  const c = modelRef("mlp");
  const params = {
    cFc: { weight: fromRef(c.cFcWeight), bias: fromRef(c.cFcBias) },
    cProj: { weight: fromRef(c.cProjWeight), bias: fromRef(c.cProjBias) },
  };

  it("mlp(x, params) matches PyTorch with GELU tanh (default) and exact", () => {
    expectClose(mlp(fromRef(c.x), params), c.tanh, { atol: 2e-6, rtol: 2e-6 });
    expectClose(mlp(fromRef(c.x), params, { gelu: "none" }), c.none, { atol: 2e-6, rtol: 2e-6 });
  });

  it("mlp rejects weights that do not chain C → hidden → C", () => {
    expect(() => mlp(zeros([2, 8]), { cFc: params.cFc, cProj: { weight: zeros([8, 16]) } })).toThrow("mlp: params.cProj.weight has shape [8, 16], expected [8, 32] ([C, hidden], the transpose of cFc.weight's shape)");
    expect(() => mlp(zeros([2, 4]), params)).toThrow(ShapeError);
  });
});

describe("transformerBlock", () => {
  it("transformerBlock(x) matches PyTorch at every intermediate of layer 0 of the tiny GPT", () => {
    const c = modelRef("tinyGpt");
    const params = tinyGpt();
    const seen: Record<string, Tensor> = {};
    transformerBlock(fromRef(c.intermediates["embed.sum"]), params.h[0], {
      nHead: 2, tap: (name, t) => { seen[name] = { data: t.data.slice(), shape: t.shape }; },
    });
    const names = ["ln1", "attn.q", "attn.k", "attn.v", "attn.scores", "attn.weights", "attn.heads", "attn.merged", "attn.out", "resid1", "ln2", "mlp.fc", "mlp.act", "mlp.out", "resid2"];
    expect(Object.keys(seen).sort()).toEqual([...names].sort());
    for (const n of names) expectClose(seen[n], c.intermediates[`h.0.${n}`], TOL);
  });

  it("a block with zeroed cProj weights and biases is the identity", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.nat(), (T, seed) => {
      const params = initGpt({ vocabSize: 5, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 8 }, createRng(seed)).h[0];
      for (const l of [params.attn.cProj, params.mlp.cProj]) { l.weight.data.fill(0); l.bias!.data.fill(0); }
      const x = randn([T, 8], createRng(seed + 1));
      const y = transformerBlock(x, params, { nHead: 2 });
      return y.data.every((v, i) => v === x.data[i]);
    }), { ...runs, numRuns: 30 });
  });

  it("rejects missing parameters and a bad nHead", () => {
    const params = initGpt({ vocabSize: 5, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 8 }, createRng(0)).h[0];
    expect(() => transformerBlock(zeros([2, 8]), { ...params, ln2: undefined as never }, { nHead: 2 })).toThrow(/transformerBlock: params must be \{ ln1, attn, ln2, mlp \}/);
    expect(() => transformerBlock(zeros([2, 8]), params, { nHead: 3 })).toThrow("multiHeadAttention: nHead = 3 does not divide C = 8 (the last axis of x), expected a divisor of 8");
  });
});

describe("gptForward", () => {
  it("gptForward(params, ids) matches PyTorch's logits for a tiny GPT with a tied head", () => {
    const c = modelRef("tinyGpt");
    const params = tinyGpt();
    expect(params.lmHead).toBeUndefined();
    expectClose(gptForward(params, c.ids), c.intermediates.logits, TOL);
  });

  it("Hugging Face names and Conv1D layout load to the same model", () => {
    const c = modelRef("tinyGpt");
    expectClose(gptForward(tinyGpt("test/fixtures/tiny-gpt-hf.safetensors"), c.ids), c.intermediates.logits, TOL);
  });

  it("tap reports every documented intermediate, each matching PyTorch", () => {
    const c = modelRef("tinyGpt");
    const seen: Record<string, Tensor> = {};
    gptForward(tinyGpt(), c.ids, { tap: (n, t) => { seen[n] = { data: t.data.slice(), shape: t.shape }; } });
    expect(Object.keys(seen).sort()).toEqual(Object.keys(c.intermediates).sort());
    for (const [name, e] of Object.entries(c.intermediates)) expectClose(seen[name], e as never, TOL);
  });

  it("crossEntropy(logits, targets) matches PyTorch's loss, ignoring -1 targets", () => {
    const c = modelRef("tinyGpt");
    const loss = crossEntropy(gptForward(tinyGpt(), c.ids), c.targets);
    expect(Math.abs(loss - c.loss)).toBeLessThan(1e-5);
  });

  it("with a cache, prefix then one token at a time gives the same logits as one full forward", () => {
    const c = modelRef("tinyGpt");
    const params = tinyGpt();
    const full = gptForward(params, c.ids);
    const cache = createGptCache(params.config);
    const V = 11;
    const first = gptForward(params, c.ids.slice(0, 3), { cache });
    expectClose(first.data, full.data.slice(0, 3 * V), { atol: 1e-5, rtol: 1e-5 });
    for (let t = 3; t < c.ids.length; t++) {
      const step = gptForward(params, [c.ids[t]], { cache });
      expectClose(step.data, full.data.slice(t * V, (t + 1) * V), { atol: 1e-5, rtol: 1e-5 });
    }
    expect(cache.length).toBe(c.ids.length);
  });

  it("rejects ids ≥ vocabSize, more than blockSize tokens, and params that do not fit the config", () => {
    const params = tinyGpt();
    expect(() => gptForward(params, [1, 11])).toThrow("gptForward: ids[1] is 11, expected an integer id in [0, 11) (vocab size 11)");
    expect(() => gptForward(params, new Array(9).fill(0))).toThrow("gptForward: 9 tokens at positions 0…8 exceed the block size, expected at most 8 (config.blockSize = 8)");
    const cache = createGptCache(params.config);
    gptForward(params, new Array(8).fill(0), { cache });
    expect(() => gptForward(params, [0], { cache })).toThrow("gptForward: 1 tokens at positions 8…8 exceed the block size, expected at most 0 (config.blockSize = 8, 8 already cached)");
    expect(() => gptForward({ ...params, wpe: zeros([4, 8]) }, [0])).toThrow("gptForward: params do not fit the config: params.wpe has shape [4, 8], expected [8, 8]");
    expect(() => gptForward(params, [])).toThrow("gptForward: ids is empty, expected at least one token");
  });
});

describe("initGpt / countParameters / flopsPerToken", () => {
  it("initGpt follows nanoGPT: N(0, 0.02), residual projections 0.02/√(2·nLayer), zero biases, unit norms", () => {
    const p = initGpt({ vocabSize: 500, blockSize: 64, nLayer: 8, nHead: 4, nEmbd: 64 }, createRng(1));
    const std = (t: Tensor) => Math.sqrt(t.data.reduce((a, v) => a + v * v, 0) / t.data.length);
    expect(Math.abs(std(p.wte) - 0.02)).toBeLessThan(0.001);
    expect(Math.abs(std(p.h[0].attn.cAttn.weight) - 0.02)).toBeLessThan(0.001);
    expect(Math.abs(std(p.h[3].mlp.cProj.weight) - 0.02 / 4)).toBeLessThan(0.0003);
    expect(Math.abs(std(p.h[3].attn.cProj.weight) - 0.02 / 4)).toBeLessThan(0.0005);
    expect(p.h[0].attn.cAttn.bias!.data.every((v) => v === 0)).toBe(true);
    expect(p.lnF.weight.data.every((v) => v === 1)).toBe(true);
    expect(p.lmHead).toBeUndefined();
    expect(initGpt(p.config, createRng(1)).wte.data).toEqual(p.wte.data);
  });

  it("initGpt without biases has no bias tensors, and rejects nEmbd not divisible by nHead", () => {
    const p = initGpt({ vocabSize: 5, blockSize: 4, nLayer: 1, nHead: 2, nEmbd: 4, bias: false }, createRng(0));
    expect(p.h[0].ln1.bias).toBeUndefined();
    expect(p.h[0].attn.cAttn.bias).toBeUndefined();
    expect(gptForward(p, [1, 2]).shape).toEqual([2, 5]);
    expect(() => initGpt({ vocabSize: 5, blockSize: 4, nLayer: 1, nHead: 3, nEmbd: 4 }, createRng(0))).toThrow("initGpt: config.nEmbd = 4 is not divisible by config.nHead = 3, expected a multiple of 3");
  });

  it("countParameters(GPT-2 small) is 124,439,808, as published for the Hugging Face checkpoint", () => {
    expect(countParameters({ vocabSize: 50257, blockSize: 1024, nLayer: 12, nHead: 12, nEmbd: 768 })).toBe(124_439_808);
    const sortCfg = { vocabSize: 3, blockSize: 11, nLayer: 3, nHead: 3, nEmbd: 48 };
    expect(countParameters(sortCfg, { lmHead: true })).toBe(countParameters(sortCfg) + 3 * 48);
  });

  it("flopsPerToken = 2·(12·L·C² + V·C) + 4·L·T·C (hand-checked for L=1, C=2, V=3, T=5)", () => {
    expect(flopsPerToken({ vocabSize: 3, blockSize: 8, nLayer: 1, nHead: 1, nEmbd: 2 }, 5)).toBe(2 * (48 + 6) + 40);
  });
});

describe("crossEntropy", () => {
  it("crossEntropy of uniform logits is ln V; -1 targets are ignored; all ignored gives NaN", () => {
    expect(crossEntropy(zeros([2, 4]), [1, 3])).toBeCloseTo(Math.log(4), 12);
    expect(crossEntropy(tensor([0, 0, 100, 0], [2, 2]), [0, -1])).toBeCloseTo(Math.LN2, 12);
    expect(Number.isNaN(crossEntropy(zeros([1, 2]), [-1]))).toBe(true);
  });

  it("rejects a wrong number of targets and out-of-range targets", () => {
    expect(() => crossEntropy(zeros([2, 4]), [1])).toThrow("crossEntropy: targets has length 1, expected 2 (one per row of logits, shape [2, 4])");
    expect(() => crossEntropy(zeros([2, 4]), [1, 4])).toThrow("crossEntropy: targets[1] is 4, expected an integer in [0, 4) or -1 (ignored)");
  });
});
