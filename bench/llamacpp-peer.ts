// llama.cpp through node-llama-cpp (prebuilt linux-x64, ~85 MB), installed on first use into
// bench/llamacpp/node_modules without downloads of its own or install scripts (../shared/PEERS.md),
// for the llamacpp/quant benches and the GGUF oracle test. Typed here by the little they use, so
// that nothing needs its types before it is installed.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";

export interface LlamaCppSequence {
  evaluate(ids: number[], options: { temperature: number }): AsyncIterable<number>;
  controlledEvaluate(input: unknown[]): Promise<Array<undefined | { next: { probabilities?: Map<number, number> } }>>;
}
export interface LlamaCppContext { getSequence(): LlamaCppSequence; dispose(): Promise<void> }
export interface LlamaCppModel {
  /** llama.cpp's llama_tokenize: `specialTokens` is its parse_special. */
  tokenize(text: string, specialTokens?: boolean): number[];
  createContext(options: { contextSize: number; threads: number; batchSize?: number; sequences?: number }): Promise<LlamaCppContext>;
  dispose(): Promise<void>;
}
export interface LlamaCpp { loadModel(options: { modelPath: string }): Promise<LlamaCppModel>; dispose(): Promise<void> }

/** llama.cpp on the CPU, installing the peer first where it is missing. */
export async function llamaCpp(): Promise<LlamaCpp> {
  const dir = new URL("./llamacpp/", import.meta.url).pathname;
  if (!existsSync(`${dir}node_modules/node-llama-cpp`)) {
    console.log("installing node-llama-cpp into bench/llamacpp/node_modules (prebuilt, no downloads)…");
    execSync("npm ci --omit=optional --ignore-scripts --no-audit --no-fund", { cwd: dir, stdio: "inherit", env: { ...process.env, NODE_LLAMA_CPP_SKIP_DOWNLOAD: "true" } });
  }
  const { getLlama } = (await import(`${dir}node_modules/node-llama-cpp/dist/index.js`)) as { getLlama(options: object): Promise<LlamaCpp> };
  return getLlama({ gpu: false, build: "never", skipDownload: true, logLevel: "error" });
}
