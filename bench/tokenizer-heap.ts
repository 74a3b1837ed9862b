// Run in a child process with --expose-gc: heap growth from loading GPT-2's ranks, ours and peers'.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { BpeTokenizer, PATTERNS, SPECIAL_TOKENS } from "../src/index";

const require = createRequire(import.meta.url);
const gc = (globalThis as { gc?: () => void }).gc!;
const ranks = readFileSync(require.resolve("gpt-tokenizer/data/r50k_base.tiktoken"), "utf8");
const used = () => { gc(); gc(); return process.memoryUsage().heapUsed; };
const base = used();
const tok = BpeTokenizer.fromTiktoken(ranks, { pattern: PATTERNS.r50k_base, specialTokens: SPECIAL_TOKENS.r50k_base });
const ours = used() - base;
const keep = [tok];
const base2 = used();
const gpt = await import("gpt-tokenizer/encoding/r50k_base");
gpt.encode("warm up");
const gptHeap = used() - base2;
keep.push(gpt as never);
console.log(JSON.stringify({ "ours MB": +(ours / 1e6).toFixed(1), "gpt-tokenizer MB": +(gptHeap / 1e6).toFixed(1) }));
