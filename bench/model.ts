// Whole-model benchmark: a GPT-2-small-shaped model (12 layers, C = 768, 12 heads, vocab 50257,
// random weights): forward tokens/s at T = 128 and 1024, and ms per new token with the KV cache at
// contexts 128 and 1024. For the per-token rows the cache is filled with random keys and values to
// the given length (the cost of one step does not depend on what the cache holds), which avoids a
// minute-long prefill per row.
import { createGptCache, createRng, gptForward, initGpt, countParameters, flopsPerToken, type GptConfig } from "../src/index";
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
    const cache = createGptCache(config);
    for (const layer of cache.layers) {
      for (let i = 0; i < layer.k.length; i++) { layer.k[i] = rng.normal(); layer.v[i] = rng.normal(); }
    }
    const setLength = (n: number) => {
      for (const layer of cache.layers) layer.length = n;
      (cache as { length: number }).length = n;
    };
    const t = measure(() => { setLength(context - 1); gptForward(params, [42], { cache }); }, { warmup: 1, minRuns: 5, minMs: 2000 });
    rows.push({ row: `generate step at context ${context}`, "ms": t.median, "tokens/s": 1000 / t.median, "GFLOP/s": flopsPerToken(config, context) / 1e9 / (t.median / 1000) });
    console.log(`  generate step at context ${context}: ${t.median.toFixed(1)} ms`);
  }
  table("GPT-2-small-shaped model (random weights, one thread)", rows);
  return rows;
}
