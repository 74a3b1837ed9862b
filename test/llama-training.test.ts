// Training a Llama: llamaLossAndGrads against PyTorch autograd through the tiny Llama of
// make_llama_fixtures.py (grouped-query, multi-query with a tied head, Qwen2's biases with a sliding
// window), and attentionBackward of every forward variant against an identity that defines it.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  adamw, alibiSlopes, attentionBackward, createLlamaWorkspace, createRng, initLlama, llamaConfigFromHf, llamaForward, llamaFromStateDict, llamaLossAndGrads,
  loadSafetensors, randn, crossEntropy, tensor, tensorLeaves, zerosLike, type LlamaParams, type Tensor,
} from "../src/index";
import { expectClose } from "./helpers/close";
import { llamaTrainForward, llamaTrainStore } from "../src/llama/backward";
import { resolveLlamaConfig } from "../src/llama/config";
import { fixtureBytes, llamaRef } from "./helpers/reference";

/** Hugging Face name → our path, for reading the fixture's gradients. */
function gradByName(grads: Omit<LlamaParams, "config">, name: string): Tensor | undefined {
  const m = /^model\.layers\.(\d+)\.(.+)\.(weight|bias)$/.exec(name);
  if (name === "model.embed_tokens.weight") return grads.wte;
  if (name === "model.norm.weight") return grads.lnF.weight;
  if (name === "lm_head.weight") return grads.lmHead;
  if (!m) return undefined;
  const b = grads.h[Number(m[1])], kind = m[3] as "weight" | "bias";
  const map: Record<string, { weight: Tensor; bias?: Tensor | null }> = {
    input_layernorm: b.ln1 as never, post_attention_layernorm: b.ln2 as never,
    "self_attn.q_proj": b.attn.q, "self_attn.k_proj": b.attn.k, "self_attn.v_proj": b.attn.v, "self_attn.o_proj": b.attn.o,
    "mlp.gate_proj": b.mlp.gate, "mlp.up_proj": b.mlp.up, "mlp.down_proj": b.mlp.down,
  };
  return (map[m[2]]?.[kind] ?? undefined) as Tensor | undefined;
}

// float32 kernels against float64 autograd of the same weights: gradients of O(1) agree to ~1e-6;
// 2e-5 still catches a missing RoPE back-rotation, a wrong SiLU derivative or k/v not summed per group
const TOL = { atol: 2e-5, rtol: 2e-4 };

describe("llamaLossAndGrads matches PyTorch autograd (Hugging Face's modeling_llama)", () => {
  for (const name of ["gqa", "mqa", "qwen2"]) {
    it(`${name}: the loss and every parameter's gradient`, () => {
      const c = llamaRef(name);
      const params = llamaFromStateDict(loadSafetensors(fixtureBytes(`test/fixtures/llama-${name}.safetensors`)), llamaConfigFromHf(c.config));
      const { loss, grads } = llamaLossAndGrads(params, c.ids, c.targets);
      expect(loss).toBeCloseTo(c.loss, 5);
      const names = Object.keys(c.grads);
      expect(names.length).toBe(tensorLeaves(grads).length);
      for (const n of names) {
        const g = gradByName(grads, n);
        expect(g, n).toBeDefined();
        expectClose(g!.data, c.grads[n], TOL);
      }
    });
  }
});

describe("llamaLossAndGrads: batches, buffers and a training step", () => {
  const config = { vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 4, nKvHead: 2, nEmbd: 16, intermediateSize: 24 };
  const params = initLlama(config, createRng(5));
  const ids = [[1, 2, 3, 4, 5], [5, 4, 3, 2, 1]], targets = [[2, 3, 4, 5, 6], [4, 3, 2, 1, -1]];

  it("a batch's gradient is the count-weighted mean of its sequences' gradients; the loss is their mean over targets", () => {
    const both = llamaLossAndGrads(params, ids, targets);
    const a = llamaLossAndGrads(params, ids[0], targets[0]), b = llamaLossAndGrads(params, ids[1], targets[1]);
    expect(both.loss).toBeCloseTo((a.loss * 5 + b.loss * 4) / 9, 6);
    const [ga, gb, g] = [a, b, both].map((r) => tensorLeaves(r.grads).map((l) => l.tensor.data));
    g.forEach((d, i) => expectClose(d, Float32Array.from(d, (_, j) => (ga[i][j] * 5 + gb[i][j] * 4) / 9), { atol: 1e-6, rtol: 1e-5 }));
  });

  it("keeping every layer for training does not change the logits of the one kernel forward, bit for bit", () => {
    const c = resolveLlamaConfig("test", params.config), store = llamaTrainStore(c, 5, (n) => new Float32Array(n));
    llamaTrainForward(store, params, c, ids[0]);
    const ws = createLlamaWorkspace(params.config, { tokens: 5 });
    expect(Array.from(store.ws.logits.subarray(0, 5 * 11))).toEqual(Array.from(llamaForward(params, ids[0], { workspace: ws }).data));
  });

  it("the loss equals crossEntropy of llamaForward's logits", () => {
    const logits = llamaForward(params, ids[0]);
    expect(llamaLossAndGrads(params, ids[0], targets[0]).loss).toBeCloseTo(crossEntropy(logits, targets[0]), 5);
  });

  it("grads and accumulate reuse buffers; grads that are params are refused", () => {
    const grads = zerosLike(params) as Omit<LlamaParams, "config">;
    llamaLossAndGrads(params, ids[0], targets[0], { grads });
    const once = tensorLeaves(grads).map((l) => l.tensor.data.slice());
    llamaLossAndGrads(params, ids[0], targets[0], { grads, accumulate: true });
    tensorLeaves(grads).forEach((l, i) => expectClose(l.tensor.data, once[i].map((x) => 2 * x), { atol: 1e-6, rtol: 1e-6 }));
    expect(() => llamaLossAndGrads(params, ids[0], targets[0], { grads: params as never })).toThrow(/llamaLossAndGrads: grads\.(\S+) shares memory with params\.\1/);
    expect(() => llamaLossAndGrads(params, [1, 99], [1, 2])).toThrow("llamaLossAndGrads: ids[1] is 99, expected an integer id in [0, 11)");
  });

  it("RoPE scaling in the backward (YaRN's factors and attention factor): the gradient along q's and k's weights is the loss's slope", () => {
    const scaled = initLlama({ ...config, blockSize: 16, ropeScaling: { type: "yarn", factor: 4, originalMaxPositionEmbeddings: 4 } }, createRng(6));
    for (const b of scaled.h) for (const w of [b.attn.q.weight, b.attn.k.weight]) w.data.forEach((v, i) => (w.data[i] = v * 8)); // sharp attention: positions matter
    const seq = [1, 2, 3, 4, 5, 6, 7, 8, 9], next = [2, 3, 4, 5, 6, 7, 8, 9, 10];
    const { grads } = llamaLossAndGrads(scaled, seq, next);
    const rngD = createRng(8), dirs = scaled.h.flatMap((b) => [b.attn.q.weight, b.attn.k.weight]).map((w) => randn(w.shape, rngD));
    const gradsQK = grads.h.flatMap((b) => [b.attn.q.weight, b.attn.k.weight]);
    let slope = 0;
    dirs.forEach((d, i) => d.data.forEach((v, j) => (slope += v * gradsQK[i].data[j])));
    const moved = (eps: number) => {
      const p = structuredClone(scaled);
      p.h.flatMap((b) => [b.attn.q.weight, b.attn.k.weight]).forEach((w, i) => w.data.forEach((v, j) => (w.data[j] = v + eps * dirs[i].data[j])));
      return llamaLossAndGrads(p, seq, next).loss;
    };
    const eps = 1e-2, numeric = (moved(eps) - moved(-eps)) / (2 * eps);
    expect(Math.abs(slope)).toBeGreaterThan(1e-2);
    expect(Math.abs(numeric - slope) / Math.abs(slope)).toBeLessThan(1e-2); // YaRN's 1.14 on cos and sin, if the backward forgot it, is 14 % off
  });

  it("twenty AdamW steps on one sequence drive its loss down", () => {
    const p = initLlama(config, createRng(9)), opt = adamw(p, { lr: 1e-2 });
    const first = llamaLossAndGrads(p, ids[0], targets[0]).loss;
    for (let s = 0; s < 20; s++) opt.step(llamaLossAndGrads(p, ids[0], targets[0]).grads);
    expect(llamaLossAndGrads(p, ids[0], targets[0]).loss).toBeLessThan(first * 0.5);
  });
});

describe("attentionBackward of every forward variant", () => {
  const rng = createRng(21);
  const close = { atol: 2e-5, rtol: 2e-4 };
  /** [Hkv, S, D] → [Hkv·n, S, D], each head repeated n times (Hugging Face's repeat_kv). */
  const repeatKv = (x: Tensor, n: number): Tensor => {
    const [Hkv, S, D] = x.shape, out = new Float32Array(Hkv * n * S * D);
    for (let h = 0; h < Hkv * n; h++) out.set(x.data.subarray(Math.floor(h / n) * S * D, (Math.floor(h / n) + 1) * S * D), h * S * D);
    return { data: out, shape: [Hkv * n, S, D] };
  };
  /** The gradient of repeat_kv: the n copies of each head summed. */
  const sumGroups = (g: Tensor, n: number): Float32Array => {
    const [H, S, D] = g.shape, out = new Float32Array((H / n) * S * D);
    for (let h = 0; h < H; h++) for (let i = 0; i < S * D; i++) out[Math.floor(h / n) * S * D + i] += g.data[h * S * D + i];
    return out;
  };

  it("grouped-query and multi-query: dk, dv = the backward through repeat_kv (the copies' gradients summed)", () => {
    fc.assert(fc.property(fc.constantFrom([4, 2], [4, 1], [6, 3]), fc.integer({ min: 1, max: 7 }), fc.boolean(), ([H, Hkv], T, causal) => {
      const D = 4, q = randn([H, T, D], rng), k = randn([Hkv, T, D], rng), v = randn([Hkv, T, D], rng), dy = randn([H, T, D], rng);
      const grouped = attentionBackward(dy, q, k, v, { causal });
      const full = attentionBackward(dy, q, repeatKv(k, H / Hkv), repeatKv(v, H / Hkv), { causal });
      expect(grouped.dk.shape).toEqual([Hkv, T, D]);
      expectClose(grouped.dq.data, full.dq.data, close);
      expectClose(grouped.dk.data, sumGroups(full.dk, H / Hkv), close);
      expectClose(grouped.dv.data, sumGroups(full.dv, H / Hkv), close);
    }), { numRuns: 30 });
  });

  it("window = the backward with the band mask; alibi = the backward with the explicit bias as a mask", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 5 }), (T, w) => {
      const H = 2, D = 4, q = randn([H, T, D], rng), k = randn([H, T, D], rng), v = randn([H, T, D], rng), dy = randn([H, T, D], rng);
      const band = new Float32Array(T * T), bias = new Float32Array(H * T * T), slopes = alibiSlopes(H);
      for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) {
        band[i * T + j] = j <= i && j > i - w ? 0 : -Infinity;
        for (let h = 0; h < H; h++) bias[(h * T + i) * T + j] = j <= i ? -slopes[h] * (i - j) : -Infinity;
      }
      const windowed = attentionBackward(dy, q, k, v, { causal: true, window: w });
      const masked = attentionBackward(dy, q, k, v, { mask: tensor(band, [T, T]) });
      const alibi = attentionBackward(dy, q, k, v, { causal: true, alibi: true });
      const biased = attentionBackward(dy, q, k, v, { mask: tensor(bias, [H, T, T]) });
      for (const key of ["dq", "dk", "dv"] as const) {
        expectClose(windowed[key].data, masked[key].data, close);
        expectClose(alibi[key].data, biased[key].data, close);
      }
    }), { numRuns: 30 });
  });

  it("refuses what the forward refuses", () => {
    const q = randn([4, 3, 4], rng), k = randn([3, 3, 4], rng);
    expect(() => attentionBackward(randn([4, 3, 4], rng), q, k, k)).toThrow("attentionBackward: k has 3 heads, which does not divide q's 4 heads");
    expect(() => attentionBackward(randn([4, 3, 4], rng), q, q, q, { window: 2 })).toThrow("attentionBackward: window = 2 needs causal: true");
  });
});
