// npm run bench llamacpp: a SmolLM2-135M-shaped Llama (random weights, float32) in llama.cpp
// (node-llama-cpp, one thread) and here, in the same process, the same minute: prompt tokens/s
// (128 tokens, the first new token included) and generate ms per token. llama.cpp reads the same
// shapes as an F32 GGUF written below (a minimal writer for this benchmark's file only: GGUF
// reading and writing belong to the library's own weights module). Its peer is installed on first
// use into bench/llamacpp/node_modules (~700 MB of prebuilt binaries), without downloads or
// install scripts, as ../shared/PEERS.md shows; so this suite runs only when named.
import { execSync } from "node:child_process";
import { closeSync, existsSync, openSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRng, generate, initLlama, residentParams, type LlamaConfig, type LlamaParams } from "../src/index";
import { table, type Row } from "./harness";

const C = 576, L = 30, H = 9, Hkv = 3, I = 1536, V = 49152, D = C / H;
const CONFIG: LlamaConfig = { vocabSize: V, blockSize: 2048, nLayer: L, nHead: H, nKvHead: Hkv, nEmbd: C, intermediateSize: I, ropeTheta: 100000, eps: 1e-5, tiedEmbeddings: true };
const PROMPT = Array.from({ length: 128 }, (_, i) => 2 + ((i * 7919) % 40000));

/** The same shapes as a llama.cpp F32 GGUF (v3): its converter's tensor names, ne = {in, out}, random values. */
function writeGguf(path: string): void {
  const kv: [string, number, unknown][] = [];
  const str = (k: string, v: string) => kv.push([k, 8, v]), u32 = (k: string, v: number) => kv.push([k, 4, v]), f32 = (k: string, v: number) => kv.push([k, 6, v]);
  str("general.architecture", "llama");
  u32("llama.context_length", 2048); u32("llama.embedding_length", C); u32("llama.block_count", L); u32("llama.feed_forward_length", I);
  u32("llama.attention.head_count", H); u32("llama.attention.head_count_kv", Hkv); f32("llama.rope.freq_base", 100000);
  f32("llama.attention.layer_norm_rms_epsilon", 1e-5); u32("llama.rope.dimension_count", D); u32("general.file_type", 0);
  str("tokenizer.ggml.model", "gpt2"); str("tokenizer.ggml.pre", "default");
  kv.push(["tokenizer.ggml.tokens", 9, [8, Array.from({ length: V }, (_, i) => `t${i}`)]]);
  kv.push(["tokenizer.ggml.token_type", 9, [5, Array.from({ length: V }, () => 1)]]);
  kv.push(["tokenizer.ggml.merges", 9, [8, ["t 0"]]]);
  u32("tokenizer.ggml.bos_token_id", 0); u32("tokenizer.ggml.eos_token_id", 1);
  const tensors: [string, number[]][] = [["token_embd.weight", [C, V]], ["output_norm.weight", [C]]];
  for (let l = 0; l < L; l++) {
    tensors.push([`blk.${l}.attn_norm.weight`, [C]], [`blk.${l}.attn_q.weight`, [C, C]], [`blk.${l}.attn_k.weight`, [C, Hkv * D]], [`blk.${l}.attn_v.weight`, [C, Hkv * D]],
      [`blk.${l}.attn_output.weight`, [C, C]], [`blk.${l}.ffn_norm.weight`, [C]], [`blk.${l}.ffn_gate.weight`, [C, I]], [`blk.${l}.ffn_up.weight`, [C, I]], [`blk.${l}.ffn_down.weight`, [I, C]]);
  }
  const parts: Buffer[] = [];
  const u32b = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };
  const u64b = (v: number) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); return b; };
  const sb = (s: string) => { const t = Buffer.from(s, "utf8"); return Buffer.concat([u64b(t.length), t]); };
  const val = (type: number, v: unknown): Buffer => {
    if (type === 8) return sb(v as string);
    if (type === 4) return u32b(v as number);
    if (type === 5) { const b = Buffer.alloc(4); b.writeInt32LE(v as number); return b; }
    if (type === 6) { const b = Buffer.alloc(4); b.writeFloatLE(v as number); return b; }
    const [et, arr] = v as [number, unknown[]];
    return Buffer.concat([u32b(et), u64b(arr.length), ...arr.map((x) => val(et, x))]);
  };
  parts.push(Buffer.from("GGUF"), u32b(3), u64b(tensors.length), u64b(kv.length));
  for (const [k, t, v] of kv) parts.push(sb(k), u32b(t), val(t, v));
  const padded = (n: number) => Math.ceil((n * 4) / 32) * 32;
  let offset = 0;
  for (const [name, ne] of tensors) {
    parts.push(sb(name), u32b(ne.length), ...ne.map(u64b), u32b(0), u64b(offset));
    offset += padded(ne.reduce((a, b) => a * b, 1));
  }
  const headerBytes = parts.reduce((n, p) => n + p.length, 0);
  parts.push(Buffer.alloc((32 - (headerBytes % 32)) % 32));
  const fd = openSync(path, "w");
  for (const p of parts) writeSync(fd, p);
  const rng = createRng(9);
  for (const [name, ne] of tensors) {
    const n = ne.reduce((a, b) => a * b, 1), f = new Float32Array(padded(n) / 4);
    for (let i = 0; i < n; i++) f[i] = name.includes("norm") ? 1 : rng.normal() * 0.02;
    writeSync(fd, new Uint8Array(f.buffer));
  }
  closeSync(fd);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function ours(params: LlamaParams): { prefill: number; decode: number } {
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

export async function benchLlamaCpp(): Promise<Row[]> {
  const dir = new URL("./llamacpp/", import.meta.url).pathname;
  if (!existsSync(`${dir}node_modules/node-llama-cpp`)) {
    console.log("bench: installing node-llama-cpp into bench/llamacpp/node_modules (prebuilt, no downloads)…");
    execSync("npm ci --omit=optional --ignore-scripts --no-audit --no-fund", { cwd: dir, stdio: "inherit", env: { ...process.env, NODE_LLAMA_CPP_SKIP_DOWNLOAD: "true" } });
  }
  const gguf = join(tmpdir(), "tp-bench-smollm2-shaped-f32.gguf");
  if (!existsSync(gguf)) writeGguf(gguf);
  const { getLlama } = (await import(`${dir}node_modules/node-llama-cpp/dist/index.js`)) as typeof import("node-llama-cpp");
  const llama = await getLlama({ gpu: false, build: "never", skipDownload: true, logLevel: "error" as never });
  const model = await llama.loadModel({ modelPath: gguf });
  const theirs = async () => {
    const context = await model.createContext({ contextSize: 2048, threads: 1, batchSize: 512, sequences: 1 });
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
  const params = initLlama(CONFIG, createRng(9)), resident = residentParams(params);
  const runs: Record<string, { prefill: number[]; decode: number[] }> = { "llama.cpp": { prefill: [], decode: [] }, ours: { prefill: [], decode: [] }, "ours, residentParams": { prefill: [], decode: [] } };
  for (let r = 0; r < 3; r++) { // alternating, so that a busy phase of the machine hits both
    for (const [name, run] of [["llama.cpp", theirs], ["ours", async () => ours(params)], ["ours, residentParams", async () => ours(resident)]] as const) {
      const m = await run();
      runs[name].prefill.push(m.prefill);
      runs[name].decode.push(m.decode);
    }
  }
  await model.dispose();
  const rows: Row[] = Object.entries(runs).map(([name, m]) => ({ row: name, "prompt tokens/s": median(m.prefill), "ms per token": median(m.decode) }));
  const base = runs["llama.cpp"];
  for (const row of rows) {
    row["prompt vs llama.cpp"] = (row["prompt tokens/s"] as number) / median(base.prefill);
    row["decode vs llama.cpp"] = median(base.decode) / (row["ms per token"] as number);
  }
  table("SmolLM2-135M-shaped Llama, float32, one thread: 128-token prompt (first token included), then generate (medians of 3)", rows);
  return rows;
}
