// SentencePiece-style BPE as llama.cpp runs it (tokenizerFromGguf of a "llama" vocabulary): by hand
// and by its properties; test/llamacpp.test.ts compares it with llama.cpp itself over the corpus.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createSentencePieceTokenizer } from "../src/tokenizer/sentencepiece";
import { runs } from "./helpers/arbitraries";

/** <unk> <s> </s>, the 256 byte tokens, then the given pieces with their scores. */
function vocabulary(pieces: [string, number][]) {
  const tokens = ["<unk>", "<s>", "</s>"], types = [2, 3, 3], scores = [0, 0, 0];
  for (let b = 0; b < 256; b++) { tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`); types.push(6); scores.push(0); }
  for (const [t, s] of pieces) { tokens.push(t); types.push(1); scores.push(s); }
  const id = (t: string) => tokens.lastIndexOf(t);
  return { parts: { tokens, types, scores, addSpacePrefix: true }, id };
}
const { parts, id } = vocabulary([["▁", -1], ["a", -1], ["b", -1], ["c", -1], ["ab", -3], ["bc", -2], ["▁a", -4], ["▁ab", -5], ["▁bc", -6]]);
const tok = createSentencePieceTokenizer(parts);

describe("SentencePiece-style BPE, by hand", () => {
  it("merges the pair of highest score first: ▁abc → ▁a bc (bc outscores ab, and ▁a outscores ▁ab's path)", () => {
    // pairs of ▁ a b c: ▁a (−4), ab (−3), bc (−2): bc first → ▁ a bc; then ▁a (−4) → ▁a bc; ▁abc is no token
    expect(tok.encodeOrdinary("abc")).toEqual([id("▁a"), id("bc")]);
    expect(tok.encodeOrdinary("ab")).toEqual([id("▁ab")]); // ab (−3) then ▁ab (−5)
  });

  it("puts a space first, turns spaces into ▁, and takes the first one off again when decoding", () => {
    expect(tok.encodeOrdinary(" bc")).toEqual([id("▁"), id("▁bc")]);
    expect(tok.decode(tok.encodeOrdinary(" bc"))).toBe(" bc");
    expect(tok.encodeOrdinary("")).toEqual([]);
  });

  it("falls back to UTF-8 bytes for what no token holds", () => {
    expect(tok.encodeOrdinary("é")).toEqual([id("▁"), id("<0xC3>"), id("<0xA9>")]);
    expect(tok.decode(tok.encodeOrdinary("aé日"))).toBe("aé日");
  });

  it("parses control tokens only when allowed, with a space put first after each, as llama.cpp does", () => {
    expect(tok.encode("<s>a", { allowedSpecial: "all" })).toEqual([id("<s>"), id("▁a")]);
    expect(() => tok.encode("<s>a")).toThrow('SentencePieceTokenizer.encode: the text contains the special token "<s>" at index 0, which is not allowed');
    expect(tok.encodeOrdinary("<s>")).toEqual([id("▁"), id("<0x3C>"), id("<0x73>"), id("<0x3E>")]);
    expect(tok.decode([id("<s>"), id("▁a")])).toBe("a"); // control tokens have no text
  });
});

describe("SentencePiece-style BPE, its properties", () => {
  const text = fc.string({ unit: fc.constantFrom("a", "b", "c", " ", "é", "日", "\n", "😀", "<s>"), maxLength: 30 });
  it("decode(encodeOrdinary(s)) === s, and the streaming decoder gives the same text id by id", () => {
    fc.assert(fc.property(text, (s) => {
      const ids = tok.encodeOrdinary(s);
      expect(tok.decode(ids)).toBe(s);
      const d = tok.createDecoder();
      expect(ids.map((i) => d.write(i)).join("") + d.end()).toBe(s);
    }), runs);
  });

  it("every id it gives is an id of the vocabulary", () => {
    fc.assert(fc.property(text, (s) => {
      for (const i of tok.encodeOrdinary(s)) expect(i >= 0 && i < tok.vocabSize).toBe(true);
    }), runs);
  });
});
