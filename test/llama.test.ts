// The Llama family against a tiny Llama written in PyTorch as Hugging Face's modeling_llama computes
// it (test/fixtures/make_llama_fixtures.py): logits and every tapped intermediate for grouped-query,
// multi-query and multi-head attention, tied and untied heads, Qwen2's q/k/v biases with a sliding
// window, BF16 and F16 checkpoints, and a sharded one.
import { describe, expect, it } from "vitest";
import {
  createLlamaCache, createLlamaWorkspace, createRng, generate, initLlama, llamaConfigFromHf, llamaForward, llamaFromStateDict,
  loadSafetensors, type LlamaParams, type Tensor,
} from "../src/index";
import { expectClose, fromRef } from "./helpers/close";
import { fixtureBytes, llamaRef } from "./helpers/reference";

function load(name: string): { params: LlamaParams; c: Record<string, any> } {
  const c = llamaRef(name);
  const params = llamaFromStateDict(loadSafetensors(fixtureBytes(`test/fixtures/llama-${name}.safetensors`)), llamaConfigFromHf(c.config));
  return { params, c };
}

// float32 kernels against a float64 reference of the same weights: logits of O(10) after two
// blocks of random weights (std 0.2) differ in the 6th significant digit at most
const TOL = { atol: 5e-5, rtol: 5e-5 };

describe("llamaForward equals PyTorch (Hugging Face's modeling_llama)", () => {
  for (const name of ["gqa", "mqa", "mha", "qwen2"]) {
    it(`${name}: logits, with and without a workspace, and token by token with a cache`, () => {
      const { params, c } = load(name);
      expectClose(llamaForward(params, c.ids), c.logits, TOL);
      const ws = createLlamaWorkspace(params.config, { tokens: c.ids.length });
      expectClose(llamaForward(params, c.ids, { workspace: ws }), c.logits, TOL);
      const want = fromRef(c.logits), V = params.config.vocabSize;
      for (const [path, options] of [["lesson", {}], ["workspace", { workspace: createLlamaWorkspace(params.config) }]] as const) {
        const cache = createLlamaCache(params.config);
        c.ids.forEach((id: number, t: number) => {
          const step = llamaForward(params, [id], { cache, ...options });
          expectClose(step.data, want.data.subarray(t * V, (t + 1) * V), TOL);
        });
        expect(cache.length, path).toBe(c.ids.length);
      }
    });
  }

  for (const name of ["gqa", "qwen2"]) {
    it(`${name}: every tapped intermediate`, () => {
      const { params, c } = load(name);
      const seen = new Map<string, Tensor>();
      llamaForward(params, c.ids, { tap: (n, t) => seen.set(n, t) });
      const names = Object.keys(c.taps);
      expect(names.length).toBeGreaterThan(20);
      for (const n of names) {
        expect(seen.has(n), n).toBe(true);
        expectClose(seen.get(n)!, c.taps[n], TOL);
      }
    });
  }

  it("BF16 and F16 checkpoints load (as float32) and give PyTorch's logits for the rounded weights", () => {
    for (const name of ["bf16", "f16"]) {
      const { params, c } = load(name);
      expectClose(llamaForward(params, c.ids), c.logits, TOL);
    }
  });
});

describe("generate on a Llama", () => {
  it("greedy generation with the KV cache equals argmax of a full recompute at every step, past blockSize", () => {
    const { params } = load("gqa");
    const small = { ...params, config: { ...params.config, blockSize: 12 } };
    const out = [...generate(small, [3, 17, 5], { maxNewTokens: 14, temperature: 0 })];
    const ctx = [3, 17, 5];
    for (const id of out) {
      const window = ctx.slice(-12);
      const logits = llamaForward(small, window, { logits: "last" }).data;
      let best = 0;
      for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
      expect(id).toBe(best);
      ctx.push(id);
    }
  });

  it("a random Llama with a sliding window generates the same tokens on every kernel path as the lesson forward", () => {
    const params = initLlama({ vocabSize: 40, blockSize: 32, nLayer: 2, nHead: 4, nKvHead: 1, nEmbd: 32, intermediateSize: 40, window: 5 }, createRng(3));
    for (const t of [params.wte, ...params.h.map((b) => b.attn.q.weight)]) for (let i = 0; i < t.data.length; i++) t.data[i] *= 40;
    const out = [...generate(params, [1, 2, 3, 4, 5, 6, 7], { maxNewTokens: 10, temperature: 0 })];
    const ctx = [1, 2, 3, 4, 5, 6, 7];
    for (const id of out) {
      const logits = llamaForward(params, ctx, { logits: "last" }).data;
      expect(id).toBe(logits.indexOf(Math.max(...logits)));
      ctx.push(id);
    }
  });
});

describe("generate through the causal-LM interface", () => {
  it("a Llama generation works on its parameters as they were when it started (tied head, grouped KV cache pinned)", () => {
    const make = () => {
      const p = initLlama({ vocabSize: 30, blockSize: 40, nLayer: 2, nHead: 4, nKvHead: 2, nEmbd: 32, intermediateSize: 48, tiedEmbeddings: true }, createRng(5));
      for (let i = 0; i < p.wte.data.length; i++) p.wte.data[i] *= 60;
      return p;
    };
    const opts = { maxNewTokens: 10, temperature: 0 };
    const expected = [...generate(make(), [1, 2, 3], opts)];
    const params = make(), got: number[] = [];
    for (const id of generate(params, [1, 2, 3], opts)) {
      got.push(id);
      if (got.length === 1) for (const t of [params.wte, params.lnF.weight, ...params.h.flatMap((b) => [b.ln1.weight, b.attn.q.weight, b.mlp.up.weight])]) t.data.fill(0.5);
    }
    expect(got).toEqual(expected);
  });

  it("parameters of no known family are a clear error", () => {
    expect(() => generate({ config: null } as never, [1], { maxNewTokens: 1, temperature: 0 })).toThrow("generate: params must be GptParams or LlamaParams (with their config), got an object");
  });
});
