// Inputs that used to be accepted and give a wrong or silent answer (issue 12, item 6): each now a
// clear error, or the documented behaviour. Every test here fails on the code before the fix.
import { describe, expect, it } from "vitest";
import {
  BpeTokenizer, PATTERNS, applyMask, createRng, layerNorm, loadSafetensors, randn, safetensorsMetadata, tensor, trainBpe,
} from "../src/index";
import { ranksText } from "./helpers/corpus";

/** A safetensors file from a header object and raw float32 data. */
function file(header: unknown, floats: number[] = []): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const bytes = new Uint8Array(8 + json.length + 4 * floats.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  const view = new DataView(bytes.buffer, 8 + json.length);
  floats.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return bytes;
}

describe("constructors reject junk", () => {
  it("tensor(data) needs numbers: strings and holes are errors, not NaN", () => {
    expect(() => tensor(["1", "x"] as never, [2])).toThrow('tensor: data[0] is the string "1", expected a number');
    // eslint-disable-next-line no-sparse-arrays
    expect(() => tensor([1, , 3] as never, [3])).toThrow("tensor: data[1] is missing (undefined), expected a number");
    expect(Array.from(tensor(Float64Array.from([1.5, NaN]), [2]).data)).toEqual([1.5, NaN]); // NaN as a number is data
  });

  it("randn(shape, rng, std) rejects a negative std", () => {
    expect(() => randn([2], createRng(1), -1)).toThrow("randn: std must be ≥ 0, got -1");
  });
});

describe("safetensors: the header is checked as the format defines it", () => {
  it("a dtype that is not a string is an error (an array used to pass an `in` check and load zeros)", () => {
    expect(() => loadSafetensors(file({ w: { dtype: ["F32"], shape: [1], data_offsets: [0, 4] } }, [1]))).toThrow('loadSafetensors: tensor "w" has dtype ["F32"], expected one of F32, F16, BF16, F64');
    expect(() => loadSafetensors(file({ w: { dtype: "toString", shape: [1], data_offsets: [0, 4] } }, [1]))).toThrow("expected one of F32");
  });

  it("a tensor named __proto__ is loaded as a tensor (own property), not lost to the prototype", () => {
    const record = loadSafetensors(file(JSON.parse('{"__proto__": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}'), [3, 4]));
    expect(Object.keys(record)).toEqual(["__proto__"]);
    expect(Array.from(Object.getOwnPropertyDescriptor(record, "__proto__")!.value.data)).toEqual([3, 4]);
  });

  it("metadata values must be strings (the format maps strings to strings)", () => {
    expect(() => safetensorsMetadata(file({ __metadata__: { step: 3 } }))).toThrow('safetensorsMetadata: __metadata__["step"] is 3, expected a string');
    expect(() => safetensorsMetadata(file({ __metadata__: ["a"] }))).toThrow("safetensorsMetadata: __metadata__ is [\"a\"], expected an object of strings");
    expect(safetensorsMetadata(file({ __metadata__: { step: "3" } }))).toEqual({ step: "3" });
  });
});

describe("tokenizer options are checked whatever the tokenizer", () => {
  it("encode's allowedSpecial is checked even when there are no special tokens", () => {
    const tok = trainBpe("low lower lowest", 260);
    expect(() => tok.encode("x", { allowedSpecial: 42 as never })).toThrow('encode: allowedSpecial must be "all" or a Set of special-token texts, got 42');
    expect(() => tok.encode("x", { allowedSpecial: new Set(["<s>"]) })).toThrow('encode: allowedSpecial has "<s>", but this tokenizer has no special tokens');
    expect(tok.encode("x", { allowedSpecial: "all" })).toEqual(tok.encodeOrdinary("x"));
  });

  it("an invalid pattern is a RangeError naming the function; a name of PATTERNS is its pattern", () => {
    expect(() => trainBpe("abc", 257, { pattern: "(" })).toThrow("trainBpe: pattern is not a valid RegExp with the u flag");
    expect(() => trainBpe("abc", 258, { specialTokens: ["<s>", "<s>"] })).toThrow('trainBpe: specialTokens has "<s>" twice, expected each special token once');
    const ranks = ranksText("r50k_base");
    const byName = BpeTokenizer.fromTiktoken(ranks, { pattern: "cl100k_base" });
    const bySource = BpeTokenizer.fromTiktoken(ranks, { pattern: PATTERNS.cl100k_base });
    const text = "I'LL say   12345 things\n\n  don't";
    expect(byName.encode(text)).toEqual(bySource.encode(text));
    expect(byName.encode(text)).not.toEqual(BpeTokenizer.fromTiktoken(ranks).encode(text)); // the name changed the split
  });
});

describe("in-place outputs still refuse aliased inputs", () => {
  it("applyMask(s, mask, { out: s }) with mask a view into s is an error, not wrong values", () => {
    const s = tensor([0, 0, -Infinity, 0, 0, 0], [2, 3]);
    const mask = { data: s.data.subarray(0, 3), shape: [1, 3] };
    expect(() => applyMask(s, mask, { out: s })).toThrow("applyMask: out is x (in place), and another input shares memory with it");
    const ok = tensor([1, 2, 3], [1, 3]);
    expect(Array.from(applyMask(ok, tensor([0, -Infinity, 0], [1, 3]), { out: ok }).data)).toEqual([1, -Infinity, 3]);
  });

  it("layerNorm(x, weight, bias, { out: x }) with weight inside x is an error", () => {
    const x = tensor([1, 2, 3, 4], [2, 2]);
    expect(() => layerNorm(x, { data: x.data.subarray(2), shape: [2] }, null, { out: x })).toThrow("layerNorm: out is x (in place), and another input shares memory with it");
  });
});
