import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ShapeError, gptFromStateDict, initGpt, createRng, loadSafetensors, safetensorsMetadata, saveSafetensors, tensor, zeros, type Tensor } from "../src/index";
import { fixtureBytes, modelRef } from "./helpers/reference";
import { runs } from "./helpers/arbitraries";

/** A safetensors file from a header object and raw data bytes. */
function file(header: unknown, data: Uint8Array = new Uint8Array(0), lengthOverride?: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const bytes = new Uint8Array(8 + json.length + data.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(lengthOverride ?? json.length), true);
  bytes.set(json, 8);
  bytes.set(data, 8 + json.length);
  return bytes;
}

describe("saveSafetensors / loadSafetensors", () => {
  it("round-trips bit-exactly, including NaN, ±Infinity, -0 and subnormals", () => {
    fc.assert(fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s !== "__metadata__"),
      fc.float32Array({ maxLength: 12 }), { maxKeys: 4 }), (dict) => {
      const record: Record<string, Tensor> = {};
      for (const [k, v] of Object.entries(dict)) record[k] = { data: v, shape: [v.length] };
      const back = loadSafetensors(saveSafetensors(record));
      expect(Object.keys(back).sort()).toEqual(Object.keys(record).sort());
      for (const k of Object.keys(record)) {
        expect(back[k].shape).toEqual(record[k].shape);
        expect(new Uint32Array(back[k].data.buffer, back[k].data.byteOffset, back[k].data.length)).toEqual(new Uint32Array(record[k].data.buffer, record[k].data.byteOffset, record[k].data.length));
      }
    }), { ...runs, numRuns: 50 });
  });

  it("writes the documented layout: u64 header length (a multiple of 8), JSON, then little-endian F32", () => {
    const bytes = saveSafetensors({ b: tensor([1, 2], [2]), a: tensor([3], [1, 1]) }, { note: "hi" });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header.a).toEqual({ dtype: "F32", shape: [1, 1], data_offsets: [0, 4] });
    expect(header.b).toEqual({ dtype: "F32", shape: [2], data_offsets: [4, 12] });
    expect(new DataView(bytes.buffer).getFloat32(8 + n + 4, true)).toBe(1);
    expect(safetensorsMetadata(bytes)).toEqual({ note: "hi" });
  });

  it("decodes F16 (normal, subnormal, ±Inf, NaN), BF16 and F64 to float32", () => {
    const f16 = new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x0001, 0x7c00, 0xfc00, 0x7e00, 0x3555]).buffer);
    const bf16 = new Uint8Array(new Uint16Array([0x3f80, 0xc0a0]).buffer);
    const f64 = new Uint8Array(new Float64Array([0.1]).buffer);
    const data = new Uint8Array([...f16, ...bf16, ...f64]);
    const t = loadSafetensors(file({
      h: { dtype: "F16", shape: [7], data_offsets: [0, 14] },
      b: { dtype: "BF16", shape: [2], data_offsets: [14, 18] },
      d: { dtype: "F64", shape: [1], data_offsets: [18, 26] },
    }, data));
    expect(Array.from(t.h.data.slice(0, 5))).toEqual([1, -2, Math.fround(2 ** -24), Infinity, -Infinity]);
    expect(Number.isNaN(t.h.data[5])).toBe(true);
    expect(t.h.data[6]).toBe(Math.fround(0.333251953125));
    expect(Array.from(t.b.data)).toEqual([1, -5]);
    expect(t.d.data[0]).toBe(Math.fround(0.1));
  });

  it("rejects truncated files, oversized headers, overlaps, overruns, unknown dtypes and wrong byte lengths", () => {
    const four = new Uint8Array(4);
    expect(() => loadSafetensors(new Uint8Array(5))).toThrow("loadSafetensors: the file has 5 bytes, expected at least 8 (the header length)");
    expect(() => loadSafetensors(file({}, four, 1000))).toThrow(/loadSafetensors: the header length is 1000 bytes, but the file has only \d+ bytes after it/);
    expect(() => loadSafetensors(file({ a: { dtype: "F32", shape: [1], data_offsets: [0, 4] }, b: { dtype: "F32", shape: [1], data_offsets: [2, 6] } }, new Uint8Array(8)))).toThrow('loadSafetensors: tensors "a" and "b" overlap (bytes 2…3)');
    expect(() => loadSafetensors(file({ a: { dtype: "F32", shape: [2], data_offsets: [0, 8] } }, four))).toThrow('loadSafetensors: tensor "a" has data_offsets [0, 8], which run past the end of the data (4 bytes)');
    expect(() => loadSafetensors(file({ a: { dtype: "I8", shape: [4], data_offsets: [0, 4] } }, four))).toThrow('loadSafetensors: tensor "a" has dtype "I8", expected one of F32, F16, BF16, F64');
    expect(() => loadSafetensors(file({ a: { dtype: "F32", shape: [2], data_offsets: [0, 4] } }, four))).toThrow('loadSafetensors: tensor "a" has 4 bytes, expected 8 for shape [2] of F32');
    expect(() => loadSafetensors(file({ a: { dtype: "F32", shape: [1], data_offsets: [4, 0] } }, four))).toThrow(/data_offsets \[4,0\], expected \[begin, end\]/);
    const bad = file({}); bad[8] = 0xff;
    expect(() => loadSafetensors(bad)).toThrow(/the header is not valid UTF-8 JSON/);
    expect(() => loadSafetensors([1, 2] as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe("gptFromStateDict", () => {
  const config = modelRef("tinyGpt").config;

  it("lists every missing, unexpected and wrongly shaped tensor in one error", () => {
    const record = loadSafetensors(fixtureBytes("test/fixtures/tiny-gpt.safetensors"));
    delete record["transformer.h.1.ln_2.bias"];
    record["transformer.h.0.attn.c_proj.weight"] = zeros([8, 9]);
    record["transformer.extra.weight"] = zeros([1]);
    let message = "";
    try { gptFromStateDict(record, config); } catch (e) { expect(e).toBeInstanceOf(ShapeError); message = (e as Error).message; }
    // one problem per line, each name spelt as the record spells it (here with "transformer.")
    expect(message.split("\n")).toEqual([
      "gptFromStateDict: the state dict does not fit the config (3 problems):",
      "  transformer.h.0.attn.c_proj.weight has shape [8, 9], expected [8, 8]",
      "  missing transformer.h.1.ln_2.bias [8]",
      "  unexpected transformer.extra.weight",
    ]);
  });

  it("keeps an untied lm_head.weight, and ties one that equals wte", () => {
    const p = initGpt(config, createRng(0));
    const record: Record<string, Tensor> = { "transformer.wte.weight": p.wte, "transformer.wpe.weight": p.wpe, "transformer.ln_f.weight": p.lnF.weight, "transformer.ln_f.bias": p.lnF.bias! };
    p.h.forEach((b, i) => {
      const pre = `transformer.h.${i}.`;
      Object.assign(record, {
        [`${pre}ln_1.weight`]: b.ln1.weight, [`${pre}ln_1.bias`]: b.ln1.bias, [`${pre}ln_2.weight`]: b.ln2.weight, [`${pre}ln_2.bias`]: b.ln2.bias,
        [`${pre}attn.c_attn.weight`]: b.attn.cAttn.weight, [`${pre}attn.c_attn.bias`]: b.attn.cAttn.bias,
        [`${pre}attn.c_proj.weight`]: b.attn.cProj.weight, [`${pre}attn.c_proj.bias`]: b.attn.cProj.bias,
        [`${pre}mlp.c_fc.weight`]: b.mlp.cFc.weight, [`${pre}mlp.c_fc.bias`]: b.mlp.cFc.bias,
        [`${pre}mlp.c_proj.weight`]: b.mlp.cProj.weight, [`${pre}mlp.c_proj.bias`]: b.mlp.cProj.bias,
      });
    });
    expect(gptFromStateDict({ ...record, "lm_head.weight": { data: p.wte.data.slice(), shape: p.wte.shape } }, config).lmHead).toBeUndefined();
    const head = zeros([11, 8]);
    expect(gptFromStateDict({ ...record, "lm_head.weight": head }, config).lmHead).toBe(head);
  });
});
