// RoPE scaling (Llama 3.1/3.2, linear): the frequency factors as Hugging Face defines them, the
// rotation they give, and the config fields that carry them; test/llamacpp.test.ts has llama.cpp
// apply the same factors to the same model.
import { describe, expect, it } from "vitest";
import { applyRope, createLlamaWorkspace, createRng, initLlama, llamaConfigFromHf, llamaForward, randn } from "../src/index";
import { ropeAttentionFactor, ropeFreqFactors } from "../src/llama/rope-scaling";
import { expectClose } from "./helpers/close";

const LLAMA3 = { type: "llama3" as const, factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 8192 };

describe("RoPE scaling's frequency factors", () => {
  it("llama3: high frequencies kept (wavelength < original/high), low ones divided by factor (> original/low), a smooth ramp between that meets both ends", () => {
    const D = 128, base = 500000, f = ropeFreqFactors(LLAMA3, D, base)!;
    const wavelen = (i: number) => 2 * Math.PI * base ** ((2 * i) / D);
    for (let i = 0; i < D / 2; i++) {
      if (wavelen(i) < 8192 / 4) expect(f[i], `pair ${i}`).toBe(1);
      else if (wavelen(i) > 8192 / 1) expect(f[i], `pair ${i}`).toBe(8);
      else {
        const t = (8192 / wavelen(i) - 1) / 3; // 1 at the high end, 0 at the low end
        expect(1 / f[i]).toBeCloseTo((1 - t) / 8 + t, 12);
        expect(f[i] > 1 && f[i] < 8).toBe(true);
      }
    }
    expect(f[0]).toBe(1);
    expect(f[63]).toBe(8);
    expect(Array.from(f).filter((v) => v > 1 && v < 8).length).toBeGreaterThan(0); // Llama 3.1's shape has a ramp
  });

  it("yarn: pairs turning more than betaFast times over the original context kept, fewer than betaSlow divided by factor, a linear ramp between (hand-checked)", () => {
    // D 16, base 1e4, original 64: pair index of 32 turns −0.99 → low 0; of 1 turn 2.02 → high 3; ramp i/3
    const f = ropeFreqFactors({ type: "yarn", factor: 4, originalMaxPositionEmbeddings: 64 }, 16, 10000)!;
    expectClose(f, [1, 4 / 3, 2, 4, 4, 4, 4, 4], { atol: 1e-12, rtol: 1e-12 });
    expect(ropeAttentionFactor({ type: "yarn", factor: 4, originalMaxPositionEmbeddings: 64 })).toBeCloseTo(0.1 * Math.log(4) + 1, 15);
    expect(ropeAttentionFactor({ type: "yarn", factor: 4, originalMaxPositionEmbeddings: 64, attentionFactor: 0.7 })).toBe(0.7);
    expect(ropeAttentionFactor(LLAMA3)).toBe(1);
    // Qwen2.5's shape (D 128, original 4096): a ramp over many pairs, never decreasing
    const wide = ropeFreqFactors({ type: "yarn", factor: 8, originalMaxPositionEmbeddings: 4096, betaFast: 32, betaSlow: 1 }, 128, 10000)!;
    const ramp = Array.from(wide).filter((v) => v > 1 && v < 8);
    expect(wide[0]).toBe(1);
    expect(wide[63]).toBe(8);
    expect(ramp.length).toBeGreaterThan(5);
    for (let i = 1; i < 64; i++) expect(wide[i]).toBeGreaterThanOrEqual(wide[i - 1]);
  });

  it("applyRope's scale multiplies every rotated pair's length by it (YaRN's attention factor)", () => {
    const x = randn([2, 5, 8], createRng(4));
    const plain = applyRope(x, { offset: 3 }), scaled = applyRope(x, { offset: 3, scale: 1.25 });
    expectClose(scaled.data, plain.data.map((v) => v * 1.25), { atol: 1e-6, rtol: 1e-6 });
    expect(() => applyRope(x, { scale: 0 })).toThrow("applyRope: scale");
  });

  it("linear divides every frequency by factor: rotating position p with factor 4 is rotating p/4 without", () => {
    const x = randn([1, 8, 16], createRng(3)), f = ropeFreqFactors({ type: "linear", factor: 4 }, 16, 10000)!;
    const scaled = applyRope(x, { offset: 12, freqFactors: f });
    // position offset + t with factor 4 = position (offset + t) / 4 without: compare row by row
    for (let t = 0; t < 8; t++) {
      const row = { data: x.data.slice(t * 16, (t + 1) * 16), shape: [1, 1, 16] };
      const plain = new Float32Array(16);
      const pos = (12 + t) / 4, half = 8;
      for (let i = 0; i < half; i++) {
        const a = row.data[i], b = row.data[i + half], th = pos * 10000 ** ((-2 * i) / 16);
        plain[i] = a * Math.cos(th) - b * Math.sin(th);
        plain[i + half] = a * Math.sin(th) + b * Math.cos(th);
      }
      expectClose(scaled.data.subarray(t * 16, (t + 1) * 16), plain, { atol: 1e-6, rtol: 1e-6 });
    }
    expect(() => applyRope(x, { freqFactors: [1, 2] })).toThrow("applyRope: freqFactors must hold D/2 = 8 numbers");
  });
});

describe("RoPE scaling in the config", () => {
  it("llamaConfigFromHf reads linear, llama3 and yarn rope_scaling (rope_type or type) and refuses the others by name", () => {
    const hf = { model_type: "llama", vocab_size: 8, hidden_size: 32, intermediate_size: 32, num_hidden_layers: 1, num_attention_heads: 2, max_position_embeddings: 64 };
    expect(llamaConfigFromHf({ ...hf, rope_scaling: { rope_type: "llama3", factor: 32, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8192 } }).ropeScaling)
      .toEqual({ type: "llama3", factor: 32, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 8192 });
    expect(llamaConfigFromHf({ ...hf, rope_scaling: { type: "linear", factor: 2 } }).ropeScaling).toEqual({ type: "linear", factor: 2 });
    expect(llamaConfigFromHf({ ...hf, rope_scaling: { rope_type: "default" } }).ropeScaling).toBeUndefined();
    // Qwen2.5's long-context recipe; without original_max_position_embeddings, max_position_embeddings (as Hugging Face)
    expect(llamaConfigFromHf({ ...hf, rope_scaling: { type: "yarn", factor: 4, original_max_position_embeddings: 32768 } }).ropeScaling).toEqual({ type: "yarn", factor: 4, originalMaxPositionEmbeddings: 32768 });
    expect(llamaConfigFromHf({ ...hf, rope_scaling: { rope_type: "yarn", factor: 2, beta_fast: 16, beta_slow: 2, attention_factor: 1.5 } }).ropeScaling)
      .toEqual({ type: "yarn", factor: 2, originalMaxPositionEmbeddings: 64, betaFast: 16, betaSlow: 2, attentionFactor: 1.5 });
    expect(() => llamaConfigFromHf({ ...hf, rope_scaling: { rope_type: "yarn", factor: 4, mscale: 1, mscale_all_dim: 1 } })).toThrow("llamaConfigFromHf: rope_scaling.mscale (DeepSeek's YaRN variant) is not supported");
    expect(() => llamaConfigFromHf({ ...hf, rope_scaling: { rope_type: "dynamic", factor: 4 } })).toThrow('llamaConfigFromHf: rope_scaling type "dynamic" is not supported (linear, llama3 and yarn are; dynamic and longrope not yet)');
    expect(() => llamaConfigFromHf({ ...hf, rope_scaling: { rope_type: "llama3", factor: 8 } })).toThrow("llamaConfigFromHf: rope_scaling.low_freq_factor is undefined, expected a number");
  });

  it("the config checks ropeScaling by field, and a scaled model's positions past the original context differ from the plain one's", () => {
    const base = { vocabSize: 16, blockSize: 64, nLayer: 1, nHead: 2, nEmbd: 32, intermediateSize: 32 };
    expect(() => initLlama({ ...base, ropeScaling: { type: "llama3", factor: 8, lowFreqFactor: 4, highFreqFactor: 1, originalMaxPositionEmbeddings: 16 } }, createRng(1))).toThrow("initLlama: config.ropeScaling .highFreqFactor (1) must exceed .lowFreqFactor (4)");
    expect(() => initLlama({ ...base, ropeScaling: { type: "factors", factors: [1, 2] } }, createRng(1))).toThrow("initLlama: config.ropeScaling .factors must hold D/2 = 8 numbers");
    expect(() => initLlama({ ...base, ropeScaling: { type: "dynamic" } as never }, createRng(1))).toThrow('initLlama: config.ropeScaling .type is the string "dynamic", expected "linear", "llama3", "yarn" or "factors"');
    expect(() => initLlama({ ...base, ropeScaling: { type: "yarn", factor: 4, originalMaxPositionEmbeddings: 16, betaFast: 1, betaSlow: 2 } }, createRng(1))).toThrow("initLlama: config.ropeScaling .betaFast (1) must exceed .betaSlow (2)");
    expect(() => initLlama({ ...base, ropeScaling: { type: "yarn", factor: 4 } as never }, createRng(1))).toThrow("initLlama: config.ropeScaling .originalMaxPositionEmbeddings must be a positive number, got undefined");
    const plain = initLlama(base, createRng(1)), ids = Array.from({ length: 30 }, (_, i) => i % 16);
    for (const ropeScaling of [{ ...LLAMA3, originalMaxPositionEmbeddings: 16 }, { type: "yarn" as const, factor: 4, originalMaxPositionEmbeddings: 16 }]) {
      const scaled = { ...plain, config: { ...plain.config, ropeScaling } };
      expect(Array.from(llamaForward(scaled, ids).data)).not.toEqual(Array.from(llamaForward(plain, ids).data));
      expectClose(llamaForward(scaled, ids, { workspace: createLlamaWorkspace(scaled.config, { tokens: 30 }) }).data, llamaForward(scaled, ids).data, { atol: 1e-6, rtol: 1e-6 }); // the kernel forward scales as the lesson does
    }
  });
});
