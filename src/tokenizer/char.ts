// A character-level tokenizer: one id per distinct code point.
import { checkIds, describe } from "../internal/check";

/** A character-level tokenizer. Its methods do not depend on `this`. @category 2 · Tokenizers */
export interface CharTokenizer {
  /** The number of distinct characters. */
  readonly vocabSize: number;
  /** The characters, in id order (sorted by code point). */
  readonly chars: readonly string[];
  /** One id per code point; an unknown character throws, naming it and its position. */
  encode(text: string): number[];
  /** Ids → text. */
  decode(ids: ArrayLike<number>): string;
}

/**
 * Builds a character tokenizer from text: the vocabulary is its distinct code points, sorted by
 * code point, so ids are stable for the same set of characters.
 * @param text - the training text
 * @returns a {@link CharTokenizer}
 * @throws TypeError when text is not a string
 * @category 2 · Tokenizers
 * @example
 * ```ts
 * const tok = CharTokenizer.fromText("hello world");
 * tok.vocabSize;          // 8: " ", d, e, h, l, o, r, w
 * tok.encode("hold");     // [3, 5, 4, 1]
 * ```
 */
function fromText(text: string): CharTokenizer {
  if (typeof text !== "string") throw new TypeError(`CharTokenizer.fromText: text must be a string, got ${describe(text)}`);
  const chars = [...new Set(text)].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
  const ids = new Map(chars.map((c, i) => [c, i]));
  return {
    vocabSize: chars.length,
    chars,
    encode(s: string): number[] {
      if (typeof s !== "string") throw new TypeError(`CharTokenizer.encode: text must be a string, got ${describe(s)}`);
      const out: number[] = [];
      let pos = 0;
      for (const ch of s) {
        const id = ids.get(ch);
        if (id === undefined) {
          throw new RangeError(`CharTokenizer.encode: the character ${JSON.stringify(ch)} (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}) at index ${pos} is not in the vocabulary of ${chars.length} characters`);
        }
        out.push(id);
        pos += ch.length;
      }
      return out;
    },
    decode(list: ArrayLike<number>): string {
      checkIds("CharTokenizer.decode", "ids", list, chars.length);
      let s = "";
      for (let i = 0; i < list.length; i++) s += chars[list[i]];
      return s;
    },
  };
}

/**
 * Character tokenizers: `CharTokenizer.fromText(text)`. @category 2 · Tokenizers
 * @example
 * ```ts
 * CharTokenizer.fromText("hello").encode("hell"); // [1, 0, 2, 2]
 * ```
 */
export const CharTokenizer = { fromText };
