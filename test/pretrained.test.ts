// The shipped model and the model presets (issue 12, items 11 and 13).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  GPT2_CONFIGS, countParameters, generate, gptConfigFromMetadata, initGpt, createRng, loadSafetensors, safetensorsMetadata, saveSafetensors,
} from "../src/index";
import { SORT_MODEL_LETTERS, sortModel, sortModelSafetensors } from "../src/pretrained/index";

describe("transformer-primitives/pretrained", () => {
  it("sortModelSafetensors() is the repository's checkpoint, byte for byte, fresh on each call", () => {
    const file = new Uint8Array(readFileSync(new URL("../examples/assets/sort-model.safetensors", import.meta.url)));
    const a = sortModelSafetensors();
    expect(a).toEqual(file);
    a[100] ^= 1;
    expect(sortModelSafetensors()).toEqual(file);
  });

  it("sortModel() sorts, and each call gives parameters of its own", () => {
    const out = [...generate(sortModel(), [2, 1, 0, 1, 0, 2], { maxNewTokens: 6, temperature: 0 })];
    expect(out.map((i) => SORT_MODEL_LETTERS[i]).join("")).toBe("AABBCC");
    const a = sortModel(), b = sortModel();
    expect(a.wte.data).not.toBe(b.wte.data);
  });

  it("nothing in the library's root imports it (the weights reach only a bundle that asks)", () => {
    const root = readFileSync(new URL("../src/index.ts", import.meta.url), "utf8");
    expect(root).not.toMatch(/pretrained/);
  });
});

describe("GPT2_CONFIGS", () => {
  it("has GPT-2's four shapes: parameter counts as Hugging Face reports them", () => {
    expect(countParameters(GPT2_CONFIGS.small)).toBe(124_439_808);
    expect(countParameters(GPT2_CONFIGS.medium)).toBe(354_823_168);
    expect(countParameters(GPT2_CONFIGS.large)).toBe(774_030_080);
    expect(countParameters(GPT2_CONFIGS.xl)).toBe(1_557_611_200);
  });

  it("is frozen: a preset cannot be changed for everyone by accident", () => {
    expect(() => { (GPT2_CONFIGS.small as { nLayer: number }).nLayer = 1; }).toThrow(TypeError);
    expect(GPT2_CONFIGS.small.nLayer).toBe(12);
  });
});

describe("gptConfigFromMetadata", () => {
  const file = (metadata: Record<string, string>) => safetensorsMetadata(saveSafetensors({ w: { data: new Float32Array(1), shape: [1] } }, metadata));

  it("reads the config a checkpoint carries (the sort model's)", () => {
    expect(gptConfigFromMetadata(safetensorsMetadata(sortModelSafetensors()))).toMatchObject({ vocabSize: 3, blockSize: 11, nLayer: 3, nHead: 3, nEmbd: 48 });
  });

  it("a checkpoint without one (Hugging Face's) is a clear error pointing at GPT2_CONFIGS, not JSON.parse(undefined)", () => {
    expect(() => gptConfigFromMetadata(file({ format: "pt" }))).toThrow('gptConfigFromMetadata: the checkpoint\'s metadata has no "config" entry (it has "format"); Hugging Face checkpoints carry none: pass the model\'s shape instead, e.g. GPT2_CONFIGS.small');
    expect(() => gptConfigFromMetadata({})).toThrow('has no "config" entry (it has none)');
  });

  it("a config that is not JSON, or not a config, is an error naming the field", () => {
    expect(() => gptConfigFromMetadata(file({ config: "{nope" }))).toThrow('gptConfigFromMetadata: metadata.config is not JSON: "{nope"');
    expect(() => gptConfigFromMetadata(file({ config: JSON.stringify({ vocabSize: 3, blockSize: 4, nLayer: 1, nHead: 1, nEmbd: 4, n_layer: 2 }) })))
      .toThrow('gptConfigFromMetadata: unknown config field "n_layer" (did you mean "nLayer"?)');
    expect(() => gptConfigFromMetadata(file({ config: JSON.stringify({ vocabSize: 3, blockSize: 4, nLayer: 1, nHead: 3, nEmbd: 4 }) })))
      .toThrow("config.nEmbd = 4 is not divisible by config.nHead = 3");
  });

  it("every config is checked for unknown fields: a misspelt one is not silently dropped", () => {
    expect(() => initGpt({ vocabSize: 3, blockSize: 4, nLayer: 1, nHead: 1, nEmbd: 4, biass: false } as never, createRng(0)))
      .toThrow('initGpt: unknown config field "biass" (did you mean "bias"?)');
    expect(loadSafetensors(sortModelSafetensors())["transformer.wte.weight"].shape).toEqual([3, 48]);
  });
});
