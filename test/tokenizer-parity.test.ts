// Exact parity with tiktoken itself (the `tiktoken` package: OpenAI's Rust core compiled to WASM).
import { afterAll, describe, expect, it } from "vitest";
import { get_encoding, type Tiktoken } from "tiktoken";
import { encode as gptR50k } from "gpt-tokenizer/encoding/r50k_base";
import { encode as gptCl100k } from "gpt-tokenizer/encoding/cl100k_base";
import { corpus, corpusAvailable, edgeCases, openai, wellFormed, type Encoding } from "./helpers/corpus";

const encodings: Encoding[] = ["r50k_base", "cl100k_base", "o200k_base"];
const refs = new Map<Encoding, Tiktoken>();
const ref = (e: Encoding) => refs.get(e) ?? refs.set(e, get_encoding(e)).get(e)!;
afterAll(() => refs.forEach((r) => r.free()));

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
}

// In CI the corpus is always beside the repository: a missing corpus there is a failure, never a silent skip.
it("the shared corpus is present where it must be (CI)", () => {
  if (process.env.CI) expect(corpusAvailable, "../shared/corpus is missing in CI").toBe(true);
  else expect(typeof corpusAvailable).toBe("boolean");
});

describe.skipIf(!corpusAvailable)("BpeTokenizer.fromTiktoken parity with tiktoken on ../shared/corpus", () => {
  for (const e of encodings) {
    for (const file of ["english", "code", "multilingual"] as const) {
      it(`${e}: encodeOrdinary(${file}.txt) gives tiktoken's ids, and decode gives the text back`, () => {
        const text = corpus(file);
        const ids = openai(e).encodeOrdinary(text);
        const expected = ref(e).encode_ordinary(text);
        expect(firstDifference(ids, expected)).toBe(-1);
        expect(ids.length).toBe(expected.length);
        expect(openai(e).decode(ids) === text).toBe(true);
      });
    }

    if (e !== "o200k_base") it(`${e}: gpt-tokenizer (pure JS) gives the same ids on the three corpus files`, () => {
      const peer = e === "r50k_base" ? gptR50k : gptCl100k;
      for (const file of ["english", "code", "multilingual"] as const) {
        const text = corpus(file);
        expect(firstDifference(openai(e).encodeOrdinary(text), peer(text, { disallowedSpecial: new Set() }))).toBe(-1);
      }
    });

    it(`${e}: every string of edge-cases.json gives tiktoken's ids and decodes back (lone surrogates as U+FFFD)`, () => {
      const failures: string[] = [];
      for (const c of edgeCases()) {
        const ids = openai(e).encodeOrdinary(c.text);
        if (firstDifference(ids, ref(e).encode_ordinary(c.text)) >= 0) failures.push(`${c.id}: ids differ`);
        if (openai(e).decode(ids) !== wellFormed(c.text)) failures.push(`${c.id}: decode differs`);
      }
      expect(failures).toEqual([]);
    });

    it(`${e}: encode(text, { allowedSpecial: "all" }) gives tiktoken's ids for text with special tokens`, () => {
      const text = "Hello<|endoftext|> world<|endoftext|><|endoftext|>!";
      expect(openai(e).encode(text, { allowedSpecial: "all" })).toEqual(Array.from(ref(e).encode(text, "all")));
      expect(openai(e).encodeOrdinary(text)).toEqual(Array.from(ref(e).encode_ordinary(text)));
    });
  }

  it("decode keeps a leading BOM and needs no ids to give an empty string", () => {
    const t = openai("r50k_base");
    expect(t.decode(t.encode("\uFEFFhello"))).toBe("\uFEFFhello");
    expect(t.decode([])).toBe("");
  });
});
