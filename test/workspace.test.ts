import { describe, expect, it } from "vitest";
import { ShapeError, createGptCache, createGptWorkspace, createRng, generate, gptForward, initGpt, sampleToken, type GptConfig } from "../src/index";
import { expectClose } from "./helpers/close";

// The workspace path runs the same kernels on the same values as the tensor path, in the same order
// per row, so results agree to float32 rounding; 1e-6 still fails for a skipped bias, a wrong
// position offset or a head read from the wrong rows (each changes logits by > 1e-3 here).
const TOL = { atol: 1e-6, rtol: 1e-6 };

const configs: GptConfig[] = [
  { vocabSize: 11, blockSize: 40, nLayer: 2, nHead: 2, nEmbd: 8 }, // D = 4: the WebAssembly attention path
  { vocabSize: 7, blockSize: 40, nLayer: 1, nHead: 3, nEmbd: 9, bias: false, gelu: "none" }, // D = 3: JavaScript only
];

function sharpened(config: GptConfig, seed: number) {
  const params = initGpt(config, createRng(seed));
  for (const p of [params.wte, params.h[0].attn.cAttn.weight, params.h[0].mlp.cFc.weight]) for (let i = 0; i < p.data.length; i++) p.data[i] *= 20;
  return params;
}

describe("gptForward with a workspace", () => {
  for (const config of configs) {
    const params = sharpened(config, 3);
    const ids = Array.from({ length: 13 }, (_, i) => (i * 5 + 2) % config.vocabSize);
    const V = config.vocabSize;

    it(`equals the tensor path for all logits and for the last only (nHead ${config.nHead}, nEmbd ${config.nEmbd})`, () => {
      const workspace = createGptWorkspace(config, { tokens: 16 });
      const full = gptForward(params, ids);
      const inWorkspace = gptForward(params, ids, { workspace });
      expect(inWorkspace.shape).toEqual([13, V]);
      expect(inWorkspace.data.buffer).toBe(workspace.logits.buffer);
      expectClose(inWorkspace.data, full.data, TOL);
      const last = gptForward(params, ids, { workspace, logits: "last" });
      expect(last.shape).toEqual([1, V]);
      expectClose(last.data, full.data.subarray(12 * V), TOL);
      expectClose(gptForward(params, ids, { logits: "last" }).data, full.data.subarray(12 * V), TOL);
    });

    it(`with a KV cache, chunks then single tokens equal one full forward (nHead ${config.nHead})`, () => {
      const workspace = createGptWorkspace(config, { tokens: 4 });
      const cache = createGptCache(config);
      const full = gptForward(params, ids);
      let t = 0;
      for (const n of [4, 3, 1, 4, 1]) {
        const chunk = ids.slice(t, t + n);
        const logits = gptForward(params, chunk, { cache, workspace });
        expect(cache.length).toBe(t + n);
        expectClose(logits.data, full.data.subarray(t * V, (t + n) * V), TOL);
        t += n;
      }
    });
  }

  it("rejects more ids than the workspace holds, a tap, a workspace of another model, and a bad logits option", () => {
    const config = configs[0], params = initGpt(config, createRng(1));
    const workspace = createGptWorkspace(config, { tokens: 2 });
    expect(() => gptForward(params, [1, 2, 3], { workspace })).toThrow("gptForward: 3 ids do not fit the workspace, expected at most 2 (createGptWorkspace's tokens)");
    expect(() => gptForward(params, [1], { workspace, tap: () => {} })).toThrow(TypeError);
    expect(() => gptForward(params, [1], { workspace: createGptWorkspace(configs[1]) })).toThrow(ShapeError);
    expect(() => gptForward(params, [1], { workspace: createGptWorkspace(configs[1]) })).toThrow("gptForward: workspace was made for nEmbd 9, nHead 3, vocabSize 7, expected nEmbd 8, nHead 2, vocabSize 11 (params.config)");
    expect(() => gptForward(params, [1], { workspace: {} as never })).toThrow("gptForward: workspace must come from createGptWorkspace, got an object");
    expect(() => gptForward(params, [1], { logits: "first" as never })).toThrow('gptForward: logits must be "all" or "last", got the string "first"');
    expect(() => createGptWorkspace(config, { tokens: 0 })).toThrow("createGptWorkspace: tokens must be an integer ≥ 1, got 0");
    // a cache of another model is refused before anything is written to it, on both paths
    const alien = createGptCache({ ...config, nHead: 4 });
    for (const options of [{ cache: alien, workspace }, { cache: alien }]) {
      expect(() => gptForward(params, [1], options)).toThrow("gptForward: cache.layers[0] holds batch 1, 4 heads of size 2, capacity 40, length 0; expected batch 1, 2 heads of size 4, room for 1 more after 0 (a cache from createGptCache for this config)");
    }
    expect(alien.layers[0].k.every((v) => v === 0)).toBe(true);
    expect(() => gptForward(params, [1], { cache: {} as never })).toThrow("gptForward: cache must come from createGptCache, got an object");
    expect(createGptWorkspace(config, { tokens: 1000 }).tokens).toBe(config.blockSize);
  });
});

describe("generate in a workspace", () => {
  for (const config of configs) {
    const params = sharpened(config, 5);
    it(`greedy tokens equal argmax of a full recompute, with a prompt longer than one prefill chunk and past blockSize (nHead ${config.nHead})`, () => {
      const prompt = Array.from({ length: 70 }, (_, i) => (i * 3 + 1) % config.vocabSize); // cropped to 40, in chunks
      const small = { ...config, blockSize: 40 };
      const out = [...generate(params, prompt, { maxNewTokens: 6, temperature: 0 })];
      const ctx = prompt.slice();
      for (const tok of out) {
        const window = ctx.slice(-small.blockSize);
        const logits = gptForward(params, window, { logits: "last" });
        expect(tok).toBe(sampleToken(logits.data, { temperature: 0 }));
        ctx.push(tok);
      }
      const short = [...generate(params, [1, 2, 3], { maxNewTokens: 20, temperature: 0 })];
      const ctx2 = [1, 2, 3];
      for (const tok of short) {
        expect(tok).toBe(sampleToken(gptForward(params, ctx2, { logits: "last" }).data, { temperature: 0 }));
        ctx2.push(tok);
      }
    });
  }

  it("samples exactly as sampleToken does on the same logits and the same random numbers", () => {
    const config = configs[0], params = sharpened(config, 9);
    const opts = { temperature: 0.9, topK: 6, topP: 0.8, minP: 0.05 };
    const out = [...generate(params, [4, 2], { ...opts, maxNewTokens: 12, rng: createRng(7) })];
    const rng = createRng(7), ctx = [4, 2];
    for (const tok of out) {
      expect(tok).toBe(sampleToken(gptForward(params, ctx, { logits: "last" }).data, { ...opts, rng }));
      ctx.push(tok);
    }
  });

  it("two generations interleaved give what each gives alone (the second one's pinned copies evict the first's, which then copies)", () => {
    const config = configs[0], params = sharpened(config, 13);
    const alone = (prompt: number[]) => [...generate(params, prompt, { maxNewTokens: 8, temperature: 0 })];
    const a = generate(params, [1, 2], { maxNewTokens: 8, temperature: 0 })[Symbol.iterator]();
    const b = generate(params, [7, 3, 3], { maxNewTokens: 8, temperature: 0 })[Symbol.iterator]();
    const fromA: number[] = [], fromB: number[] = [];
    for (let i = 0; i < 8; i++) {
      fromA.push(a.next().value as number);
      fromB.push(b.next().value as number);
    }
    expect(fromA).toEqual(alone([1, 2]));
    expect(fromB).toEqual(alone([7, 3, 3]));
  });

  it("throws, while iterating, when the model's logits are NaN", () => {
    const config = configs[0], params = initGpt(config, createRng(2));
    params.lnF.weight.data[0] = NaN;
    expect(() => [...generate(params, [1], { maxNewTokens: 2, temperature: 0 })]).toThrow("generate: the model's logits[0] is NaN, expected numbers (a NaN logit means the model broke)");
  });
});
