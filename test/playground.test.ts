// The playground's model loader and walk (examples/playground/models.ts, walk.ts), in Node: a
// checkpoint in Hugging Face's layout gives the same logits as the parameters it was made from, and
// every file a visitor can get wrong is a clear message.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as lib from "../src/index";
import { gptForward, llamaForward, type GptParams, type LlamaParams } from "../src/index";
import { charPlaygroundModel, modelFromBlobs, modelFromFiles, residentModel, sortPlaygroundModel, type PickedFile } from "../examples/playground/models";
import { visible, walk, walkLayer } from "../examples/playground/walk";
// @ts-expect-error: a plain .mjs helper shared with the browser test
import { gpt2Files, llamaFiles } from "../scripts/browser-fixtures.mjs";

type Fixture = { files: { name: string; buffer: Buffer }[]; params: unknown };
const picked = (f: Fixture): PickedFile[] => f.files.map((x) => ({ name: x.name, bytes: new Uint8Array(x.buffer) }));
const charBytes = () => new Uint8Array(readFileSync(new URL("../examples/assets/char-model.safetensors", import.meta.url)));

describe("the playground's loader", () => {
  it("reads a Hugging Face GPT-2 checkpoint (Conv1D weights) to the logits of the parameters it was saved from", () => {
    const fixture = gpt2Files(lib) as Fixture;
    const model = modelFromFiles(picked(fixture));
    expect(model.family).toBe("gpt");
    const ids = model.tokenizer.encode("The capital of France");
    expect(ids.length).toBeGreaterThan(2);
    expect(Array.from(model.forward(ids, {}).data)).toEqual(Array.from(gptForward(fixture.params as GptParams, ids).data));
  });

  it("reads a Hugging Face Llama checkpoint with grouped-query attention to the same logits", () => {
    const fixture = llamaFiles(lib) as Fixture;
    const model = modelFromFiles(picked(fixture));
    expect(model.family).toBe("llama");
    const ids = model.tokenizer.encode("Paris is");
    expect(Array.from(model.forward(ids, {}).data)).toEqual(Array.from(llamaForward(fixture.params as LlamaParams, ids).data));
  });

  it("reads a Llama whose config is in the safetensors metadata (this library's LlamaConfig), without a config.json", () => {
    const fixture = llamaFiles(lib) as Fixture & { config: lib.LlamaConfig };
    const record = lib.loadSafetensors(new Uint8Array(fixture.files[0].buffer));
    const bytes = lib.saveSafetensors(record, { config: JSON.stringify(fixture.config) });
    const model = modelFromFiles([{ name: "llama.safetensors", bytes }, picked(fixture)[2]]);
    const ids = model.tokenizer.encode("Paris is");
    expect(model.family).toBe("llama");
    expect(Array.from(model.forward(ids, {}).data)).toEqual(Array.from(llamaForward(fixture.params as LlamaParams, ids).data));
  });

  it("reads the files a visitor picks from their Blobs (the weights a chunk at a time) to the model their bytes give, and the same errors", async () => {
    const blobs = (files: PickedFile[]) => files.map((f) => ({ name: f.name, blob: new Blob([f.bytes.slice()]) }));
    for (const fixture of [gpt2Files(lib), llamaFiles(lib)] as Fixture[]) {
      // both resident (where the kernels' memory is shared), so both run the same kernels
      const want = residentModel(modelFromFiles(picked(fixture))), got = residentModel(await modelFromBlobs(blobs(picked(fixture))));
      const ids = want.tokenizer.encode("Paris is");
      expect(got.tokenizer.encode("Paris is")).toEqual(ids);
      expect(Array.from(got.forward(ids, {}).data)).toEqual(Array.from(want.forward(ids, {}).data));
    }
    const tokenizer = lib.trainBpe("The capital of France is Paris. ".repeat(20), 300, { pattern: lib.PATTERNS.cl100k_base });
    const llama = lib.initLlama({ vocabSize: tokenizer.vocabSize, blockSize: 32, nLayer: 2, nHead: 4, nKvHead: 2, nEmbd: 32, intermediateSize: 64 }, lib.createRng(5));
    const gguf = { name: "small.gguf", bytes: lib.modelToGguf(llama, { type: "q8_0", tokenizer }) };
    const [want, got] = [residentModel(modelFromFiles([gguf])), residentModel(await modelFromBlobs(blobs([gguf])))];
    expect(got.family).toBe("llama");
    const ids = want.tokenizer.encode("The capital");
    expect(Array.from(got.forward(ids, {}).data)).toEqual(Array.from(want.forward(ids, {}).data));
    const [weights, config] = picked(gpt2Files(lib) as Fixture);
    await expect(modelFromBlobs(blobs([weights, config]))).rejects.toThrow(/no tokenizer for model\.safetensors: add its tokenizer\.json/);
    await expect(modelFromBlobs(blobs([{ name: "broken.safetensors", bytes: new TextEncoder().encode("not a safetensors file") }]))).rejects.toThrow(/safetensors/i);
    await expect(modelFromBlobs(blobs([{ name: "short.safetensors", bytes: new Uint8Array(3) }]))).rejects.toThrow(/safetensors/i);
    await expect(modelFromBlobs(blobs([{ name: "broken.gguf", bytes: new TextEncoder().encode("GGUF nope") }]))).rejects.toThrow(/readGguf/);
  });

  it("names what is missing or wrong in the files a visitor picks", () => {
    const gpt2 = picked(gpt2Files(lib) as Fixture);
    const [weights, config, tokenizer] = gpt2;
    expect(() => modelFromFiles([])).toThrow(/no file was given/);
    expect(() => modelFromFiles([weights, config])).toThrow(/no tokenizer for model\.safetensors: add its tokenizer\.json/);
    expect(() => modelFromFiles([weights, tokenizer])).toThrow(/carries no config in its metadata: add the model's config\.json/);
    expect(() => modelFromFiles([config, tokenizer])).toThrow(/no weights among config\.json, tokenizer\.json/);
    expect(() => modelFromFiles([weights, { ...weights, name: "other.safetensors" }])).toThrow(/pick one model at a time/);
    expect(() => modelFromFiles([{ name: "notes.txt", bytes: new Uint8Array(3) }])).toThrow(/notes\.txt: not a file the playground reads/);
    expect(() => modelFromFiles([{ name: "broken.safetensors", bytes: new TextEncoder().encode("not a safetensors file") }])).toThrow(/safetensors/i);
    expect(() => modelFromFiles([weights, { name: "config.json", bytes: new TextEncoder().encode("{ nope") }, tokenizer])).toThrow(/config\.json is not JSON/);
    const bigger = JSON.parse(new TextDecoder().decode(tokenizer.bytes));
    for (let id = Object.keys(bigger.model.vocab).length; id < 1000; id++) bigger.model.vocab[`zz${id}`] = id;
    expect(() => modelFromFiles([weights, config, { name: "tokenizer.json", bytes: new TextEncoder().encode(JSON.stringify(bigger)) }])).toThrow(/tokenizer\.json has 1000 tokens but model\.safetensors embeds/);
  });
});

describe("the playground's walk", () => {
  it("walks the character model: one attention map per layer, residual norms per layer, the 20 likeliest tokens and a greedy answer", () => {
    const model = charPlaygroundModel(charBytes());
    const { overview, taps } = walk(model, "The cat sat");
    const T = 11;
    expect(overview.labels).toEqual([..."The cat sat"].map(visible));
    expect(overview.attention.map((a) => a.shape)).toEqual(Array.from({ length: 4 }, () => [4, T, T]));
    expect(overview.residualNorms).toHaveLength(5);
    expect(overview.positions?.shape).toEqual([128, 128]); // wpe's rows, for the scatter
    expect(Array.from(overview.positions!.data.subarray(0, 128))).toEqual(Array.from((model.params as GptParams).wpe.data.subarray(0, 128)));
    expect(overview.top.ids).toHaveLength(20);
    expect(overview.top.logits.shape).toEqual([T, 20]);
    // the columns are the last row's 20 largest logits, largest first
    const last = Array.from(overview.lastLogits);
    const sorted = [...last].sort((a, b) => b - a);
    expect(overview.top.ids.map((id) => last[id])).toEqual(sorted.slice(0, 20));
    expect(overview.predictions[T - 1][0].label).toBe(overview.top.labels[0]);
    expect(overview.answer).toHaveLength(12);
    const layer = walkLayer(model, taps, 2);
    expect(layer.tensors["attn.q"].shape).toEqual([T, 128]);
    expect(layer.tensors.x).toBe(taps.get("h.1.resid2"));
    expect(() => walkLayer(model, taps, 4)).toThrow(/no layer 4 in this walk \(the model has 4\)/);
  });

  it("gives the greedy answer the sort model was trained for, and refuses what it cannot read", () => {
    const model = sortPlaygroundModel();
    expect(walk(model, "CBABAC").overview.answer.map((s) => s.label).join("")).toBe("AABBCC");
    expect(() => walk(model, "CBA")).toThrow(/3 of 6 letters/);
    expect(() => walk(model, "CBADAC")).toThrow(/"D" is not a letter the model knows/);
    const chars = charPlaygroundModel(charBytes());
    expect(() => walk(chars, "x".repeat(129))).toThrow(/129 characters: the model reads at most 128/);
    expect(() => walk(chars, "🙂")).toThrow(/never seen "🙂"/);
  });

  it("shows a layer's Q, K and V with the heads side by side: [H, T, D] → [T, H·D]", () => {
    const model = sortPlaygroundModel();
    const { taps } = walk(model, "CBABAC");
    const q = taps.get("h.0.attn.q")!, [H, T, D] = q.shape;
    const shown = walkLayer(model, taps, 0).tensors["attn.q"];
    expect(shown.shape).toEqual([T, H * D]);
    for (let t = 0; t < T; t++) for (let h = 0; h < H; h++) for (let d = 0; d < D; d++) expect(shown.data[t * H * D + h * D + d]).toBe(q.data[(h * T + t) * D + d]);
  });
});
