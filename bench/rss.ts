// npm run bench:rss [-- <previous/src/index.ts>]: peak RSS of a GPT-2-small-shaped model loaded as a
// user loads one — gptFromStateDict(loadSafetensors(bytes)), the bytes then dropped — generating 30
// tokens after a 100-token prompt, each variant in a fresh process (--expose-gc): this tree, this
// tree with residentParams, and (given its sources) a previous release. Reported beside the bound
// RSS before loading + weights + KV cache (1024 positions) + 150 MB.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
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
  let bytes: Uint8Array | null = readFileSync(file);
  let params = tp.gptFromStateDict(tp.loadSafetensors(bytes), GPT2);
  bytes = null;
  if (mode === "resident") params = tp.residentParams(params);
  gc();
  const prompt = Array.from({ length: 100 }, (_, i) => (i * 7919) % 50000);
  let peakGen = 0, n = 0;
  const steps = tp.generate(params, prompt, { maxNewTokens: 30, temperature: 0 });
  params = null;
  for (const _ of steps) {
    n++;
    peakGen = Math.max(peakGen, process.memoryUsage().rss);
  }
  console.log(JSON.stringify({ rss0, peakGen, hwm: vmHwm(), tokens: n }));
} else {
  const here = resolve(fileURLToPath(new URL("../src/index.ts", import.meta.url)));
  if (!existsSync(file)) {
    const tp = await import(pathToFileURL(here).href);
    writeFileSync(file, tp.saveSafetensors(tp.gptToStateDict(tp.initGpt(GPT2, tp.createRng(1)))));
  }
  const weights = readFileSync(file).length, kv = 2 * GPT2.nLayer * GPT2.blockSize * GPT2.nEmbd * 4;
  const variants: [string, string, string][] = [["this tree", here, "plain"], ["this tree, residentParams", here, "resident"]];
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
