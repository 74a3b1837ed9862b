// Whole-model benchmark: a GPT-2-small-shaped model (12 layers, C = 768, 12 heads, vocab 50257,
// random weights): forward tokens/s at T = 128 and 1024, and ms per new token of `generate` (KV
// cache) at contexts of about 128 and 1024: the median of 5 steps after a prompt just short of it;
// and the bytes `generate` allocates per token (bench/generate-alloc.ts, in a child process).
import { createRng, generate, gptForward, initGpt, countParameters, flopsPerToken, type GptConfig } from "../src/index";
import { execFileSync } from "node:child_process";
import { measure, table, type Row } from "./harness";

export async function benchModel(): Promise<Row[]> {
  const config: GptConfig = { vocabSize: 50257, blockSize: 1024, nLayer: 12, nHead: 12, nEmbd: 768 };
  const rng = createRng(7);
  const t0 = performance.now();
  const params = initGpt(config, rng);
  console.log(`  GPT-2-small-shaped model: ${countParameters(config).toLocaleString("en")} parameters, initialised in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const rows: Row[] = [];
  for (const T of [128, 1024]) {
    const ids = Array.from({ length: T }, () => Math.floor(rng.uniform() * config.vocabSize));
    const t = measure(() => gptForward(params, ids), { warmup: T > 128 ? 0 : 1, minRuns: 1, minMs: 0, maxRuns: T > 128 ? 1 : 3 });
    const gflops = (flopsPerToken(config, T) * T) / 1e9;
    rows.push({ row: `forward T=${T}`, "ms": t.median, "tokens/s": T / (t.median / 1000), "GFLOP/s": gflops / (t.median / 1000) });
    console.log(`  forward T=${T}: ${t.median.toFixed(0)} ms`);
  }
  for (const context of [128, 1024]) {
    // a prompt just short of the context, then time the next tokens (the cache grows to `context`)
    const prompt = Array.from({ length: context - 6 }, () => Math.floor(rng.uniform() * config.vocabSize));
    const steps = generate(params, prompt, { maxNewTokens: 6, temperature: 0 })[Symbol.iterator]();
    steps.next(); // the prompt's forward pass and the first token
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      steps.next();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const ms = times[2];
    rows.push({ row: `generate, per token at context ~${context}`, "ms": ms, "tokens/s": 1000 / ms, "GFLOP/s": flopsPerToken(config, context) / 1e9 / (ms / 1000) });
    console.log(`  generate at context ${context}: ${ms.toFixed(1)} ms per token`);
  }
  table("GPT-2-small-shaped model (random weights, one thread)", rows);
  const alloc = execFileSync(process.execPath, [
    "--expose-gc", "--min-semi-space-size=128", "--max-semi-space-size=128", "--import", "tsx",
    new URL("./generate-alloc.ts", import.meta.url).pathname, "1", "100", "16",
  ], { encoding: "utf8" });
  rows.push({ row: "generate, bytes allocated per token (child process)", ...JSON.parse(alloc) });
  console.log(`  generate allocates per token (GPT-2-small shape, sampling with top-k; JS heap, quietest 16-token window / median window; ArrayBuffers): ${alloc.trim()}`);
  return rows;
}
