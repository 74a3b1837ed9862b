// Inputs that used to be accepted and give a wrong or silent answer (issue 12, item 6): each now a
// clear error, or the documented behaviour. Every test here fails on the code before the fix.
import { describe, expect, it } from "vitest";
import {
  BpeTokenizer, CharTokenizer, PATTERNS, applyMask, createRng, gelu, generate, initGpt, layerNorm, loadSafetensors, randn,
  safetensorsMetadata, scaledDotProductAttention, softmax, tensor, trainBpe, useWasm, wasmStatus,
} from "../src/index";
import { attentionForward, attentionForwardReference, attentionForwardWasm } from "../src/kernels";
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

const wasmWanted = wasmStatus().enabled;

describe("attention: a key hidden from a row adds nothing to it, whatever its value", () => {
  // T = 9 causal rows (strips of 4 with a partial strip, pairs with a single last row), Dv = 20 (a
  // chunk of 16 and one of 4 in WebAssembly); v holds +∞ at key 3 and NaN at key 6
  const T = 9, D = 4, Dv = 20, rng = createRng(4);
  const q = randn([1, T, D], rng).data, k = randn([1, T, D], rng).data, v = randn([1, T, Dv], rng).data;
  const poisoned = v.slice();
  poisoned.fill(Infinity, 3 * Dv, 4 * Dv);
  poisoned.fill(NaN, 6 * Dv, 7 * Dv);
  const kernels = {
    reference: (out: Float32Array, vv: Float32Array) => attentionForwardReference(out, null, q, k, vv, null, null, 0, 1, T, T, D, Dv, 0.5, true),
    strips: (out: Float32Array, vv: Float32Array) => attentionForward(out, null, q, k, vv, null, null, 0, 1, T, T, D, Dv, 0.5, true),
    webAssembly: (out: Float32Array, vv: Float32Array) => {
      useWasm(true);
      try { expect(attentionForwardWasm(out, q, k, vv, 1, T, T, D, Dv, 0.5, true)).toBe(true); } finally { useWasm(wasmWanted); }
    },
  };
  for (const [name, run] of Object.entries(kernels)) {
    it(`${name}: rows before the non-finite key equal the clean rows; rows after it are not finite`, () => {
      const clean = new Float32Array(T * Dv), dirty = new Float32Array(T * Dv);
      run(clean, v);
      run(dirty, poisoned);
      expect(Array.from(dirty.subarray(0, 3 * Dv))).toEqual(Array.from(clean.subarray(0, 3 * Dv)));
      expect(dirty.subarray(3 * Dv, 6 * Dv).every((x) => x === Infinity)).toBe(true); // +∞ at positive weight
      expect(dirty.subarray(6 * Dv).every(Number.isNaN)).toBe(true);
    });
  }

  it("a key masked by −∞ adds nothing either (reference and strips), through scaledDotProductAttention with weights", () => {
    const mask = new Float32Array(T * T);
    for (let t = 0; t < T; t++) mask[t * T + 3] = -Infinity; // key 3 hidden from every row
    const m = tensor(mask, [1, T, T]), qt = tensor(q, [1, T, D]), kt = tensor(k, [1, T, D]);
    const withKey3 = (value: number) => tensor(v.map((x, i) => (i >= 3 * Dv && i < 4 * Dv ? value : x)), [1, T, Dv]);
    const hidden = scaledDotProductAttention(qt, kt, withKey3(Infinity), { mask: m, returnWeights: true });
    const withWeights = scaledDotProductAttention(qt, kt, withKey3(NaN), { mask: m, returnWeights: true }); // the strips
    const zeroed = scaledDotProductAttention(qt, kt, withKey3(0), { mask: m });
    expect(Array.from(hidden.output.data)).toEqual(Array.from(zeroed.output.data));
    expect(Array.from(withWeights.output.data)).toEqual(Array.from(zeroed.output.data));
    expect(hidden.weights.data.filter((_, i) => i % T === 3).every((w) => w === 0)).toBe(true);
    const reference = new Float32Array(T * Dv);
    attentionForwardReference(reference, null, q, k, withKey3(Infinity).data, mask, Int32Array.from({ length: T }, (_, t) => t * T), 1, 1, T, T, D, Dv, 0.5, false);
    reference.forEach((x, i) => expect(x).toBeCloseTo(zeroed.output.data[i], 6));
  });

  it("WebAssembly computes scores in float32: a dot product past float32's range gives NaN, not a wrong number (documented); JavaScript sums in float64", () => {
    const big = new Float32Array(8).fill(1e19), vv = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const js = new Float32Array(8), wasm = new Float32Array(8);
    attentionForward(js, null, big, big, vv, null, null, 0, 1, 2, 2, 4, 4, 0.5, false);
    expect(Array.from(js)).toEqual([3, 4, 5, 6, 3, 4, 5, 6]); // equal scores 2e38: the mean of the values
    useWasm(true);
    try { expect(attentionForwardWasm(wasm, big, big, vv, 1, 2, 2, 4, 4, 0.5, false)).toBe(true); } finally { useWasm(wasmWanted); }
    expect(wasm.every(Number.isNaN)).toBe(true);
  });
});

describe("error messages alike everywhere", () => {
  it("a value that is not a tensor is named as such by every op, with a hint for a bare array", () => {
    expect(() => softmax([1, 2, 3] as never)).toThrow("softmax: x must be a tensor { data: Float32Array, shape }, got an array of length 3 (wrap it: tensor(values, shape))");
    expect(() => layerNorm(5 as never, tensor([1], [1]), tensor([0], [1]))).toThrow("layerNorm: x must be a tensor { data: Float32Array, shape }, got 5");
    expect(() => gelu(new Float32Array(2) as never)).toThrow("gelu: x must be a tensor { data: Float32Array, shape }, got a Float32Array (wrap it: tensor(values, shape))");
  });

  it("every tokenizer method names itself with its tokenizer, and bad ids read the same as the model's", () => {
    const bpe = trainBpe("hello world hello", 260), chars = CharTokenizer.fromText("abc");
    expect(bpe.vocabSize).toBe(260);
    expect(() => bpe.decode([300])).toThrow("BpeTokenizer.decode: ids[0] is 300, expected an integer id in [0, 260) (vocab size 260)");
    expect(() => bpe.decodeBytes([1.5])).toThrow("BpeTokenizer.decodeBytes: ids[0] is 1.5, expected an integer id");
    expect(() => bpe.tokenBytes(-1)).toThrow("BpeTokenizer.tokenBytes: id is -1, expected an integer id");
    expect(() => bpe.createDecoder().write([-1])).toThrow("StreamingDecoder.write: ids[0] is -1, expected an integer id");
    expect(() => bpe.encodeOrdinary(1 as never)).toThrow("BpeTokenizer.encodeOrdinary: text must be a string");
    expect(() => bpe.encodeWithOffsets("x", { allowedSpecial: "all", other: 1 } as never)).toThrow('BpeTokenizer.encodeWithOffsets: unknown option "other"');
    expect(() => chars.decode([3])).toThrow("CharTokenizer.decode: ids[0] is 3, expected an integer id in [0, 3) (vocab size 3)");
    expect(() => generate(initGpt({ vocabSize: 3, blockSize: 4, nLayer: 1, nHead: 1, nEmbd: 4 }, createRng(0)), [3], { maxNewTokens: 1, temperature: 0 }))
      .toThrow("generate: promptIds[0] is 3, expected an integer id in [0, 3) (vocab size 3)");
  });
});
