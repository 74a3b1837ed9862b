import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { BpeTokenizer, CharTokenizer, PATTERNS, trainBpe } from "../src/index";
import { openai, ranksText, wellFormed } from "./helpers/corpus";
import { runs } from "./helpers/arbitraries";

const gpt2 = () => openai("r50k_base");
const paragraph = "The quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs. Foxes and dogs, dogs and foxes: the oldest story. ".repeat(4);

describe("CharTokenizer", () => {
  it("CharTokenizer.fromText(text) sorts distinct code points and round-trips", () => {
    const tok = CharTokenizer.fromText("hello world");
    expect(tok.chars).toEqual([" ", "d", "e", "h", "l", "o", "r", "w"]);
    expect(tok.vocabSize).toBe(8);
    expect(tok.encode("hold")).toEqual([3, 5, 4, 1]);
    expect(tok.decode(tok.encode("hello world"))).toBe("hello world");
  });

  it("treats astral characters as one code point, sorted by code point", () => {
    const tok = CharTokenizer.fromText("a😀b\u{1F600}é");
    expect(tok.chars).toEqual(["a", "b", "é", "😀"]);
    expect(tok.encode("😀a")).toEqual([3, 0]);
  });

  it("decode(encode(s)) === s for strings over the vocabulary", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme", minLength: 1 }), (s) => {
      const tok = CharTokenizer.fromText(s);
      return tok.decode(tok.encode(s)) === s;
    }), runs);
  });

  it("encode of an unknown character names it and its position; decode checks ids", () => {
    const tok = CharTokenizer.fromText("abc");
    expect(() => tok.encode("abz")).toThrow('CharTokenizer.encode: the character "z" (U+007A) at index 2 is not in the vocabulary of 3 characters');
    expect(() => tok.decode([0, 3])).toThrow("CharTokenizer.decode: ids[1] is 3, expected an integer id in [0, 3) (vocab size 3)");
    expect(() => CharTokenizer.fromText(42 as unknown as string)).toThrow(TypeError);
  });
});

describe("BpeTokenizer (GPT-2's r50k_base ranks)", () => {
  it('encode("Hello world") is [15496, 995] (GPT-2\'s well-known ids)', () => {
    expect(gpt2().encode("Hello world")).toEqual([15496, 995]);
    expect(gpt2().vocabSize).toBe(50257);
  });

  it("special-token text throws by default, naming it; allowedSpecial encodes it; encodeOrdinary treats it as text", () => {
    const t = gpt2();
    expect(() => t.encode("a<|endoftext|>b")).toThrow(/encode: the text contains the special token "<\|endoftext\|>" at index 1, which is not allowed/);
    expect(t.encode("a<|endoftext|>b", { allowedSpecial: "all" })).toEqual([64, 50256, 65]);
    expect(t.encode("a<|endoftext|>b", { allowedSpecial: new Set(["<|endoftext|>"]) })).toEqual([64, 50256, 65]);
    expect(t.encodeOrdinary("<|endoftext|>").length).toBeGreaterThan(1);
    expect(t.decode([50256])).toBe("<|endoftext|>");
    expect(() => t.encode("x", { allowedSpecial: new Set(["<|nope|>"]) })).toThrow(/allowedSpecial has "<\|nope\|>", expected special tokens of this tokenizer/);
  });

  it("decode(encode(s)) === s for any string without lone surrogates (full Unicode, BOM included)", () => {
    fc.assert(fc.property(fc.string({ unit: "binary" }), (s) => {
      const w = wellFormed(s);
      return gpt2().decode(gpt2().encodeOrdinary(w)) === w && openai("cl100k_base").decode(openai("cl100k_base").encodeOrdinary(w)) === w;
    }), { ...runs, numRuns: 300 });
    expect(gpt2().decode(gpt2().encode("\uFEFF\uFEFFx"))).toBe("\uFEFF\uFEFFx");
  });

  it("lone surrogates are encoded as U+FFFD, as TextEncoder does", () => {
    expect(gpt2().encode("a\uD800b")).toEqual(gpt2().encode("a\uFFFDb"));
    expect(gpt2().decode(gpt2().encode("\uDC00"))).toBe("\uFFFD");
  });

  it("encode does not depend on its piece cache: a warm tokenizer and a fresh one agree", () => {
    const fresh = BpeTokenizer.fromTiktoken(ranksText("r50k_base"), { pattern: PATTERNS.r50k_base }); // empty cache
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), (s) => {
      const warm = gpt2().encodeOrdinary(s).join(); // gpt2() has cached pieces from every earlier test
      return warm === fresh.encodeOrdinary(s).join() && warm === gpt2().encodeOrdinary(s).join();
    }), runs);
  });

  it("encodeWithOffsets gives ids equal to encode and spans that cover the input without gaps or overlaps", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), (s) => {
      const { ids, offsets } = gpt2().encodeWithOffsets(s);
      if (ids.join() !== gpt2().encodeOrdinary(s).join() || offsets.length !== ids.length) return false;
      let at = 0;
      for (const [a, b] of offsets) {
        if (a !== at || b < a) return false;
        at = b;
      }
      return at === s.length;
    }), runs);
  });

  it("encodeWithOffsets: ASCII tokens map to their text; a character split across tokens belongs to the token with its first byte", () => {
    const { ids, offsets } = gpt2().encodeWithOffsets("Hello world");
    expect(offsets).toEqual([[0, 5], [5, 11]]);
    expect(ids).toEqual([15496, 995]);
    // "🤗" is 4 bytes that GPT-2 splits into several tokens: the first carries the whole character
    const hug = gpt2().encodeWithOffsets("🤗");
    expect(hug.ids.length).toBeGreaterThan(1);
    expect(hug.offsets[0]).toEqual([0, 2]);
    for (const o of hug.offsets.slice(1)) expect(o).toEqual([2, 2]);
    const special = gpt2().encodeWithOffsets("a<|endoftext|>", { allowedSpecial: "all" });
    expect(special.offsets).toEqual([[0, 1], [1, 14]]);
  });

  it("a streaming decoder emits only complete characters and ends with the full text", () => {
    fc.assert(fc.property(fc.string({ unit: "binary" }), (raw) => {
      const s = wellFormed(raw);
      const ids = gpt2().encode(s);
      const d = gpt2().createDecoder();
      let text = "";
      for (const id of ids) {
        const part = d.write(id);
        if (part.includes("\uFFFD") && !s.includes("\uFFFD")) return false;
        text += part;
      }
      return text + d.end() === s;
    }), runs);
    const d = gpt2().createDecoder();
    const ids = gpt2().encode("🤗");
    expect(d.write(ids[0])).toBe("");
    expect(d.write(ids.slice(1))).toBe("🤗");
    expect(d.end()).toBe("");
  });

  it("tokenBytes and decodeBytes expose the raw bytes", () => {
    expect(Array.from(gpt2().tokenBytes(995))).toEqual([32, 119, 111, 114, 108, 100]); // " world"
    expect(Array.from(gpt2().decodeBytes([15496]))).toEqual([72, 101, 108, 108, 111]);
  });

  it("merges of a loaded tokenizer are derived: GPT-2's first merge is 'Ġ t' (ids 220, 83 → 256)", () => {
    const merges = gpt2().merges;
    expect(merges.length).toBe(50000);
    expect(merges[0]).toEqual([220, 83]);
  });

  it("decode rejects ids outside the vocabulary, naming the id and its position; encode rejects non-strings", () => {
    expect(() => gpt2().decode([15496, 50257])).toThrow("BpeTokenizer.decode: ids[1] is 50257, expected an integer id in [0, 50257) (vocab size 50257)");
    expect(() => gpt2().decode([-1])).toThrow(/decode: ids\[0\] is -1/);
    expect(() => gpt2().encode(42 as unknown as string)).toThrow("BpeTokenizer.encode: text must be a string, got 42");
    expect(() => gpt2().encodeOrdinary(null as unknown as string)).toThrow(TypeError);
  });
});

describe("BpeTokenizer.fromTiktoken errors", () => {
  const bytes = Array.from({ length: 256 }, (_, b) => `${btoa(String.fromCharCode(b))} ${b}`);
  it("names the line of a malformed entry", () => {
    expect(() => BpeTokenizer.fromTiktoken([...bytes, "QUI=", "QUJD 257"].join("\n"))).toThrow('BpeTokenizer.fromTiktoken: line 257 is "QUI=", expected "<base64 bytes> <rank>"');
    expect(() => BpeTokenizer.fromTiktoken([...bytes, "!!!! 256"].join("\n"))).toThrow('BpeTokenizer.fromTiktoken: line 257 has "!!!!", expected base64 token bytes');
    expect(() => BpeTokenizer.fromTiktoken([...bytes, "QUI= x"].join("\n"))).toThrow(/line 257 is "QUI= x"/);
  });

  it("rejects duplicate ranks, duplicate token bytes and missing single bytes", () => {
    expect(() => BpeTokenizer.fromTiktoken([...bytes, "QUI= 255"].join("\n"))).toThrow("BpeTokenizer.fromTiktoken: line 257 repeats rank 255 (first on line 256), expected each rank once");
    expect(() => BpeTokenizer.fromTiktoken([...bytes, "QQ== 256"].join("\n"))).toThrow('BpeTokenizer.fromTiktoken: line 257 repeats the token bytes "QQ==" (rank 65 already), expected each token once');
    expect(() => BpeTokenizer.fromTiktoken(bytes.slice(1).join("\n"))).toThrow("the ranks have no token for the single byte 0");
  });

  it("rejects a special token id that is already a rank, and a bad pattern", () => {
    expect(() => BpeTokenizer.fromTiktoken(bytes.join("\n"), { specialTokens: { "<s>": 5 } })).toThrow('specialTokens["<s>"] is 5, which is already the rank of an ordinary token');
    expect(() => BpeTokenizer.fromTiktoken(bytes.join("\n"), { pattern: "(" })).toThrow(/pattern is not a valid RegExp/);
  });

  it("accepts CRLF line ends and a trailing newline (the real files load: 50,000 merges + 256 bytes)", () => {
    const t = BpeTokenizer.fromTiktoken(bytes.join("\r\n") + "\r\n");
    expect(t.vocabSize).toBe(256);
    expect(BpeTokenizer.fromTiktoken(ranksText("r50k_base")).vocabSize).toBe(50256);
  });
});

describe("trainBpe", () => {
  it('trainBpe("aaabdaaabac", 259) learns aa, then ab (the tie-break: "a" < "aa"), then aaab (hand-checked)', () => {
    const t = trainBpe("aaabdaaabac", 259);
    expect(t.merges).toEqual([[97, 97], [97, 98], [256, 257]]);
    expect(t.encode("aaabdaaabac")).toEqual([258, 100, 258, 97, 99]);
  });

  it("counts overlapping pairs and breaks count ties by the smaller byte string", () => {
    // "aaa" has two "aa" pairs; "zz" occurs twice as a piece. Both count 2: "aa" < "zz" wins.
    expect(trainBpe("aaa zz zz", 257, { pattern: "\\S+| " }).merges[0]).toEqual([97, 97]);
    // pieces weighted by frequency: "xy" ×3 beats "aa" ×2
    expect(trainBpe("xy xy xy aa", 257, { pattern: "\\S+| " }).merges[0]).toEqual([120, 121]);
  });

  it("trainBpe(text, 256) is the identity on bytes", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), (s) => {
      const t = trainBpe(s, 256);
      const w = wellFormed(s);
      return t.merges.length === 0 && t.encode(w).join() === Array.from(new TextEncoder().encode(w)).join();
    }), { ...runs, numRuns: 50 });
  });

  it("a tokenizer trained on a text encodes it in fewer tokens than bytes, round-trips it, and never exceeds vocabSize", () => {
    const t = trainBpe(paragraph, 300);
    const ids = t.encode(paragraph);
    expect(ids.length).toBeLessThan(new TextEncoder().encode(paragraph).length / 2);
    expect(t.decode(ids)).toBe(paragraph);
    expect(t.merges.length).toBe(300 - 256);
    expect(t.vocabSize).toBe(300);
    expect(Math.max(...ids)).toBeLessThan(300);
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), fc.integer({ min: 256, max: 400 }), (s, v) => {
      const tok = trainBpe(s, v);
      return tok.merges.length <= v - 256 && tok.vocabSize <= v && tok.decode(tok.encode(wellFormed(s))) === wellFormed(s);
    }), { ...runs, numRuns: 50 });
  });

  it("merge i creates id 256 + i, whose bytes are its pair's bytes joined", () => {
    const t = trainBpe(paragraph, 280);
    t.merges.forEach(([l, r], i) => {
      expect(Array.from(t.tokenBytes(256 + i))).toEqual([...t.tokenBytes(l), ...t.tokenBytes(r)]);
    });
  });

  it("special tokens are cut from the training text and get the last ids", () => {
    const t = trainBpe("ab<|end|>ab<|end|>ab", 258, { specialTokens: ["<|end|>"] });
    expect(t.specialTokens).toEqual({ "<|end|>": 257 });
    expect(t.merges).toEqual([[97, 98]]);
    expect(t.encode("ab<|end|>", { allowedSpecial: "all" })).toEqual([256, 257]);
  });

  it("uses GPT-2's pattern by default, so merges never cross a word and the space before it", () => {
    const t = trainBpe("hello world hello world", 270);
    const pieces = "hello world".match(new RegExp(PATTERNS.r50k_base, "gu"));
    expect(pieces).toEqual(["hello", " world"]);
    expect(t.encode("hello world")).toEqual([...t.encode("hello"), ...t.encode(" world")]);
  });

  it("rejects a vocabSize below 256 or fractional, and non-string text", () => {
    expect(() => trainBpe("abc", 255)).toThrow("trainBpe: vocabSize must be an integer in [256, 2097151], got 255");
    expect(() => trainBpe("abc", 300.5)).toThrow(RangeError);
    expect(() => trainBpe("abc", 256, { specialTokens: ["<s>"] })).toThrow("trainBpe: vocabSize must be an integer in [257, 2097151], got 256");
    expect(() => trainBpe(5 as unknown as string, 300)).toThrow(TypeError);
  });
});
