// npm run bench:rss [-- <previous/src/index.ts>]: peak RSS of a GPT-2-small-shaped model loaded as a
// user loads one — gptFromStateDict(loadSafetensors(bytes)), the bytes then dropped — generating 30
// tokens after a 100-token prompt, each variant in a fresh process (--expose-gc): this tree, this
// tree with residentParams, this tree reading the file with readSafetensors (a Blob, straight into
// the kernels' memory), and (given its sources) a previous release. Reported beside the bound
// RSS before loading + weights + KV cache (1024 positions) + 150 MB.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, existsSync, openAsBlob } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";

const GPT2 = { vocabSize: 50257, blockSize: 1024, nLayer: 12, nHead: 12, nEmbd: 768 };
const file = join(tmpdir(), "tp-rss-gpt2-small.safetensors");
const self = fileURLToPath(import.meta.url);

function vmHwm(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  return m ? Number(m[1]) * 1024 : NaN;
}

if (process.argv[2] === "--child") {
  const [lib, mode] = [process.argv[3], process.argv[4]];
  const tp = await import(pathToFileURL(lib).href);
  const gc = (globalThis as { gc?: () => void }).gc!;
  gc();
  const rss0 = process.memoryUsage().rss;
  let params;
  if (mode === "read") params = tp.gptFromStateDict(await tp.readSafetensors(await openAsBlob(file)), GPT2); // straight into the kernels' memory
  else if (mode.startsWith("gguf-")) {
    const path = ggufFile(process.argv[5]);
    params = tp.residentParams(tp.modelFromGguf(mode === "gguf-read" ? await tp.readGguf(await openAsBlob(path)) : tp.loadGguf(new Uint8Array(readFileSync(path)))));
  } else {
    let bytes: Uint8Array | null = readFileSync(file);
    params = tp.gptFromStateDict(tp.loadSafetensors(bytes), GPT2);
    bytes = null;
  }
  if (mode === "resident") params = tp.residentParams(params);
  gc();
  const gguf = mode.startsWith("gguf-"), prompt = Array.from({ length: gguf ? 128 : 100 }, (_, i) => (i * 7919) % 40000);
  let peakGen = 0, n = 0;
  const steps = tp.generate(params, prompt, { maxNewTokens: gguf ? 64 : 30, temperature: 0 });
  params = null;
  for (const _ of steps) {
    n++;
    peakGen = Math.max(peakGen, process.memoryUsage().rss);
  }
  console.log(JSON.stringify({ rss0, peakGen, hwm: vmHwm(), tokens: n }));
} else {
  const here = resolve(fileURLToPath(new URL("../src/index.ts", import.meta.url)));
  await ggufSection(here);
  if (!existsSync(file)) {
    const tp = await import(pathToFileURL(here).href);
    writeFileSync(file, tp.saveSafetensors(tp.gptToStateDict(tp.initGpt(GPT2, tp.createRng(1)))));
  }
  const weights = readFileSync(file).length, kv = 2 * GPT2.nLayer * GPT2.blockSize * GPT2.nEmbd * 4;
  const variants: [string, string, string][] = [["this tree", here, "plain"], ["this tree, residentParams", here, "resident"], ["this tree, readSafetensors(openAsBlob(file))", here, "read"]];
  if (process.argv[2]) variants.unshift(["previous release", resolve(process.argv[2]), "plain"]);
  console.log(`GPT-2-small shapes: ${(weights / 1e6).toFixed(0)} MB of weights (the file), KV cache ${(kv / 1e6).toFixed(0)} MB at 1024 positions`);
  console.log("| variant | RSS before loading | peak RSS while generating | peak RSS overall (VmHWM) | bound (before + weights + KV + 150 MB) |\n|---|---:|---:|---:|---:|");
  for (const [name, lib, mode] of variants) {
    const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", self, "--child", lib, mode], { encoding: "utf8", maxBuffer: 1 << 20 });
    const r = JSON.parse(out.trim().split("\n").pop()!);
    const mb = (x: number) => `${(x / 1e6).toFixed(0)} MB`;
    console.log(`| ${name} | ${mb(r.rss0)} | ${mb(r.peakGen)} | ${mb(r.hwm)} | ${mb(r.rss0 + weights + kv + 150e6)} |`);
  }
}

/** A SmolLM2-135M-shaped Llama (random weights) as a GGUF of `type`, written once (the llamacpp bench's shape). */
function ggufFile(type: string): string {
  return join(tmpdir(), `tp-rss-smollm2-shaped-${type}.gguf`);
}

/** GGUF files read as a user reads one — loadGguf(readFileSync) or readGguf(openAsBlob) — then residentParams(modelFromGguf(…)), 128 + 64 tokens. */
async function ggufSection(here: string): Promise<void> {
  const C = 576, L = 30, Hkv = 3, D = 64, blockSize = 2048;
  const config = { vocabSize: 49152, blockSize, nLayer: L, nHead: 9, nKvHead: Hkv, nEmbd: C, intermediateSize: 1536, ropeTheta: 100000, eps: 1e-5, tiedEmbeddings: true };
  const kv = 2 * L * blockSize * Hkv * D * 4;
  console.log(`\nSmolLM2-135M shapes as GGUF, 128-token prompt + 64 tokens; KV cache ${(kv / 1e6).toFixed(0)} MB at ${blockSize} positions`);
  console.log("| file | variant | file MB | RSS before loading | peak RSS while generating | peak RSS overall (VmHWM) | bound (before + file + KV + 150 MB) |\n|---|---|---:|---:|---:|---:|---:|");
  for (const type of ["q8_0", "q4_0", "f32"]) {
    const path = ggufFile(type);
    if (!existsSync(path)) {
      const tp = await import(pathToFileURL(here).href);
      writeFileSync(path, tp.modelToGguf(tp.initLlama(config, tp.createRng(9)), { type: type === "f32" ? undefined : type }));
    }
    const size = readFileSync(path).length;
    for (const [name, mode] of [["loadGguf(readFileSync(file))", "gguf-load"], ["readGguf(openAsBlob(file))", "gguf-read"]]) {
      const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", self, "--child", here, mode, type], { encoding: "utf8", maxBuffer: 1 << 20 });
      const r = JSON.parse(out.trim().split("\n").pop()!);
      const mb = (x: number) => `${(x / 1e6).toFixed(0)} MB`;
      console.log(`| ${type} | ${name} | ${(size / 1e6).toFixed(0)} | ${mb(r.rss0)} | ${mb(r.peakGen)} | ${mb(r.hwm)} | ${mb(r.rss0 + size + kv + 150e6)} |`);
    }
  }
}
