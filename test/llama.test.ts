// The Llama family against a tiny Llama written in PyTorch as Hugging Face's modeling_llama computes
// it (test/fixtures/make_llama_fixtures.py): logits and every tapped intermediate for grouped-query,
// multi-query and multi-head attention, tied and untied heads, Qwen2's q/k/v biases with a sliding
// window, BF16 and F16 checkpoints, and a sharded one.
import { describe, expect, it } from "vitest";
import {
  createLlamaCache, createLlamaWorkspace, createRng, generate, initLlama, llamaConfigFromHf, llamaForward, llamaFromStateDict,
  loadSafetensors, loadSafetensorsShards, saveSafetensors, zeros, type LlamaParams, type Tensor,
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

describe("loading Hugging Face checkpoints", () => {
  it("a sharded checkpoint (model.safetensors.index.json) loads and gives PyTorch's logits", () => {
    const c = llamaRef("sharded");
    const index = new TextDecoder().decode(fixtureBytes("test/fixtures/llama-sharded.safetensors.index.json"));
    const record = loadSafetensorsShards(index, (file) => fixtureBytes(`test/fixtures/${file}`));
    expectClose(llamaForward(llamaFromStateDict(record, llamaConfigFromHf(c.config)), c.ids), c.logits, TOL);
  });

  it("shards that do not match the index are an error listing each tensor", () => {
    const files = { "a.safetensors": saveSafetensors({ x: zeros([1]), y: zeros([1]) }) };
    expect(() => loadSafetensorsShards({ weight_map: { x: "a.safetensors", z: "a.safetensors" } }, files)).toThrow(
      "loadSafetensorsShards: the shards do not match the index (2 problems):\n  y is in a.safetensors, but the index does not list it\n  z is not in a.safetensors, where the index says it is");
    expect(() => loadSafetensorsShards({ weight_map: { x: "b.safetensors" } }, files)).toThrow('the index names shard "b.safetensors", which shards does not have (it has "a.safetensors")');
    expect(() => loadSafetensorsShards("{}", files)).toThrow("loadSafetensorsShards: index has no weight_map");
  });

  it("llamaFromStateDict lists every missing, unexpected and misshapen tensor, one per line, with shapes from the config", () => {
    const c = llamaRef("gqa");
    const record = loadSafetensors(fixtureBytes("test/fixtures/llama-gqa.safetensors"));
    delete record["model.layers.1.mlp.up_proj.weight"];
    record["model.layers.0.self_attn.k_proj.weight"] = zeros([32, 32]);
    record["model.layers.0.self_attn.rotary_emb.inv_freq"] = zeros([4]); // a buffer: skipped
    record["model.extra.weight"] = zeros([1]);
    expect(() => llamaFromStateDict(record, llamaConfigFromHf(c.config))).toThrow([
      "llamaFromStateDict: the state dict does not fit the config (3 problems):",
      "  model.layers.0.self_attn.k_proj.weight has shape [32, 32], expected [16, 32]",
      "  missing model.layers.1.mlp.up_proj.weight [48, 32]",
      "  unexpected model.extra.weight",
    ].join("\n"));
  });

  it("llamaConfigFromHf reads config.json, refuses wrong types and what it does not support", () => {
    const base = llamaRef("qwen2").config;
    expect(llamaConfigFromHf(JSON.stringify(base))).toMatchObject({ nKvHead: 2, qkvBias: true, window: 4, ropeTheta: 1e6, tiedEmbeddings: true, bosTokenId: 1, eosTokenId: 2 });
    expect(llamaConfigFromHf({ ...base, use_sliding_window: false }).window).toBeUndefined();
    expect(() => llamaConfigFromHf({ ...base, hidden_size: "32" })).toThrow('llamaConfigFromHf: hidden_size is the string "32", expected a number');
    expect(() => llamaConfigFromHf({ ...base, tie_word_embeddings: "true" })).toThrow("llamaConfigFromHf: tie_word_embeddings is");
    expect(() => llamaConfigFromHf({ ...base, num_key_value_heads: 3 })).toThrow("llamaConfigFromHf: config.nKvHead = 3 does not divide config.nHead = 4");
    expect(() => llamaConfigFromHf({ ...base, rope_scaling: { type: "dynamic", factor: 2 } })).toThrow("rope_scaling type \"dynamic\" is not supported");
    expect(() => llamaConfigFromHf({ ...base, model_type: "gpt2" })).toThrow('model_type "gpt2" is not a Llama-family decoder');
    expect(() => llamaConfigFromHf("{")).toThrow("llamaConfigFromHf: configJson is not JSON");
    const { vocab_size: _, ...missing } = base;
    expect(() => llamaConfigFromHf(missing)).toThrow("llamaConfigFromHf: vocab_size is missing, expected a number");
  });

  it("llamaConfigFromHf refuses fields that would change the model, by name", () => {
    const base = llamaRef("qwen2").config;
    const layers = base.num_hidden_layers as number;
    expect(() => llamaConfigFromHf({ ...base, hidden_act: "gelu" })).toThrow('llamaConfigFromHf: hidden_act "gelu" is not supported, expected "silu"');
    expect(llamaConfigFromHf({ ...base, hidden_act: "silu" }).nLayer).toBe(layers);
    expect(() => llamaConfigFromHf({ ...base, mlp_bias: true })).toThrow("llamaConfigFromHf: mlp_bias: true (biases on gate, up and down) is not supported");
    expect(llamaConfigFromHf({ ...base, mlp_bias: false }).nLayer).toBe(layers);
    // Qwen2's window covers layers max_window_layers… only: all of them, none, or refused
    expect(llamaConfigFromHf({ ...base, max_window_layers: 0 }).window).toBe(4);
    expect(llamaConfigFromHf({ ...base, max_window_layers: layers }).window).toBeUndefined();
    if (layers > 1) expect(() => llamaConfigFromHf({ ...base, max_window_layers: 1 })).toThrow(`llamaConfigFromHf: max_window_layers = 1 windows layers 1…${layers - 1} only (of ${layers})`);
    const mixed = Array.from({ length: layers }, (_, i) => (i === 0 ? "full_attention" : "sliding_attention"));
    if (layers > 1) expect(() => llamaConfigFromHf({ ...base, layer_types: mixed })).toThrow('layer_types mixes "full_attention" and "sliding_attention"');
  });

  it("initLlama refuses nKvHead that does not divide nHead, an odd head size and unknown fields", () => {
    const ok = { vocabSize: 8, blockSize: 8, nLayer: 1, nHead: 4, nEmbd: 16, intermediateSize: 8 };
    expect(() => initLlama({ ...ok, nKvHead: 3 }, createRng(0))).toThrow("initLlama: config.nKvHead = 3 does not divide config.nHead = 4");
    expect(() => initLlama({ ...ok, nEmbd: 12 }, createRng(0))).toThrow("initLlama: the head size nEmbd / nHead = 3 is odd");
    expect(() => initLlama({ ...ok, n_kv_head: 2 } as never, createRng(0))).toThrow('initLlama: unknown config field "n_kv_head"');
    expect(() => initLlama({ ...ok, window: 0 }, createRng(0))).toThrow("initLlama: config.window must be an integer ≥ 1, got 0");
  });
});
