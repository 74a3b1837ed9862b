// BpeTokenizer.fromHuggingFace against Hugging Face `tokenizers` itself (its Node binding, a
// devDependency): small tokenizer.json files that exercise the BPE model's merge list, ignore_merges
// and added tokens, and the files toHuggingFace writes, loaded by `tokenizers` and encoded there.
import { describe, expect, it } from "vitest";
import { Tokenizer } from "tokenizers";
import { BpeTokenizer, PATTERNS, SPECIAL_TOKENS, trainBpe } from "../src/index";
import { corpus, corpusAvailable, openai } from "./helpers/corpus";
import { BYTE_CHARS } from "./helpers/byte-level";


const BYTE_LEVEL = { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true };

/** A byte-level tokenizer.json: the 256 bytes, then `tokens` (ids from 256 on), these merges and added tokens. */
function smallJson(tokens: string[], merges: [string, string][], extra: { added?: object[]; ignoreMerges?: boolean } = {}) {
  const vocab: Record<string, number> = {};
  BYTE_CHARS.forEach((c, b) => { vocab[c] = b; });
  tokens.forEach((t, i) => { vocab[t] = 256 + i; });
  return {
    version: "1.0", truncation: null, padding: null, added_tokens: extra.added ?? [], normalizer: null,
    pre_tokenizer: BYTE_LEVEL, post_processor: null, decoder: BYTE_LEVEL,
    model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: extra.ignoreMerges ?? false, vocab, merges },
  };
}

async function hfIds(json: object | string, text: string): Promise<number[]> {
  const tok = Tokenizer.fromString(typeof json === "string" ? json : JSON.stringify(json));
  return (await tok.encode(text, null, { addSpecialTokens: false })).getIds();
}

/** Our ids and Hugging Face's for each text, side by side. */
async function both(json: object | string, texts: string[]) {
  const ours = BpeTokenizer.fromHuggingFace(json);
  const pairs = [];
  for (const text of texts) pairs.push({ text, ours: ours.encode(text, { allowedSpecial: "all" }), hf: await hfIds(json, text) });
  return pairs;
}

const expectSame = (pairs: { text: string; ours: number[]; hf: number[] }[]) => {
  for (const { text, ours, hf } of pairs) expect(ours, JSON.stringify(text)).toEqual(hf);
};

// "Ġ" is the space byte in byte-level BPE
const TOKENS = ["Ġq", "Ġqz", "Ġqzx", "ab", "abc", "bc", "Ġab"];
const MERGES: [string, string][] = [["Ġ", "q"], ["a", "b"], ["b", "c"], ["ab", "c"], ["Ġ", "ab"]];
const TEXTS = [" qzx", " q", "abc", " abc", "bcab", "abcabc bc", "ab ab abc", ""];

describe("fromHuggingFace applies the listed merges, as tokenizers does", () => {
  it("a vocabulary entry that no merge builds is never produced", async () => {
    const pairs = await both(smallJson(TOKENS, MERGES), TEXTS);
    expectSame(pairs);
    expect(pairs[0].ours).toEqual([256, "z".charCodeAt(0), "x".charCodeAt(0)]); // Ġq, z, x — not Ġqzx
  });

  it("removing one merge changes the ids", async () => {
    const without = MERGES.filter(([a, b]) => !(a === "ab" && b === "c"));
    const pairs = await both(smallJson(TOKENS, without), TEXTS);
    expectSame(pairs);
    expect(pairs.find((p) => p.text === "abc")!.ours).toEqual([259, "c".charCodeAt(0)]);
  });

  it("with no merges every byte is its own token", async () => {
    const pairs = await both(smallJson(TOKENS, []), TEXTS);
    expectSame(pairs);
    expect(pairs[0].ours).toEqual([32, 113, 122, 120]); // the bytes of " qzx", one token each
  });

  it("the order of the merges is their priority, whatever the ids", async () => {
    // "b c" before "a b": "abc" becomes a + bc, not ab + c
    const pairs = await both(smallJson(TOKENS, [["b", "c"], ["a", "b"], ["ab", "c"]]), TEXTS);
    expectSame(pairs);
    expect(pairs.find((p) => p.text === "abc")!.ours).toEqual(["a".charCodeAt(0), 261]);
  });

  it("ignore_merges: a piece that is a whole vocabulary entry is that token", async () => {
    const pairs = await both(smallJson(TOKENS, MERGES, { ignoreMerges: true }), TEXTS);
    expectSame(pairs);
    expect(pairs[0].ours).toEqual([258]); // Ġqzx, though no merge builds it
  });

  it("long pieces (the heap path) merge as short ones do", async () => {
    const texts = ["ab".repeat(200) + "c", "abc".repeat(100), "b" + "abc".repeat(90)];
    expectSame(await both(smallJson(TOKENS, MERGES), texts));
  });
});

describe("fromHuggingFace: added tokens, as tokenizers matches them", () => {
  const imEnd = { id: 263, content: "<|im_end|>", single_word: false, lstrip: false, rstrip: false, normalized: false, special: false };

  it("an added token that is not special is matched as a whole token in every encode", async () => {
    const json = smallJson(TOKENS, MERGES, { added: [imEnd] });
    const pairs = await both(json, ["hello<|im_end|>", "<|im_end|><|im_end|> ab", "<|im_end"]);
    expectSame(pairs);
    const tok = BpeTokenizer.fromHuggingFace(json);
    expect(tok.encode("hello<|im_end|>").slice(-1)).toEqual([263]);
    expect(tok.encodeOrdinary("hello<|im_end|>").slice(-1)).toEqual([263]);
    const { ids, offsets } = tok.encodeWithOffsets("ab<|im_end|>c");
    expect(ids).toEqual([259, 263, "c".charCodeAt(0)]);
    expect(offsets).toEqual([[0, 2], [2, 12], [12, 13]]);
    expect(tok.decode(ids)).toBe("ab<|im_end|>c");
  });

  it("special and non-special added tokens side by side", async () => {
    const json = smallJson(TOKENS, MERGES, { added: [imEnd, { ...imEnd, id: 264, content: "<|endoftext|>", special: true }] });
    expectSame(await both(json, ["a<|endoftext|>b<|im_end|>c", "<|im_end|><|endoftext|>"]));
  });
});

describe("fromHuggingFace refuses, naming it, what it does not implement", () => {
  const base = () => smallJson(TOKENS, MERGES);
  const load = (json: object) => () => BpeTokenizer.fromHuggingFace(json);
  const withModel = (extra: object) => { const j = base(); return { ...j, model: { ...j.model, ...extra } }; };
  const added = (t: object) => ({ ...base(), added_tokens: [{ id: 300, content: "<x>", special: true, ...t }] });

  it("a subword prefix or an end-of-word suffix", () => {
    expect(load(withModel({ end_of_word_suffix: "</w>" }))).toThrow('model.end_of_word_suffix "</w>" is not supported');
    expect(load(withModel({ continuing_subword_prefix: "##" }))).toThrow('model.continuing_subword_prefix "##" is not supported');
  });

  it("added tokens that strip or match single words", () => {
    expect(load(added({ lstrip: true }))).toThrow('added token "<x>" has lstrip: true, which is not supported');
    expect(load(added({ rstrip: true }))).toThrow("rstrip: true");
    expect(load(added({ single_word: true }))).toThrow("single_word: true");
    expect(load(added({ normalized: "yes" }))).toThrow('added token "<x>" has normalized: the string "yes", expected true or false');
  });

  it("an added token with empty content (encode would never advance)", () => {
    expect(load(added({ content: "" }))).toThrow("BpeTokenizer.fromHuggingFace: added token id 300 has empty content");
  });

  it("an added token whose id the vocabulary gives to another token", () => {
    expect(load(added({ id: 257 }))).toThrow('added token "<x>" has id 257, which model.vocab gives to "Ġqz"');
  });

  it("one id for two vocabulary entries, named as such (not as a merge-order problem)", () => {
    const j = base();
    expect(load({ ...j, model: { ...j.model, vocab: { ...j.model.vocab, dup: 256 } } })).toThrow('model.vocab gives id 256 to both "Ġq" and "dup"');
  });

  it("a merge of tokens the vocabulary lacks", () => {
    expect(load(withModel({ merges: [["x", "yz"]] }))).toThrow('model.merges[0] joins "yz", which model.vocab does not have');
  });
});

describe("toHuggingFace and toTiktoken save a tokenizer that loads with the same ids", () => {
  const sample = corpusAvailable ? corpus("english").slice(0, 200_000) : "";
  const texts = corpusAvailable
    ? [corpus("english").slice(300_000, 340_000), corpus("code").slice(0, 40_000), corpus("multilingual").slice(0, 40_000), "  tabs\tand\r\nnewlines  ", "<|endoftext|> after"]
    : [];

  it.skipIf(!corpusAvailable)("a trained BPE: tokenizers loads toHuggingFace() and gives our ids; fromHuggingFace and fromTiktoken load it back", async () => {
    const tok = trainBpe(sample, 1000, { specialTokens: ["<|endoftext|>"] });
    const json = tok.toHuggingFace();
    const back = BpeTokenizer.fromHuggingFace(json);
    const ranks = BpeTokenizer.fromTiktoken(tok.toTiktoken(), { pattern: tok.pattern, specialTokens: tok.specialTokens });
    for (const text of texts) {
      const ours = tok.encode(text, { allowedSpecial: "all" });
      expect(await hfIds(json, text)).toEqual(ours);
      expect(back.encode(text, { allowedSpecial: "all" })).toEqual(ours);
      expect(ranks.encode(text, { allowedSpecial: "all" })).toEqual(ours);
      expect(back.decode(ours)).toBe(tok.decode(ours));
    }
  }, 60_000);

  it.skipIf(!corpusAvailable)("cl100k_base through toHuggingFace: tokenizers reads its pattern and gives tiktoken's ids", async () => {
    const tok = openai("cl100k_base");
    const json = tok.toHuggingFace();
    for (const text of texts) expect(await hfIds(json, text)).toEqual(tok.encode(text, { allowedSpecial: "all" }));
    expect(BpeTokenizer.fromHuggingFace(json).encode(texts[1])).toEqual(tok.encode(texts[1]));
  }, 60_000);

  it.skipIf(!corpusAvailable)("SmolLM's pre-tokenizer (Digits, each digit alone, then ByteLevel): tokenizers and fromHuggingFace give the same ids, and toHuggingFace writes it back", async () => {
    const json = JSON.parse(openai("r50k_base").toHuggingFace());
    json.pre_tokenizer = { type: "Sequence", pretokenizers: [{ type: "Digits", individual_digits: true }, { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true }] };
    const ours = BpeTokenizer.fromHuggingFace(json);
    const digits = ["year 2024, 3.14159 and  42 apples", "x1y22z333 ٣٤ ½", " 7", "a  1"];
    for (const text of [...texts, ...digits]) expect(ours.encode(text, { allowedSpecial: "all" }), JSON.stringify(text.slice(0, 40))).toEqual(await hfIds(json, text));
    expect(ours.encode("in 2024")).not.toEqual(openai("r50k_base").encode("in 2024")); // the digits are cut apart
    const offsets = ours.encodeWithOffsets("in 2024");
    expect(offsets.ids).toEqual(ours.encode("in 2024"));
    expect(offsets.offsets.slice(-4)).toEqual([[3, 4], [4, 5], [5, 6], [6, 7]]);
    const back = BpeTokenizer.fromHuggingFace(ours.toHuggingFace());
    expect(back.encode(digits[0])).toEqual(ours.encode(digits[0]));
  }, 60_000);

  it("toTiktoken writes one base64 line per ordinary token, in id order", () => {
    const tok = BpeTokenizer.fromTiktoken(openai("r50k_base").toTiktoken(), { pattern: PATTERNS.r50k_base, specialTokens: SPECIAL_TOKENS.r50k_base });
    const lines = openai("r50k_base").toTiktoken().trimEnd().split("\n");
    expect(lines.length).toBe(50256);
    expect(lines[0]).toBe(`${btoa("!")} 0`);
    expect(tok.encode("Hello world")).toEqual([15496, 995]);
  });

  it("a tokenizer.json's listed merges have no ranks-file form: toTiktoken says so", () => {
    expect(() => BpeTokenizer.fromHuggingFace(smallJson(TOKENS, MERGES)).toTiktoken()).toThrow("BpeTokenizer.toTiktoken: this tokenizer was loaded from a tokenizer.json");
  });

  it("a loaded tokenizer.json saves with its own merges, ignore_merges and added tokens", async () => {
    const json = smallJson(TOKENS, MERGES, { ignoreMerges: true, added: [{ id: 263, content: "<|im_end|>", special: false }] });
    const saved = BpeTokenizer.fromHuggingFace(json).toHuggingFace();
    expectSame(await both(saved, [...TEXTS, "x<|im_end|>y"]));
    expect(BpeTokenizer.fromHuggingFace(saved).encode(" qzx<|im_end|>")).toEqual([258, 263]);
  });
});

describe("fromHuggingFace: an added token that is a single byte", () => {
  it("is matched whole and BPE still has every byte", async () => {
    const json = smallJson(TOKENS, MERGES, { added: [{ id: "!".charCodeAt(0), content: "!", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }] });
    expectSame(await both(json, ["ab!c", "!! ab"]));
  });
});
