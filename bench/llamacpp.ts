// npm run bench llamacpp | quant: a SmolLM2-135M-shaped Llama (random weights) in llama.cpp
// (node-llama-cpp) and here, at the same thread count (1, then 2 where the machine has two cores), in the same process, the same minute, on the same GGUF
// file (written by modelToGguf, read back by loadGguf + modelFromGguf, held by residentParams): prompt tokens/s (128
// tokens, the first new token included) and generate ms per token, for F32, F16, Q8_0 and Q4_0
// (`quant`: the block formats Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K). Its peer is installed on first use into bench/llamacpp/node_modules
// (~700 MB of prebuilt binaries), without downloads or install scripts, as ../shared/PEERS.md shows;
// so these suites run only when named.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRng, generate, initLlama, loadGguf, modelFromGguf, modelToGguf, quantizeModel, residentParams, setThreads, type LlamaConfig, type LlamaParams, type Weight, type WeightType } from "../src/index";
import { table, type Row } from "./harness";
import { llamaCpp } from "./llamacpp-peer";

const C = 576, L = 30, H = 9, Hkv = 3, I = 1536, V = 49152;
const CONFIG: LlamaConfig = { vocabSize: V, blockSize: 2048, nLayer: L, nHead: H, nKvHead: Hkv, nEmbd: C, intermediateSize: I, ropeTheta: 100000, eps: 1e-5, tiedEmbeddings: true };
const PROMPT = Array.from({ length: 128 }, (_, i) => 2 + ((i * 7919) % 40000));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function ours(params: LlamaParams<Weight>): { prefill: number; decode: number } {
  const steps = generate(params, PROMPT, { maxNewTokens: 14, temperature: 0 });
  let t = performance.now();
  steps.next();
  const first = performance.now() - t, ts: number[] = [];
  for (let i = 0; i < 12; i++) {
    t = performance.now();
    steps.next();
    ts.push(performance.now() - t);
  }
  steps.return();
  return { prefill: PROMPT.length / (first / 1000), decode: median(ts) };
}

export async function benchLlamaCpp(types: WeightType[] = ["f32", "f16", "q8_0", "q4_0"], threadCounts: number[] = [1]): Promise<Row[]> {
  const llama = await llamaCpp();
  const base = initLlama(CONFIG, createRng(9));
  const rows: Row[] = [];
  for (const type of types) {
    // a K-quant's rows must hold whole super-blocks of 256: SmolLM2's 576-wide ones take llama.cpp's
    // fallback (Q4_K → Q5_0, Q5_K → Q5_1, Q6_K → Q8_0), as its quantizer writes a Q4_K file of this model
    const fallback = ({ q4_k: "q5_0", q5_k: "q5_1", q6_k: "q8_0" } as Partial<Record<WeightType, WeightType>>)[type];
    const bytes = fallback === undefined
      ? modelToGguf(base, { type: type === "f32" ? undefined : type })
      : modelToGguf(quantizeModel(base, type, { keep: (_, t) => (t.shape[1] % 256 === 0 ? undefined : fallback) }));
    const path = join(tmpdir(), `tp-bench-smollm2-shaped-${type}.gguf`);
    writeFileSync(path, bytes);
    const model = await llama.loadModel({ modelPath: path });
    const theirs = async (threads: number) => {
      const context = await model.createContext({ contextSize: 2048, threads, batchSize: 512, sequences: 1 });
      const seq = context.getSequence();
      let t = performance.now(), first = 0, n = 0;
      const ts: number[] = [];
      for await (const _ of seq.evaluate(PROMPT, { temperature: 0 })) {
        const now = performance.now();
        if (n === 0) first = now - t;
        else ts.push(now - t);
        t = now;
        if (++n === 13) break;
      }
      await context.dispose();
      return { prefill: PROMPT.length / (first / 1000), decode: median(ts) };
    };
    // held once in kernel memory, as llama.cpp holds its model: each generation reads it in place
    const params = residentParams(modelFromGguf(loadGguf(bytes)) as LlamaParams<Weight>);
    for (const threads of threadCounts) {
      setThreads(threads);
      ours(params); // our workers start on first use (until then the caller runs every slice)
      await new Promise((ok) => setTimeout(ok, 300));
      const runs: Record<string, { prefill: number[]; decode: number[] }> = { "llama.cpp": { prefill: [], decode: [] }, ours: { prefill: [], decode: [] } };
      for (let r = 0; r < 3; r++) { // alternating, so that a busy phase of the machine hits both
        for (const [name, run] of [["llama.cpp", () => theirs(threads)], ["ours", async () => ours(params)]] as const) {
          const m = await run();
          runs[name].prefill.push(m.prefill);
          runs[name].decode.push(m.decode);
        }
      }
      const them = runs["llama.cpp"], us = runs.ours;
      rows.push({
        row: fallback === undefined ? type : `${type} (+${fallback})`, threads: String(threads), "MB of weights": bytes.length / 1e6,
        "llama.cpp tok/s": median(them.prefill), "ours tok/s": median(us.prefill), "prompt vs llama.cpp": median(us.prefill) / median(them.prefill),
        "llama.cpp ms/token": median(them.decode), "ours ms/token": median(us.decode), "decode vs llama.cpp": median(them.decode) / median(us.decode),
      });
    }
    setThreads(1);
    await model.dispose();
  }
  await llama.dispose();
  table("SmolLM2-135M-shaped Llama, the same GGUF file, both engines at the same thread count: 128-token prompt (first token included), then generate (medians of 3)", rows);
  return rows;
}
