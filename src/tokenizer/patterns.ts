/**
 * Pre-tokenisation patterns: how text is cut into pieces before byte-pair merging. Each piece is
 * encoded on its own, so tokens never cross piece boundaries (a word never merges with the space
 * after it, only with the one before).
 * @module
 */

// tiktoken's patterns run in Rust's regex engine, whose `\s` is Unicode White_Space. JavaScript's
// `\s` differs in two code points: it adds U+FEFF (the BOM) and leaves out U+0085 (NEL). Spelling
// the class out keeps the pieces identical to tiktoken's.
const WS = "\\t-\\r \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";
const S = `[${WS}]`;
const NOT_S = `[^${WS}]`;
const NOT_S_L_N = `[^${WS}\\p{L}\\p{N}]`;
// tiktoken's (?i:'s|'t|'re|'ve|'m|'ll|'d), expanded for engines without inline flags.
const CONTRACTIONS_I = "'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD]";

/**
 * The pre-tokenisation patterns of OpenAI's encodings, as JavaScript `RegExp` sources (use them
 * with the `u` flag; the tokenizer adds `gu`). They give the same pieces as tiktoken's Rust regexes.
 * @category 2 · Tokenizers
 * @example
 * ```ts
 * "Hello world's".match(new RegExp(PATTERNS.r50k_base, "gu")); // ["Hello", " world", "'s"]
 * ```
 */
export const PATTERNS = {
  /** GPT-2 and GPT-3 (`r50k_base`; `p50k_base` uses the same pattern). */
  r50k_base: `'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?${NOT_S_L_N}+|${S}+(?!${NOT_S})|${S}+`,
  /** GPT-3.5 and GPT-4 (`cl100k_base`). */
  cl100k_base: `${CONTRACTIONS_I}|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?${NOT_S_L_N}+[\\r\\n]*|${S}*[\\r\\n]+|${S}+(?!${NOT_S})|${S}+`,
  /** GPT-4o (`o200k_base`). */
  o200k_base: [
    `[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?:${CONTRACTIONS_I})?`,
    `[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?:${CONTRACTIONS_I})?`,
    `\\p{N}{1,3}`,
    ` ?${NOT_S_L_N}+[\\r\\n/]*`,
    `${S}*[\\r\\n]+`,
    `${S}+(?!${NOT_S})`,
    `${S}+`,
  ].join("|"),
} as const;

/**
 * The special tokens of OpenAI's encodings, by name. @category 2 · Tokenizers
 * @example
 * ```ts
 * SPECIAL_TOKENS.cl100k_base["<|endoftext|>"]; // 100257
 * ```
 */
export const SPECIAL_TOKENS = {
  r50k_base: { "<|endoftext|>": 50256 },
  cl100k_base: { "<|endoftext|>": 100257, "<|fim_prefix|>": 100258, "<|fim_middle|>": 100259, "<|fim_suffix|>": 100260, "<|endofprompt|>": 100276 },
  o200k_base: { "<|endoftext|>": 199999, "<|endofprompt|>": 200018 },
} as const;

/**
 * Cuts text into pieces with a global (`g`) pattern and calls visit(piece, start) for each, in
 * order. Text the pattern skips becomes a piece of its own, so nothing is ever dropped; a pattern
 * that matches the empty string cannot loop forever.
 * @internal
 */
export function forEachPiece(regex: RegExp, text: string, visit: (piece: string, start: number) => void, isolateDigits = false): void {
  if (isolateDigits) return forEachDigitSplit(regex, text, visit);
  regex.lastIndex = 0;
  let last = 0, m: RegExpExecArray | null;
  while ((m = regex.exec(text)) !== null) {
    const piece = m[0];
    if (piece.length === 0) {
      regex.lastIndex++;
      continue;
    }
    if (m.index > last) visit(text.slice(last, m.index), last);
    visit(piece, m.index);
    last = m.index + piece.length;
  }
  if (last < text.length) visit(text.slice(last), last);
}

const DIGIT = /\p{N}/gu;

/**
 * Each digit (\p{N}) a piece of its own, and the pattern's pieces of the text between digits, as
 * Hugging Face's `Digits { individual_digits: true }` before its `ByteLevel` (SmolLM), and
 * llama.cpp's `smollm` pre-tokenizer: the pattern never sees across a digit.
 */
function forEachDigitSplit(regex: RegExp, text: string, visit: (piece: string, start: number) => void): void {
  DIGIT.lastIndex = 0;
  let last = 0, m: RegExpExecArray | null;
  while ((m = DIGIT.exec(text)) !== null) {
    if (m.index > last) forEachPiece(regex, text.slice(last, m.index), (p, at) => visit(p, last + at));
    visit(m[0], m.index);
    last = m.index + m[0].length;
  }
  if (last < text.length) forEachPiece(regex, text.slice(last), (p, at) => visit(p, last + at));
}

/** s as a regular expression that matches it literally (special and added tokens). */
export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
