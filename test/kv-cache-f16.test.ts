// A KV cache in binary16 (generate's kvCache: "f16"): every cached key and value is the float32
// cache's rounded to the nearest binary16, whether widened in WebAssembly or in JavaScript; a
// generation's log-probs stay within a stated distance of the float32 cache's; it holds half the bytes.
import { describe, expect, it } from "vitest";
import { createRng, generate, initGpt, initLlama, logSoftmax, tensor, wasmStatus, type GptParams, type LlamaParams } from "../src/index";
import { floatToHalf, halfToFloat } from "../src/kernels/half";
import { llamaLM } from "../src/llama/lm";
import { gptLM } from "../src/gpt/lm";
import { llamaCacheIn, llamaForwardKernels, llamaWorkspaceIn } from "../src/llama/workspace";
import { resolveLlamaConfig } from "../src/llama/config";
import { forwardInWorkspace, gptCacheIn, gptWorkspaceIn } from "../src/gpt/workspace";
import { resolveConfig } from "../src/gpt/config";
import { halvesIn } from "../src/backend/resident";
import { residency } from "../src/backend/index";

const rounded = (a: Float32Array, n: number) => Array.from(a.subarray(0, n), (v) => halfToFloat(floatToHalf(v)));

const sharp = <P extends LlamaParams | GptParams>(p: P): P => { // attention that depends on the keys: rounding them shows
  for (const b of p.h) {
    const ws = "attn" in b && "q" in b.attn ? [b.attn.q.weight, b.attn.k.weight] : [(b.attn as GptParams["h"][0]["attn"]).cAttn.weight];
    for (const w of ws) w.data.forEach((v, i) => (w.data[i] = v * 8));
  }
  return p;
};

describe("a KV cache in binary16", () => {
  const llama = sharp(initLlama({ vocabSize: 48, blockSize: 32, nLayer: 1, nHead: 4, nKvHead: 2, nEmbd: 32, intermediateSize: 64 }, createRng(1)));
  const gpt = sharp(initGpt({ vocabSize: 48, blockSize: 32, nLayer: 1, nHead: 4, nEmbd: 32 }, createRng(2)));

  for (const where of ["JavaScript arrays", "the kernels' memory"] as const) {
    it(`holds each key and value of the float32 cache rounded to the nearest binary16, after a prompt and after a step (${where})`, () => {
      const res = where === "JavaScript arrays" ? null : residency();
      const floats = res ? (n: number) => res.floats(n) : (n: number) => new Float32Array(n);
      try {
        const c = resolveLlamaConfig("test", llama.config), ws = llamaWorkspaceIn(c, 8, floats, 1);
        const full = llamaCacheIn(c, floats), half = llamaCacheIn(c, floats, halvesIn(res));
        const n = (T: number) => T * c.nEmbd / c.nHead; // one head's rows 0 … T
        for (const [ids, T] of [[[3, 1, 4, 1, 5, 9, 2], 7], [[6], 1]] as const) {
          llamaForwardKernels(ws, llama, c, ids, T, full, "last");
          llamaForwardKernels(ws, llama, c, ids, T, half, "last");
          const filled = full.length, rows = c.blockSize * n(1);
          for (let h = 0; h < c.nKvHead; h++) {
            expect(Array.from(half.layers[0].k.subarray(h * rows, h * rows + n(filled)))).toEqual(rounded(full.layers[0].k.subarray(h * rows), n(filled)));
            expect(Array.from(half.layers[0].v.subarray(h * rows, h * rows + n(filled)))).toEqual(rounded(full.layers[0].v.subarray(h * rows), n(filled)));
          }
        }
        const g = resolveConfig("test", gpt.config), gws = gptWorkspaceIn(g, 8, floats, 1);
        const gFull = gptCacheIn(g, floats), gHalf = gptCacheIn(g, floats, halvesIn(res));
        forwardInWorkspace(gpt, g, [1, 2, 3, 4, 5], 5, gFull, gws, "last");
        forwardInWorkspace(gpt, g, [1, 2, 3, 4, 5], 5, gHalf, gws, "last");
        expect(Array.from(gHalf.layers[0].k.subarray(0, 5 * 8))).toEqual(rounded(gFull.layers[0].k, 5 * 8));
        expect(Array.from(gHalf.layers[0].v.subarray(0, 5 * 8))).toEqual(rounded(gFull.layers[0].v, 5 * 8));
        expect(gHalf.layers[0].k).not.toEqual(gFull.layers[0].k); // the rounding is there to see
      } finally {
        res?.release();
      }
    });
  }

  it("a generation's log-probs over 60 steps stay within 1e-3 of the float32 cache's (both families, 3 layers, sharp attention)", () => {
    const models = [
      [llamaLM, sharp(initLlama({ vocabSize: 64, blockSize: 96, nLayer: 3, nHead: 4, nKvHead: 2, nEmbd: 64, intermediateSize: 128 }, createRng(3)))],
      [gptLM, sharp(initGpt({ vocabSize: 64, blockSize: 96, nLayer: 3, nHead: 4, nEmbd: 64 }, createRng(4)))],
    ] as const;
    for (const [lm, params] of models) {
      const res = residency();
      try {
        const a = (lm.session as (p: unknown, ...r: unknown[]) => ReturnType<typeof llamaLM.session>)(params, 16, res, true, "f32");
        const b = (lm.session as (p: unknown, ...r: unknown[]) => ReturnType<typeof llamaLM.session>)(params, 16, res, true, "f16");
        a.forward([1, 2, 3, 4], 4, "none");
        b.forward([1, 2, 3, 4], 4, "none");
        let max = 0, seen = 0;
        for (let t = 0; t < 60; t++) {
          const id = (t * 37 + 5) % 64;
          a.forward([id], 1, "last");
          b.forward([id], 1, "last");
          const la = logSoftmax(tensor(a.logits.slice(), [64])).data, lb = logSoftmax(tensor(b.logits.slice(), [64])).data;
          for (let i = 0; i < 64; i++) { max = Math.max(max, Math.abs(la[i] - lb[i])); seen = Math.max(seen, Math.abs(la[i] - la[0])); }
        }
        expect(max).toBeLessThan(1e-3);
        expect(max).toBeGreaterThan(0); // the cache is rounded
        expect(seen).toBeGreaterThan(0.05); // on distributions that are not flat
      } finally {
        res.release();
      }
    }
  });

  it("generate with kvCache: \"f16\" holds half the cache's bytes while it runs, and refuses other types", () => {
    const params = initLlama({ vocabSize: 32, blockSize: 512, nLayer: 8, nHead: 4, nKvHead: 4, nEmbd: 64, intermediateSize: 64 }, createRng(5));
    const held = (kvCache: "f32" | "f16") => {
      const it = generate(params, [1, 2], { maxNewTokens: 3, temperature: 0, kvCache });
      it.next();
      const bytes = wasmStatus().residentBytes;
      it.return();
      return bytes;
    };
    const n = 512 * 64; // one layer's keys (or values): 512 positions, 64 wide
    // float32: 8 layers × k and v × 4 bytes; binary16: 2 bytes each, plus one float32 copy of k and v
    if (wasmStatus().enabled) expect(held("f32") - held("f16")).toBe(8 * 2 * n * 4 - (8 * 2 * n * 2 + 2 * n * 4));
    expect([...generate(params, [1, 2], { maxNewTokens: 4, temperature: 0, kvCache: "f16" })]).toHaveLength(4);
    expect(() => generate(params, [1], { maxNewTokens: 1, temperature: 0, kvCache: "bf16" as never })).toThrow('generate: kvCache must be "f32" or "f16", got the string "bf16"');
  });
});
