// Every options object of the public API rejects keys it does not know, naming the function, the key
// and the nearest valid name: a misspelt option must never fall back to its default silently.
import { describe, expect, it } from "vitest";
import {
  BpeTokenizer, adamw, createGptWorkspace, createKVCache, createRng, formatTensor, gelu, generate, gptForward, gptLossAndGrads, initGpt,
  layerNorm, linear, mlp, multiHeadAttention, ones, sampleToken, scaledDotProductAttention, softmax, tensor, trainBpe, transformerBlock, zeros,
} from "../src/index";

describe("options objects reject unknown keys", () => {
  const rng = createRng(0);
  const params = initGpt({ vocabSize: 5, blockSize: 4, nLayer: 1, nHead: 1, nEmbd: 4 }, rng);
  const x = zeros([2, 4]);
  const cases: [string, () => unknown, string][] = [
    ["scaledDotProductAttention", () => scaledDotProductAttention(zeros([1, 2, 4]), zeros([1, 2, 4]), zeros([1, 2, 4]), { casual: true } as never), 'scaledDotProductAttention: unknown option "casual" (did you mean "causal"?)'],
    ["sampleToken", () => sampleToken([0, 1], { top_k: 1, rng } as never), 'sampleToken: unknown option "top_k" (did you mean "topK"?)'],
    ["generate", () => generate(params, [1], { maxNewTokens: 1, temperature: 0, stop: [1] } as never), 'generate: unknown option "stop" (did you mean "stopIds"?)'],
    ["softmax", () => softmax(x, { temprature: 2 } as never), 'softmax: unknown option "temprature" (did you mean "temperature"?)'],
    ["layerNorm", () => layerNorm(x, ones([4]), null, { epsilon: 1e-5 } as never), 'layerNorm: unknown option "epsilon"'],
    ["linear", () => linear(x, zeros([3, 4]), null, { output: zeros([2, 3]) } as never), 'linear: unknown option "output"'],
    ["gelu", () => gelu(x, { approx: "tanh" } as never), 'gelu: unknown option "approx"'],
    ["multiHeadAttention", () => multiHeadAttention(x, params.h[0].attn, { nHead: 1, casual: false } as never), 'multiHeadAttention: unknown option "casual" (did you mean "causal"?)'],
    ["transformerBlock", () => transformerBlock(x, params.h[0], { nHead: 1, epsilon: 1e-5 } as never), 'transformerBlock: unknown option "epsilon"'],
    ["mlp", () => mlp(x, params.h[0].mlp, { activation: "tanh" } as never), 'mlp: unknown option "activation"'],
    ["gptForward", () => gptForward(params, [1], { cahce: undefined } as never), 'gptForward: unknown option "cahce" (did you mean "cache"?)'],
    ["createGptWorkspace", () => createGptWorkspace(params.config, { token: 4 } as never), 'createGptWorkspace: unknown option "token" (did you mean "tokens"?)'],
    ["createKVCache", () => createKVCache({ nHead: 1, headSize: 4, capacity: 4, heads: 2 } as never), 'createKVCache: unknown option "heads"'],
    ["formatTensor", () => formatTensor(x, { digits: 2 } as never), 'formatTensor: unknown option "digits"'],
    ["trainBpe", () => trainBpe("aaab", 257, { special: ["<s>"] } as never), 'trainBpe: unknown option "special"'],
    ["BpeTokenizer.fromTiktoken", () => BpeTokenizer.fromTiktoken("", { patern: "x" } as never), 'BpeTokenizer.fromTiktoken: unknown option "patern" (did you mean "pattern"?)'],
    ["encode", () => trainBpe("aaab", 257).encode("a", { allowedSpecials: "all" } as never), 'encode: unknown option "allowedSpecials" (did you mean "allowedSpecial"?)'],
    ["gptLossAndGrads", () => gptLossAndGrads(params, [1], [2], { accumulte: true } as never), 'gptLossAndGrads: unknown option "accumulte" (did you mean "accumulate"?)'],
    ["adamw", () => adamw(params, { weight_decay: 0.1 } as never), 'adamw: unknown option "weight_decay" (did you mean "weightDecay"?)'],
  ];
  for (const [name, call, message] of cases) {
    it(`${name} names the unknown key and the closest valid one`, () => {
      expect(call).toThrow(message);
      expect(call).toThrow(TypeError);
    });
  }

  it("valid options still work (the lists are not too short)", () => {
    expect(softmax(tensor([1, 2], [2]), { temperature: 2, out: zeros([2]) }).shape).toEqual([2]);
    expect(sampleToken([0, 1], { temperature: 1, topK: 1, topP: 1, minP: 0, rng })).toBe(1);
    expect([...generate(params, [1], { maxNewTokens: 2, temperature: 0, stopIds: [], topK: 2 })]).toHaveLength(2);
    expect(gptForward(params, [1, 2], { logits: "last", workspace: createGptWorkspace(params.config, { tokens: 2 }) }).shape).toEqual([1, 5]);
  });
});
