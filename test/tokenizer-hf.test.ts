// BpeTokenizer.fromHuggingFace: a tokenizer.json made from OpenAI's ranks — as Hugging
// Face's own GPT-2 file is — gives exactly tiktoken's ids on ../shared/corpus and the edge cases,
// for r50k_base (ByteLevel pre-tokenizer) and cl100k_base (a Split regex in Rust syntax, as Llama 3's).
import { afterAll, describe, expect, it } from "vitest";
import { get_encoding, type Tiktoken } from "tiktoken";
import { BpeTokenizer, type BpeTokenizer as Bpe } from "../src/index";
import { corpus, corpusAvailable, edgeCases, openai, type Encoding } from "./helpers/corpus";
import { BYTE_CHARS } from "./helpers/byte-level";

const refs = new Map<Encoding, Tiktoken>();
const ref = (e: Encoding) => refs.get(e) ?? refs.set(e, get_encoding(e)).get(e)!;
afterAll(() => refs.forEach((r) => r.free()));

const unicodeOf = (bytes: Uint8Array) => Array.from(bytes, (b) => BYTE_CHARS[b]).join("");

// tiktoken's cl100k_base pattern as its Rust source (and Llama 3's tokenizer.json) spells it
const CL100K_RUST = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/** A tokenizer.json for a tiktoken encoding, built the way Hugging Face converts one. */
function tokenizerJson(e: Encoding, preTokenizer: object, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const tok = openai(e);
  const vocab: Record<string, number> = {};
  const specials = new Set(Object.values(tok.specialTokens));
  for (let id = 0; id < tok.vocabSize; id++) {
    if (specials.has(id)) continue;
    try { vocab[unicodeOf(tok.tokenBytes(id))] = id; } catch { /* an id no token has (cl100k has gaps) */ }
  }
  const merges = tok.merges.map(([a, b]) => `${unicodeOf(tok.tokenBytes(a))} ${unicodeOf(tok.tokenBytes(b))}`);
  const added = Object.entries(tok.specialTokens).map(([content, id]) => ({ id, content, special: true }));
  for (const { content, id } of added) vocab[content] = id; // GPT-2's file lists <|endoftext|> in the vocabulary too
  return { version: "1.0", added_tokens: added, normalizer: null, pre_tokenizer: preTokenizer, model: { type: "BPE", vocab, merges, ignore_merges: false }, decoder: { type: "ByteLevel" }, ...extra };
}

const BYTE_LEVEL = { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true };
const SPLIT_THEN_BYTES = (regex: string) => ({ type: "Sequence", pretokenizers: [{ type: "Split", pattern: { Regex: regex }, behavior: "Isolated", invert: false }, { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: false }] });

const cases: [Encoding, () => Bpe][] = [
  ["r50k_base", () => BpeTokenizer.fromHuggingFace(JSON.stringify(tokenizerJson("r50k_base", BYTE_LEVEL)))],
  ["cl100k_base", () => BpeTokenizer.fromHuggingFace(tokenizerJson("cl100k_base", SPLIT_THEN_BYTES(CL100K_RUST)))],
];

describe.skipIf(!corpusAvailable)("fromHuggingFace gives tiktoken's ids", () => {
  for (const [e, make] of cases) {
    it(`${e}: the corpus and every edge case, special tokens included`, () => {
      const tok = make();
      expect(tok.vocabSize).toBe(openai(e).vocabSize);
      for (const file of ["english", "code", "multilingual"] as const) {
        const text = corpus(file);
        expect(tok.encode(text, { allowedSpecial: "all" })).toEqual(Array.from(ref(e).encode(text, "all")));
      }
      for (const { id, text } of edgeCases()) {
        expect(tok.encode(text, { allowedSpecial: "all" }), id).toEqual(Array.from(ref(e).encode(text, "all")));
        expect(tok.decode(tok.encodeOrdinary(text))).toBe(openai(e).decode(openai(e).encodeOrdinary(text)));
      }
    }, 60_000);
  }
});

describe("fromHuggingFace: tokens, normalizer, and what it refuses", () => {
  const gpt2 = () => tokenizerJson("r50k_base", BYTE_LEVEL);

  it("added tokens marked special are special tokens (refused unless allowed), not vocabulary", () => {
    const tok = BpeTokenizer.fromHuggingFace(gpt2());
    expect(tok.specialTokens).toEqual({ "<|endoftext|>": 50256 });
    expect(() => tok.encode("a<|endoftext|>")).toThrow("the text contains the special token");
    expect(tok.encode("a<|endoftext|>", { allowedSpecial: "all" })).toEqual([64, 50256]);
    expect(tok.encodeOrdinary("<|endoftext|>")).toEqual(openai("r50k_base").encodeOrdinary("<|endoftext|>"));
  });

  it("an NFC normalizer (Qwen2) composes text first", () => {
    const tok = BpeTokenizer.fromHuggingFace({ ...gpt2(), normalizer: { type: "NFC" } });
    expect(tok.encode("cafe\u0301")).toEqual(tok.encode("café"));
    expect(BpeTokenizer.fromHuggingFace(gpt2()).encode("cafe\u0301")).not.toEqual(tok.encode("café"));
    expect(() => tok.encodeWithOffsets("cafe\u0301")).toThrow("BpeTokenizer.encodeWithOffsets: text is not in NFC");
  });

  it("an unsupported component is an error naming it", () => {
    const base = gpt2();
    expect(() => BpeTokenizer.fromHuggingFace({ ...base, normalizer: { type: "Lowercase" } })).toThrow('BpeTokenizer.fromHuggingFace: normalizer "Lowercase" is not supported');
    expect(() => BpeTokenizer.fromHuggingFace({ ...base, pre_tokenizer: { type: "Metaspace" } })).toThrow('pre_tokenizer "Metaspace" is not supported');
    expect(() => BpeTokenizer.fromHuggingFace({ ...base, pre_tokenizer: { ...BYTE_LEVEL, add_prefix_space: true } })).toThrow("add_prefix_space: true is not supported");
    expect(() => BpeTokenizer.fromHuggingFace({ ...base, model: { type: "WordPiece", vocab: {} } })).toThrow('model type "WordPiece" is not supported, expected "BPE"');
    expect(() => BpeTokenizer.fromHuggingFace({ ...base, model: { ...(base.model as object), byte_fallback: true } })).toThrow("byte_fallback: true");
    expect(() => BpeTokenizer.fromHuggingFace("{")).toThrow("BpeTokenizer.fromHuggingFace: tokenizerJson is not JSON");
  });
});
