// residentParams: a model kept in the kernels' memory, read where it is by generate.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createRng, generate, initGpt, initLlama, residentParams, wasmStatus } from "../src/index";
import { wasmBackend } from "../src/backend/index";

const gpt = initGpt({ vocabSize: 40, blockSize: 32, nLayer: 2, nHead: 2, nEmbd: 16 }, createRng(7));
const llama = initLlama({ vocabSize: 40, blockSize: 32, nLayer: 2, nHead: 4, nKvHead: 2, nEmbd: 16, intermediateSize: 24 }, createRng(8));
const inKernelMemory = () => wasmStatus().sharedMemory && wasmStatus().enabled;

describe("residentParams(params)", () => {
  it("copies every tensor into the kernels' memory (where it is shared), values unchanged, the original untouched", () => {
    const model = residentParams(gpt);
    if (!inKernelMemory()) {
      expect(model).toBe(gpt); // nothing to gain: the same params
      return;
    }
    expect(model).not.toBe(gpt);
    const be = wasmBackend()!;
    expect(be.mem.holds(model.h[1].mlp.cFc.weight.data)).toBe(true);
    expect(be.mem.holds(model.lnF.weight.data)).toBe(true);
    expect(be.mem.holds(gpt.wte.data)).toBe(false);
    expect(Array.from(model.h[1].mlp.cFc.weight.data)).toEqual(Array.from(gpt.h[1].mlp.cFc.weight.data));
    expect(model.config).toEqual(gpt.config);
  });

  it("generate over it gives the ids generate gives over the original, for both families, and keeps no second copy of the weights", () => {
    for (const params of [gpt, llama] as const) {
      const want = [...generate(params, [1, 2, 3], { maxNewTokens: 8, temperature: 0 })];
      const model = residentParams(params);
      const kept = wasmStatus().residentBytes;
      const steps = generate(model, [1, 2, 3], { maxNewTokens: 8, temperature: 0 });
      const got = [steps.next().value as number];
      const during = wasmStatus().residentBytes - kept; // the generation's own: cache and workspace (and weights, if it copied them)
      got.push(...steps);
      expect(got).toEqual(want);
      if (inKernelMemory()) {
        const copying = generate(params, [1, 2, 3], { maxNewTokens: 2, temperature: 0 });
        copying.next();
        const withWeights = wasmStatus().residentBytes - kept;
        copying.return();
        // the copying generation holds the weights as well: at least the blocks' matrices more
        expect(withWeights - during).toBeGreaterThanOrEqual(4 * 2 * 16 * 16 * 4);
      }
    }
  });

  it("gives its memory back once its tensors are garbage", () => {
    const flags = process.env.TP_KERNELS === "fma" ? ["--experimental-wasm-relaxed-simd"] : [];
    const r = spawnSync(process.execPath, [...flags, "--expose-gc", "--import", "tsx", "test/helpers/resident-gc.ts"], {
      encoding: "utf8", env: { ...process.env },
    });
    expect(r.status, r.stderr).toBe(0);
    const { before, held, after } = JSON.parse(r.stdout.trim().split("\n").pop()!);
    if (process.env.TP_KERNELS === "js") return; // the child runs WebAssembly: only the default paths measure it
    expect(held).toBeGreaterThan(before);
    expect(after).toBe(before);
  });
});
