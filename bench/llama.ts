// A SmolLM2-135M-shaped Llama (30 layers, C = 576, 9 query heads / 3 KV heads, SwiGLU 1536,
// vocab 49,152, tied head; random weights): prompt tokens/s and generate ms per token at contexts
// 128 and 1024, with the bytes of weights and KV cache streamed per token, against this machine's
// memcpy bandwidth measured in the same process. GQA's point shows in the KV cache: H / Hkv = 3
// times smaller than multi-head attention's, read once per k/v head (its 3 query heads run back to
// back on the same keys and values, which stay in cache between them).
import { createLlamaCache, createLlamaWorkspace, createRng, generate, initLlama, llamaForward, type LlamaConfig } from "../src/index";
import { table, type Row } from "./harness";

/** memcpy bandwidth in bytes/s (bytes copied per second, each way): median of 5 copies of 256 MB. */
function memcpyBandwidth(): number {
  const a = new Float32Array(64 << 20), b = new Float32Array(64 << 20);
  a.fill(1);
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const t = performance.now();
    b.set(a);
    times.push(performance.now() - t);
  }
  times.sort((x, y) => x - y);
  return a.byteLength / (times[3] / 1000);
}

export async function benchLlama(): Promise<Row[]> {
  const config: LlamaConfig = { vocabSize: 49152, blockSize: 2048, nLayer: 30, nHead: 9, nKvHead: 3, nEmbd: 576, intermediateSize: 1536, ropeTheta: 100000, eps: 1e-5, tiedEmbeddings: true };
  const t0 = performance.now();
  const params = initLlama(config, createRng(8));
  const C = config.nEmbd, D = C / config.nHead, Hkv = config.nKvHead!, I = config.intermediateSize;
  const matrixFloats = config.nLayer * (C * C * 2 + 2 * Hkv * D * C + 3 * I * C) + config.vocabSize * C;
  console.log(`  SmolLM2-135M-shaped Llama: ${(matrixFloats / 1e6).toFixed(1)} M matrix weights (${(matrixFloats * 4 / 1e6).toFixed(0)} MB), initialised in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const bandwidth = memcpyBandwidth();
  console.log(`  memcpy on this machine: ${(bandwidth / 1e9).toFixed(1)} GB/s (256 MB Float32Array.set, median of 6)`);
  const rows: Row[] = [];
  const rng = createRng(9);
  for (const context of [128, 1024]) {
    const prompt = Array.from({ length: context - 6 }, () => Math.floor(rng.uniform() * config.vocabSize));
    // the prompt's forward pass alone: chunks of 64 tokens over a KV cache, in a workspace
    const cache = createLlamaCache(config), ws = createLlamaWorkspace(config, { tokens: 64 });
    let t = performance.now();
    for (let s = 0; s < prompt.length; s += 64) llamaForward(params, prompt.slice(s, s + 64), { cache, workspace: ws, logits: "last" });
    const promptMs = performance.now() - t;
    const steps = generate(params, prompt, { maxNewTokens: 6, temperature: 0 });
    t = performance.now();
    steps.next(); // the weights, KV cache and workspace into the kernels' memory, the prompt in chunks of 64, and the first token
    const firstMs = performance.now() - t;
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      t = performance.now();
      steps.next();
      times.push(performance.now() - t);
    }
    steps.return();
    times.sort((a, b) => a - b);
    const ms = times[2];
    const kvBytes = 2 * config.nLayer * Hkv * context * D * 4; // what one token's attention reads
    const streamed = matrixFloats * 4 + kvBytes;
    const share = streamed / (ms / 1000) / bandwidth;
    rows.push({ row: `prompt of ${prompt.length} tokens (llamaForward, chunks of 64)`, "ms": promptMs, "tokens/s": prompt.length / (promptMs / 1000) });
    rows.push({ row: `generate's first token after ${prompt.length} (0.5 GB into the kernels' memory, then the prompt)`, "ms": firstMs, "tokens/s": 1000 / firstMs });
    rows.push({
      row: `generate, per token at context ~${context}`, "ms": ms, "tokens/s": 1000 / ms,
      "MB streamed": streamed / 1e6, "KV cache MB": kvBytes / 1e6, "KV MB if multi-head": kvBytes * config.nHead / Hkv / 1e6, "of memcpy": share,
    });
    console.log(`  context ${context}: prompt ${(prompt.length / (promptMs / 1000)).toFixed(0)} tokens/s, first token of generate after ${firstMs.toFixed(0)} ms; generate ${ms.toFixed(1)} ms per token, ${(streamed / 1e6).toFixed(0)} MB streamed (KV ${(kvBytes / 1e6).toFixed(1)} MB, ${(kvBytes * 3 / 1e6).toFixed(1)} MB without GQA) = ${(share * 100).toFixed(0)}% of memcpy`);
  }
  table("SmolLM2-135M-shaped Llama (random weights, one thread)", rows);
  return rows;
}
