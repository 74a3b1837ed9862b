// GGUF: the format read and written byte for byte, hostile files refused at once, and models through it.
import { describe, expect, it } from "vitest";
import {
  createRng, gptForward, initGpt, initLlama, llamaConfigFromHf, llamaForward, llamaFromStateDict, loadGguf, loadSafetensors,
  modelFromGguf, modelToGguf, PATTERNS, quantize, quantizeModel, saveGguf, tokenizerFromGguf, trainBpe, type GgufValue, type LlamaParams, type Weight,
} from "../src/index";
import { expectClose } from "./helpers/close";
import { fixtureBytes, llamaRef } from "./helpers/reference";

/** GGUF bytes assembled by hand, independently of saveGguf: little-endian fields one after another. */
class Bytes {
  parts: number[] = [];
  u8(...v: number[]) { this.parts.push(...v); return this; }
  u32(v: number) { const b = Buffer.alloc(4); b.writeUInt32LE(v); return this.u8(...b); }
  i32(v: number) { const b = Buffer.alloc(4); b.writeInt32LE(v); return this.u8(...b); }
  u64(v: number | bigint) { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); return this.u8(...b); }
  f32(v: number) { const b = Buffer.alloc(4); b.writeFloatLE(v); return this.u8(...b); }
  str(s: string) { const b = Buffer.from(s, "utf8"); return this.u64(b.length).u8(...b); }
  pad(a: number) { while (this.parts.length % a) this.parts.push(0); return this; }
  get bytes() { return new Uint8Array(this.parts); }
}

/** A small file with one value of every type, a nested array, an alignment of 64, an F32 tensor and a Q8_0 one. */
function handMade(): { bytes: Uint8Array; q8: Uint8Array; f: Float32Array } {
  const b = new Bytes().u8(0x47, 0x47, 0x55, 0x46).u32(3).u64(2).u64(14);
  b.str("general.alignment").u32(4).u32(64);
  b.str("k.u8").u32(0).u8(200); b.str("k.i8").u32(1).u8(0xff); b.str("k.u16").u32(2).u8(0x34, 0x12); b.str("k.i16").u32(3).u8(0xfe, 0xff);
  b.str("k.u32").u32(4).u32(4000000000); b.str("k.i32").u32(5).i32(-7); b.str("k.f32").u32(6).f32(0.5); b.str("k.bool").u32(7).u8(1);
  b.str("k.string").u32(8).str("héllo"); b.str("k.u64").u32(10).u64(2n ** 60n + 1n); b.str("k.i64").u32(11).u8(...Buffer.from(new BigInt64Array([-(2n ** 62n)]).buffer));
  b.str("k.f64").u32(12).u8(...Buffer.from(new Float64Array([Math.PI]).buffer));
  b.str("k.nested").u32(9).u32(9).u64(2).u32(8).u64(1).str("a").u32(4).u64(2).u32(1).u32(2); // [["a"], [1, 2]]
  const f = Float32Array.from({ length: 8 }, (_, i) => i - 3.5);
  const q8 = quantize({ data: Float32Array.from({ length: 64 }, (_, i) => Math.sin(i)), shape: [2, 32] }, "q8_0").bytes;
  b.str("w.f32").u32(2).u64(4).u64(2).u32(0).u64(0);
  b.str("w.q8").u32(2).u64(32).u64(2).u32(8).u64(64);
  b.pad(64);
  b.u8(...new Uint8Array(f.buffer)).pad(64).u8(...q8).pad(64);
  return { bytes: b.bytes, q8, f };
}

describe("loadGguf and saveGguf", () => {
  it("read every value type with its type (u64/i64 as exact bigints, arrays nested), the alignment, and the tensors as views", () => {
    const { bytes, q8, f } = handMade();
    const g = loadGguf(bytes);
    expect(g.version).toBe(3);
    const m = g.metadata;
    expect(m["k.u8"]).toEqual({ type: "u8", value: 200 });
    expect(m["k.i8"]).toEqual({ type: "i8", value: -1 });
    expect(m["k.u16"]).toEqual({ type: "u16", value: 0x1234 });
    expect(m["k.i16"]).toEqual({ type: "i16", value: -2 });
    expect(m["k.u32"]).toEqual({ type: "u32", value: 4000000000 });
    expect(m["k.i32"]).toEqual({ type: "i32", value: -7 });
    expect(m["k.f32"]).toEqual({ type: "f32", value: 0.5 });
    expect(m["k.bool"]).toEqual({ type: "bool", value: true });
    expect(m["k.string"]).toEqual({ type: "string", value: "héllo" });
    expect(m["k.u64"]).toEqual({ type: "u64", value: 2n ** 60n + 1n });
    expect(m["k.i64"]).toEqual({ type: "i64", value: -(2n ** 62n) });
    expect(m["k.f64"]).toEqual({ type: "f64", value: Math.PI });
    expect(m["k.nested"]).toEqual({ type: "array", itemType: "array", value: [{ type: "array", itemType: "string", value: ["a"] }, { type: "array", itemType: "u32", value: new Uint32Array([1, 2]) }] });
    expect(Object.keys(m)[0]).toBe("general.alignment"); // file order
    expect(g.tensors["w.f32"]).toEqual({ data: f, shape: [2, 4] }); // ne {4, 2} reversed
    const w = g.tensors["w.q8"] as { type: string; shape: number[]; bytes: Uint8Array };
    expect(w.type).toBe("q8_0");
    expect(w.shape).toEqual([2, 32]);
    expect(Array.from(w.bytes)).toEqual(Array.from(q8));
    expect(w.bytes.buffer).toBe(bytes.buffer); // a view of the file
  });

  it("saveGguf(loadGguf(x)) gives x's bytes back", () => {
    const { bytes } = handMade();
    expect(Buffer.from(saveGguf(loadGguf(bytes))).equals(Buffer.from(bytes))).toBe(true);
    const model = modelToGguf(quantizeModel(initLlama({ vocabSize: 40, blockSize: 16, nLayer: 1, nHead: 2, nEmbd: 64, intermediateSize: 64 }, createRng(2)), "q4_0"));
    expect(Buffer.from(saveGguf(loadGguf(model))).equals(Buffer.from(model))).toBe(true);
  });

  it("refuses hostile files at once, naming what is wrong, without allocating what they claim", () => {
    const { bytes } = handMade();
    const edit = (at: number, ...v: number[]) => { const b = bytes.slice(); b.set(v, at); return b; };
    const u64 = (v: bigint) => Array.from(Buffer.from(new BigUint64Array([v]).buffer));
    expect(() => loadGguf(new Uint8Array([0x47, 0x47]))).toThrow("loadGguf: the file ends inside the magic");
    expect(() => loadGguf(edit(0, 0x67, 0x67, 0x6a, 0x74))).toThrow('loadGguf: the file starts with "ggjt", expected "GGUF" (not a GGUF file: an older ggml format)');
    expect(() => loadGguf(edit(4, 1))).toThrow("loadGguf: version 1, expected 2 or 3 (version 1 used 32-bit counts; convert it with a current llama.cpp)");
    expect(() => loadGguf(edit(4, 4))).toThrow("loadGguf: version 4, expected 2 or 3");
    expect(() => loadGguf(edit(8, ...u64(2n ** 40n)))).toThrow(`loadGguf: the header claims ${2 ** 40} tensors, more than the`);
    expect(() => loadGguf(edit(16, ...u64(2n ** 40n)))).toThrow(`loadGguf: the header claims ${2 ** 40} metadata entries`);
    expect(() => loadGguf(edit(24, ...u64(2n ** 40n)))).toThrow("loadGguf: the file ends inside metadata key 0");
    expect(() => loadGguf(edit(24, ...u64(2n ** 62n)))).toThrow(`loadGguf: the length of metadata key 0 is ${2n ** 62n}, more than any file can hold`);
    const keyLen = 8 + "general.alignment".length;
    expect(() => loadGguf(edit(24 + keyLen, 13))).toThrow('loadGguf: "general.alignment" has value type 13, expected 0 … 12');
    expect(() => loadGguf(edit(24 + keyLen + 4, 3))).toThrow("loadGguf: general.alignment must be a u32 power of two, got u32 3");
    // every prefix of the file is refused (truncation anywhere), quickly
    const t0 = performance.now(); // (the last 60 bytes are the padding after the last tensor: a file may end without it)
    for (let n = 0; n < bytes.length - 60; n += 7) expect(() => loadGguf(bytes.subarray(0, n)), `prefix ${n}`).toThrow(RangeError);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it("refuses bad tensor tables: unknown and unread types by name, more than 4 dimensions, misaligned, overlapping or out-of-file data, duplicates", () => {
    const table = (tensors: { name: string; ne: number[]; type: number; offset: number }[], dataBytes: number, extraKey = false) => {
      const b = new Bytes().u8(0x47, 0x47, 0x55, 0x46).u32(3).u64(tensors.length).u64(extraKey ? 2 : 1);
      b.str("a").u32(4).u32(1);
      if (extraKey) b.str("a").u32(4).u32(2);
      for (const t of tensors) { b.str(t.name).u32(t.ne.length); t.ne.forEach((d) => b.u64(d)); b.u32(t.type).u64(t.offset); }
      b.pad(32);
      b.u8(...new Uint8Array(dataBytes));
      return b.bytes;
    };
    const ok = { name: "t", ne: [32], type: 0, offset: 0 };
    expect(loadGguf(table([ok], 128)).tensors.t.shape).toEqual([32]);
    expect(() => loadGguf(table([ok], 128, true))).toThrow('loadGguf: metadata key "a" appears twice');
    expect(() => loadGguf(table([{ ...ok, type: 10 }], 256))).toThrow('loadGguf: tensor "t" has ggml type 10 (Q2_K), which this library does not read (it reads f32, f16, q4_0, q4_1, q5_0, q5_1, q8_0, q4_k, q5_k, q6_k, bf16)');
    expect(() => loadGguf(table([{ ...ok, type: 99 }], 256))).toThrow('loadGguf: tensor "t" has ggml type 99, which this library does not read');
    expect(() => loadGguf(table([{ ...ok, ne: [1, 1, 1, 1, 32] }], 128))).toThrow('loadGguf: tensor "t" has 5 dimensions, at most 4 (GGML_MAX_DIMS)');
    expect(() => loadGguf(table([{ ...ok, offset: 4 }], 160))).toThrow('loadGguf: tensor "t" starts at offset 4, not a multiple of the alignment 32');
    expect(() => loadGguf(table([ok, { ...ok, name: "u", offset: 96 }], 128))).toThrow('loadGguf: tensor "u" needs bytes 96 … 224 of the data, which has 128 (a truncated file?)');
    expect(() => loadGguf(table([ok, { ...ok, name: "u", offset: 64 }], 256))).toThrow('loadGguf: tensors "t" and "u" overlap');
    expect(() => loadGguf(table([ok, { ...ok, offset: 128 }], 256))).toThrow('loadGguf: tensor "t" appears twice');
    expect(() => loadGguf(table([{ ...ok, type: 8, ne: [48] }], 256))).toThrow('loadGguf: tensor "t" has 48 values a row, not a multiple of q8_0\'s block of 32');
    expect(() => loadGguf(table([{ ...ok, ne: [2 ** 30, 2 ** 30, 2 ** 30] }], 128))).toThrow('loadGguf: tensor "t" has ne {1073741824, 1073741824, 1073741824}, more values than any file can hold');
  });

  it("saveGguf refuses values that do not fit their type, by key", () => {
    const one = (v: GgufValue) => () => saveGguf({ metadata: { k: v }, tensors: {} });
    expect(one({ type: "u8", value: 256 })).toThrow('saveGguf: metadata "k" of type u8 has value 256, expected an integer in 0 … 255');
    expect(one({ type: "u64", value: 5 as never })).toThrow('saveGguf: metadata "k" of type u64 has value 5, expected a bigint');
    expect(one({ type: "q8" as never, value: 1 } as never)).toThrow('saveGguf: metadata "k" has type the string "q8", expected one of u8, i8');
    expect(() => saveGguf({ metadata: { "general.alignment": { type: "u32", value: 48 } }, tensors: {} })).toThrow("saveGguf: general.alignment must be a u32 power of two, got u32 48");
  });
});

describe("models through GGUF", () => {
  for (const name of ["gqa", "mqa", "mha"]) {
    it(`${name}: a Hugging Face checkpoint written as llama.cpp's converter writes it gives the checkpoint's logits back (the Q/K permutation undone)`, () => {
      const c = llamaRef(name);
      const params = llamaFromStateDict(loadSafetensors(fixtureBytes(`test/fixtures/llama-${name}.safetensors`)), llamaConfigFromHf(c.config));
      const file = loadGguf(modelToGguf(params));
      expect(file.metadata["general.architecture"].value).toBe("llama");
      const q = file.tensors["blk.0.attn_q.weight"] as { data: Float32Array }, D = 32 / params.config.nHead;
      // the converter's order: row 1 of each head holds the checkpoint's row D/2 (the pairs RoPE rotates, interleaved)
      expect(Array.from(q.data.subarray(32, 64))).toEqual(Array.from(params.h[0].attn.q.weight.data.subarray((D / 2) * 32, (D / 2 + 1) * 32)));
      const back = modelFromGguf(file) as LlamaParams<Weight>;
      expect(back.config).toMatchObject({ nLayer: params.config.nLayer, nHead: params.config.nHead, nKvHead: params.config.nKvHead ?? params.config.nHead, eps: params.config.eps ?? 1e-6 });
      expectClose(llamaForward(back, c.ids), c.logits, { atol: 5e-5, rtol: 5e-5 });
    });
  }

  it("a quantized model round-trips: the same bytes, the same logits, for both families", () => {
    const llama = quantizeModel(initLlama({ vocabSize: 40, blockSize: 16, nLayer: 2, nHead: 4, nKvHead: 2, nEmbd: 64, intermediateSize: 96 }, createRng(3)), "q8_0", { keep: (p) => (p === "wte" ? "q4_0" : undefined) });
    const back = modelFromGguf(loadGguf(modelToGguf(llama))) as LlamaParams<Weight>;
    expect(back.config.eps).toBe(1e-6); // stored as f32, read back as the config's decimal
    expect((back.wte as { type: string }).type).toBe("q4_0");
    expect(Array.from(llamaForward(back, [1, 5, 9]).data)).toEqual(Array.from(llamaForward(llama, [1, 5, 9]).data));
    const gpt = initGpt({ vocabSize: 40, blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 64 }, createRng(4));
    const file = loadGguf(modelToGguf(gpt, { type: "q5_1" }));
    expect(file.metadata["general.file_type"]).toEqual({ type: "u32", value: 9 }); // LLAMA_FTYPE_MOSTLY_Q5_1
    const g = modelFromGguf(file);
    expect(Array.from(gptForward(g as never, [3, 2, 1]).data)).toEqual(Array.from(gptForward(quantizeModel(gpt, "q5_1"), [3, 2, 1]).data));
  });

  it("a Qwen2-shaped Llama (q/k/v biases) is written as qwen2, unpermuted, and comes back with the same logits", () => {
    const qwen = initLlama({ vocabSize: 40, blockSize: 16, nLayer: 1, nHead: 4, nKvHead: 2, nEmbd: 32, intermediateSize: 48, qkvBias: true }, createRng(6));
    for (const b of qwen.h) for (const t of [b.attn.q.bias!, b.attn.k.bias!]) t.data.forEach((_, i) => (t.data[i] = Math.sin(i)));
    const file = loadGguf(modelToGguf(qwen));
    expect(file.metadata["general.architecture"].value).toBe("qwen2");
    expect(Array.from((file.tensors["blk.0.attn_q.weight"] as { data: Float32Array }).data)).toEqual(Array.from(qwen.h[0].attn.q.weight.data));
    expect(Array.from(llamaForward(modelFromGguf(file) as LlamaParams<Weight>, [1, 2, 3]).data)).toEqual(Array.from(llamaForward(qwen, [1, 2, 3]).data));
  });

  it("modelFromGguf refuses what it does not know, by name", () => {
    const bytes = modelToGguf(initLlama({ vocabSize: 8, blockSize: 8, nLayer: 1, nHead: 1, nEmbd: 32, intermediateSize: 32 }, createRng(5)));
    const with_ = (k: string, v: GgufValue) => { const g = loadGguf(bytes); g.metadata[k] = v; return g; };
    expect(() => modelFromGguf(with_("general.architecture", { type: "string", value: "mamba" }))).toThrow('modelFromGguf: general.architecture is "mamba", expected "llama", "qwen2" or "gpt2"');
    expect(() => modelFromGguf(with_("llama.rope.scaling.type", { type: "string", value: "longrope" }))).toThrow('modelFromGguf: metadata key "llama.rope.scaling.type" is "longrope"; RoPE scaling "longrope" is not supported yet (linear and yarn are, and llama3\'s rope_freqs.weight)');
    expect(() => modelFromGguf(with_("llama.expert_count", { type: "u32", value: 8 }))).toThrow('modelFromGguf: metadata key "llama.expert_count" is not supported');
    const extra = loadGguf(bytes);
    extra.tensors["blk.0.ffn_gate_exps.weight"] = { data: new Float32Array(16), shape: [16] };
    expect(() => modelFromGguf(extra)).toThrow('modelFromGguf: the file has tensors this model does not use: "blk.0.ffn_gate_exps.weight"');
    const missing = loadGguf(bytes);
    delete missing.tensors["blk.0.ffn_up.weight"];
    expect(() => modelFromGguf(missing)).toThrow('modelFromGguf: tensor "blk.0.ffn_up.weight" is missing (expected [32, 32])');
  });

  it("tokenizerFromGguf reads back the tokenizer modelToGguf wrote (the same ids, special tokens as control tokens), and refuses what it does not read", () => {
    const tok = trainBpe("the quick brown fox jumps over the lazy dog, the end. ".repeat(20), 300, { pattern: PATTERNS.cl100k_base, specialTokens: ["<|end|>"] });
    const params = initLlama({ vocabSize: 304, blockSize: 8, nLayer: 1, nHead: 1, nEmbd: 32, intermediateSize: 32 }, createRng(8));
    const gguf = loadGguf(modelToGguf(params, { tokenizer: tok }));
    expect(gguf.metadata["tokenizer.ggml.pre"]).toEqual({ type: "string", value: "llama-bpe" });
    const types = gguf.metadata["tokenizer.ggml.token_type"].value as Int32Array;
    const end = tok.specialTokens["<|end|>"];
    expect([types[0], types[end], types[303]]).toEqual([1, 3, 5]); // normal, control, unused padding up to the model's vocabulary
    const back = tokenizerFromGguf(gguf);
    for (const t of ["the quick brown fox", "lazy dogs, the end.<|end|> again", "ünïcödé 123 4567"]) {
      expect(back.encode(t, { allowedSpecial: "all" })).toEqual(tok.encode(t, { allowedSpecial: "all" }));
      expect(back.encodeOrdinary(t)).toEqual(tok.encodeOrdinary(t));
    }
    const with_ = (k: string, v: GgufValue) => { const g = loadGguf(modelToGguf(params, { tokenizer: tok })); g.metadata[k] = v; return g; };
    expect(() => tokenizerFromGguf(with_("tokenizer.ggml.model", { type: "string", value: "bert" }))).toThrow('tokenizerFromGguf: tokenizer.ggml.model is "bert", expected "gpt2" (byte-level BPE) or "llama" (SentencePiece)');
    expect(() => tokenizerFromGguf(with_("tokenizer.ggml.model", { type: "string", value: "llama" }))).toThrow("tokenizerFromGguf: tokenizer.ggml.scores must be a numeric array of 304 values (one a token); it is missing");
    expect(() => tokenizerFromGguf(with_("tokenizer.ggml.pre", { type: "string", value: "deepseek-coder" }))).toThrow('tokenizerFromGguf: tokenizer.ggml.pre is "deepseek-coder", expected one of "default", "gpt-2", "llama-bpe", "gpt-4o", "smollm", "qwen2"');
    expect(() => modelToGguf(params, { tokenizer: trainBpe("abc abc", 258, { pattern: "\\S+" }) })).toThrow("modelToGguf: the tokenizer's pattern has no llama.cpp pre-tokenizer name here");
  });

  it("RoPE scaling goes through GGUF as llama.cpp's converter writes it: linear and yarn in the metadata, Llama 3.1's as rope_freqs.weight", () => {
    const base = { vocabSize: 40, blockSize: 64, nLayer: 1, nHead: 2, nEmbd: 64, intermediateSize: 64, ropeTheta: 500000 };
    const llama3 = initLlama({ ...base, ropeScaling: { type: "llama3", factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 16 } }, createRng(9));
    const ids = Array.from({ length: 40 }, (_, i) => (i * 7) % 40);
    const file = loadGguf(modelToGguf(llama3));
    expect(file.tensors["rope_freqs.weight"].shape).toEqual([16]);
    const back = modelFromGguf(file) as LlamaParams<Weight>;
    expect(back.config.ropeScaling?.type).toBe("factors");
    expectClose(llamaForward(back, ids).data, llamaForward(llama3, ids).data, { atol: 1e-5, rtol: 1e-5 }); // the factors stored as F32
    expect(Array.from(llamaForward(back, ids).data)).not.toEqual(Array.from(llamaForward(initLlama(base, createRng(9)), ids).data)); // the scaling changes the logits
    const linear = initLlama({ ...base, ropeScaling: { type: "linear", factor: 4 } }, createRng(9));
    const lf = loadGguf(modelToGguf(linear));
    expect(lf.metadata["llama.rope.scaling.type"]).toEqual({ type: "string", value: "linear" });
    expect(Array.from(llamaForward(modelFromGguf(lf) as LlamaParams<Weight>, ids).data)).toEqual(Array.from(llamaForward(linear, ids).data));
    const yarn = initLlama({ ...base, ropeScaling: { type: "yarn", factor: 4, originalMaxPositionEmbeddings: 16 } }, createRng(9));
    const yf = loadGguf(modelToGguf(yarn));
    expect(yf.metadata["llama.rope.scaling.type"]).toEqual({ type: "string", value: "yarn" });
    expect(yf.metadata["llama.rope.scaling.original_context_length"]).toEqual({ type: "u32", value: 16 });
    const yback = modelFromGguf(yf) as LlamaParams<Weight>;
    expect(yback.config.ropeScaling).toEqual({ type: "yarn", factor: 4, originalMaxPositionEmbeddings: 16 });
    expect(Array.from(llamaForward(yback, ids).data)).toEqual(Array.from(llamaForward(yarn, ids).data));
    // without original_context_length llama.cpp takes the context length; a file's yarn_attn_factor multiplies 1 + 0.1·ln factor
    delete yf.metadata["llama.rope.scaling.original_context_length"];
    yf.metadata["llama.rope.scaling.yarn_attn_factor"] = { type: "f32", value: 0.5 };
    expect((modelFromGguf(yf) as LlamaParams<Weight>).config.ropeScaling).toEqual({ type: "yarn", factor: 4, originalMaxPositionEmbeddings: 64, attentionFactor: 0.5 * (1 + 0.1 * Math.log(4)) });
    yf.metadata["llama.rope.scaling.yarn_ext_factor"] = { type: "f32", value: 0.5 };
    expect(() => modelFromGguf(yf)).toThrow('modelFromGguf: metadata key "llama.rope.scaling.yarn_ext_factor" is 0.5; only YaRN\'s full ramp (1) is supported');
    expect(() => modelToGguf({ ...yarn, config: { ...yarn.config, ropeScaling: { type: "yarn", factor: 4, originalMaxPositionEmbeddings: 16, betaFast: 8 } } }))
      .toThrow("modelToGguf: YaRN with betaFast, betaSlow or attentionFactor other than the defaults");
  });
});
