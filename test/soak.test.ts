// A 10,000-token generation with a flat heap (issue 12, item 16), in a child process run with
// --expose-gc so the heap is measured after full collections (helpers/soak.ts).
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

interface Soak {
  tokens: number;
  samples: { token: number; heap: number; arrayBuffers: number; wasmMemory: number; resident: number }[];
  residentAfter: number;
}

function soak(blockSize: number, tokens: number): Soak {
  // the same kernel path as the suite around it (test/setup.ts): TP_KERNELS reaches the child
  const flags = process.env.TP_KERNELS === "fma" ? ["--experimental-wasm-relaxed-simd"] : [];
  const r = spawnSync(process.execPath, [...flags, "--expose-gc", "--import", "tsx", "test/helpers/soak.ts", String(blockSize), String(tokens)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`soak failed (exit ${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

describe("generate soak: 10,000 tokens, flat heap", () => {
  // Between the 1,000th and the 10,000th token the live heap may move by GC noise (tens of kB),
  // not by a per-token leak: 9,000 tokens leaking even 32 bytes each would be 288 kB.
  const HEAP_SLACK = 256 * 1024;

  it.each([
    ["every step on the KV cache (blockSize 10,048)", 10048],
    ["the context cropped and the cache rebuilt at every step (blockSize 16)", 16],
  ])("%s", (_, blockSize) => {
    const { tokens, samples, residentAfter } = soak(blockSize, 10000);
    expect(tokens).toBe(10000);
    const [first, , last] = samples;
    expect(last.heap - first.heap).toBeLessThan(HEAP_SLACK);
    expect(last.arrayBuffers).toBeLessThanOrEqual(first.arrayBuffers); // no ArrayBuffer per token
    // WebAssembly memory grows only with the attention scratch (one score row per key): ≤ 4 pages here
    expect(last.wasmMemory - first.wasmMemory).toBeLessThanOrEqual(4 * 65536);
    expect(residentAfter).toBe(0); // the resident weights, KV cache and workspace are released when the generation ends
  }, 60_000);
});
