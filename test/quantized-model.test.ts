// Whole models in stored weights: quantizeModel, both families' forwards (lesson and kernel level),
// generate over a KV cache, residency, and training's refusal.
import { describe, expect, it } from "vitest";
import {
  createGptWorkspace, createLlamaWorkspace, createRng, dequantize, generate, gptForward, gptLossAndGrads, initGpt, initLlama,
  llamaForward, quantizeModel, residentParams, type GptParams, type LlamaParams, type Tensor, type Weight,
} from "../src/index";
import { expectClose } from "./helpers/close";
import { isResidentParams } from "../src/resident";

const rng = createRng(25);
const gpt = initGpt({ vocabSize: 40, blockSize: 32, nLayer: 2, nHead: 2, nEmbd: 64 }, rng);
const llama = initLlama({ vocabSize: 40, blockSize: 32, nLayer: 2, nHead: 4, nKvHead: 2, nEmbd: 64, intermediateSize: 96 }, rng);
const TYPES = ["f16", "bf16", "q8_0", "q4_0", "q4_1", "q5_0", "q5_1"] as const;
const ids = [3, 17, 5, 5, 29, 0, 11];

/** The same params with every stored tensor dequantized to float32. */
function dequantized<P>(p: P): P {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object" && "bytes" in v) return dequantize(v as never);
    if (v === null || typeof v !== "object" || "data" in v) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === "config" ? x : walk(x)]));
  };
  return walk(p) as P;
}
const maxAbs = (a: Float32Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe("quantizeModel", () => {
  it("stores every weight matrix as the type and keeps norms, biases and GPT's position table float32 (the same tensors)", () => {
    const q = quantizeModel(gpt, "q8_0");
    expect((q.wte as { type: string }).type).toBe("q8_0");
    for (const b of q.h) for (const w of [b.attn.cAttn.weight, b.attn.cProj.weight, b.mlp.cFc.weight, b.mlp.cProj.weight]) expect((w as { type: string }).type).toBe("q8_0");
    expect(q.wpe).toBe(gpt.wpe);
    expect(q.h[0].ln1.weight).toBe(gpt.h[0].ln1.weight);
    expect(q.h[1].attn.cAttn.bias).toBe(gpt.h[1].attn.cAttn.bias);
    expect(gpt.h[0].attn.cAttn.weight).toHaveProperty("data"); // the input is not changed
    const l = quantizeModel(llama, "q4_0");
    expect((l.h[1].mlp.down.weight as { type: string }).type).toBe("q4_0");
    expect(l.lnF.weight).toBe(llama.lnF.weight);
  });

  it("lets keep choose a type per tensor by its path (llama.cpp's mixtures), f32 included", () => {
    const seen: string[] = [];
    const q = quantizeModel(llama, "q4_0", { keep: (path, t) => { seen.push(`${path} ${t.shape.join("x")}`); return path === "wte" ? "q8_0" : path.endsWith("attn.v.weight") ? "f32" : undefined; } });
    expect((q.wte as { type: string }).type).toBe("q8_0");
    expect(q.h[0].attn.v.weight).toHaveProperty("data");
    expect((q.h[0].attn.k.weight as { type: string }).type).toBe("q4_0");
    expect(seen).toContain("h.1.mlp.down.weight 64x96");
    expect(seen.some((s) => s.startsWith("h.0.ln1"))).toBe(false);
  });

  it("refuses a matrix whose last axis does not hold whole blocks, an unknown type or option, and a bad keep, each by name", () => {
    const narrow = initGpt({ vocabSize: 5, blockSize: 4, nLayer: 1, nHead: 1, nEmbd: 48 }, createRng(1));
    expect(() => quantizeModel(narrow, "q8_0")).toThrow('quantizeModel: wte has shape [5, 48], whose last axis is not a multiple of 32 (q8_0 stores blocks of 32); keep it in "f32" or "f16" with options.keep');
    expect((quantizeModel(narrow, "q8_0", { keep: () => "f16" }).wte as { type: string }).type).toBe("f16");
    const smolShaped = initLlama({ vocabSize: 8, blockSize: 4, nLayer: 1, nHead: 9, nKvHead: 3, nEmbd: 576, intermediateSize: 1536 }, createRng(1));
    expect(() => quantizeModel(smolShaped, "q4_k")).toThrow(`quantizeModel: wte has shape [8, 576], whose last axis is not a multiple of 256 (q4_k stores blocks of 256); keep it in "q5_0" (llama.cpp's fallback for q4_k) with options.keep`);
    const mixed = quantizeModel(smolShaped, "q4_k", { keep: (_, t) => (t.shape[1] % 256 === 0 ? undefined : "q5_0") }) as LlamaParams<Weight>;
    expect([(mixed.h[0].mlp.down.weight as { type: string }).type, (mixed.h[0].mlp.up.weight as { type: string }).type]).toEqual(["q4_k", "q5_0"]);
    expect(() => quantizeModel(gpt, "q3_k" as never)).toThrow(/^quantizeModel: type must be one of "f32", .*got the string "q3_k"$/);
    expect(() => quantizeModel(gpt, "q8_0", { keeep: () => undefined } as never)).toThrow(/quantizeModel: .*keeep/);
    expect(() => quantizeModel(gpt, "q8_0", { keep: () => "q9" as never })).toThrow('quantizeModel: keep("wte") returned the string "q9", expected a weight type or undefined');
  });
});

describe("forwards over stored weights", () => {
  for (const type of TYPES) {
    it(`${type}: the kernel-level forward (a workspace) equals the lesson forward, for both families`, () => {
      const g = quantizeModel(gpt, type), l = quantizeModel(llama, type);
      expectClose(gptForward(g, ids, { workspace: createGptWorkspace(g.config, { tokens: 8 }) }).data, gptForward(g, ids).data, { atol: 1e-6, rtol: 1e-6 });
      expectClose(llamaForward(l, ids, { workspace: createLlamaWorkspace(l.config, { tokens: 8 }) }).data, llamaForward(l, ids).data, { atol: 1e-6, rtol: 1e-6 });
    });

    it(`${type}: logits stay close to those of the dequantized float32 model (equal where the product is the float reference)`, () => {
      for (const [p, forward] of [[gpt, gptForward], [llama, llamaForward]] as const) {
        const q = quantizeModel(p as never, type) as GptParams<Weight> & LlamaParams<Weight>;
        const got = (forward as (p: unknown, ids: number[]) => Tensor)(q, ids).data, want = (forward as (p: unknown, ids: number[]) => Tensor)(dequantized(q), ids).data;
        const integer = process.env.TP_KERNELS !== "js" && type.startsWith("q"); // activations meet these weights as int8
        let worst = 0;
        for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
        expect(worst).toBeLessThanOrEqual(integer ? 0.02 * maxAbs(want) : 1e-5 * (1 + maxAbs(want)));
      }
    });
  }

  it("generate over stored weights gives the greedy ids of full forwards over the same weights (the KV cache path)", () => {
    for (const [p, forward] of [[gpt, gptForward], [llama, llamaForward]] as const) {
      const q = quantizeModel(p as never, "q8_0");
      const out = [...generate(q, [1, 2, 3], { maxNewTokens: 6, temperature: 0 })];
      const seq = [1, 2, 3];
      for (let i = 0; i < 6; i++) {
        const logits = (forward as (p: unknown, ids: number[], o: object) => Tensor)(q, seq, { logits: "last" }).data;
        seq.push(logits.indexOf(Math.max(...logits)));
      }
      expect(out).toEqual(seq.slice(3));
    }
  });

  it("residentParams keeps a stored model's bytes in the kernels' memory, and generate reads them there", () => {
    const q = quantizeModel(llama, "q4_0"), r = residentParams(q);
    const want = [...generate(q, [4, 5], { maxNewTokens: 5, temperature: 0 })];
    expect([...generate(r, [4, 5], { maxNewTokens: 5, temperature: 0 })]).toEqual(want);
    if (process.env.TP_KERNELS !== "js") expect(isResidentParams(r)).toBe(true);
  });

  it("training refuses stored weights, naming the tensor", () => {
    const q = quantizeModel(gpt, "q8_0");
    expect(() => gptLossAndGrads(q as never, [1, 2], [2, 3])).toThrow(/gptLossAndGrads: params do not fit the config: params\.wte is a q8_0 QuantizedTensor, expected float32 \[40, 64\] \(training and this call read float32 weights: dequantize it first\)/);
  });
});
