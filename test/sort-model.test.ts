// The real trained model: minGPT's gpt-nano trained in PyTorch on the sort task
// (scripts/python/train_sort.py → examples/assets/sort-model.safetensors).
import { describe, expect, it } from "vitest";
import { generate, gptForward, gptFromStateDict, loadSafetensors, safetensorsMetadata } from "../src/index";
import { expectClose } from "./helpers/close";
import { fixtureBytes, modelRef } from "./helpers/reference";

const bytes = fixtureBytes("examples/assets/sort-model.safetensors");
const config = JSON.parse(safetensorsMetadata(bytes).config);
const params = gptFromStateDict(loadSafetensors(bytes), config);

describe("the sort model", () => {
  it("loads as 3 layers, 3 heads, 48 channels with an untied head", () => {
    expect(config).toMatchObject({ vocabSize: 3, blockSize: 11, nLayer: 3, nHead: 3, nEmbd: 48 });
    expect(params.lmHead?.shape).toEqual([3, 48]);
  });

  it("gptForward matches PyTorch's float32 logits (within 1e-4 on logits of magnitude ~20)", () => {
    // PyTorch ran in float32 with its own summation order; both sides carry ~1e-6 relative error
    // per op through 3 layers, so 1e-4 absolute (5e-6 relative) is the honest bound here.
    const c = modelRef("sortModel");
    c.seqs.forEach((seq: number[], i: number) => {
      const n = seq.length * 3;
      expectClose(gptForward(params, seq), c.logits.data.slice(i * n, (i + 1) * n), { atol: 1e-4, rtol: 1e-5 });
    });
  });

  it("generate sorts all 729 inputs exactly (greedy)", () => {
    let sorted = 0;
    const failures: string[] = [];
    for (let n = 0; n < 729; n++) {
      const input = Array.from({ length: 6 }, (_, i) => Math.floor(n / 3 ** (5 - i)) % 3);
      const output = [...generate(params, input, { maxNewTokens: 6, temperature: 0 })];
      if (output.join() === [...input].sort().join()) sorted++;
      else failures.push(`${input.join("")} → ${output.join("")}`);
    }
    expect(failures).toEqual([]);
    expect(sorted).toBe(729);
  });
});
