// Lesson 19 — scaling: the same architecture from a toy to GPT-3. Parameters grow with nLayer·C²,
// compute per token with the parameters (plus a term for attention over the context).
// Run: npx tsx examples/19-scaling.ts
import { countParameters, flopsPerToken, type GptConfig } from "transformer-primitives";

const models: [string, GptConfig][] = [
  ["sort model (gpt-nano)", { vocabSize: 3, blockSize: 11, nLayer: 3, nHead: 3, nEmbd: 48 }],
  ["GPT-2 small", { vocabSize: 50257, blockSize: 1024, nLayer: 12, nHead: 12, nEmbd: 768 }],
  ["GPT-2 XL", { vocabSize: 50257, blockSize: 1024, nLayer: 48, nHead: 25, nEmbd: 1600 }],
  ["GPT-3 175B", { vocabSize: 50257, blockSize: 2048, nLayer: 96, nHead: 96, nEmbd: 12288 }],
];
const fmt = (n: number, units: string[]) => {
  const i = Math.min(units.length - 1, Math.floor(Math.log10(n) / 3));
  return `${(n / 1000 ** i).toFixed(1)} ${units[i]}`.trimEnd();
};
const params = (n: number) => fmt(n, ["", "thousand", "million", "billion"]);
const flops = (n: number) => fmt(n, ["", "kFLOP", "MFLOP", "GFLOP", "TFLOP"]);
console.log("model                    layers  heads      C       parameters   forward FLOPs per token (full context)");
for (const [name, c] of models) {
  console.log(`${name.padEnd(24)} ${String(c.nLayer).padStart(6)} ${String(c.nHead).padStart(6)} ${String(c.nEmbd).padStart(6)} ${params(countParameters(c)).padStart(16)}   ${flops(flopsPerToken(c, c.blockSize)).padStart(12)}`);
}
console.log("\nRule of thumb: forward ≈ 2 FLOPs per parameter per token; training ≈ 6 (forward + backward).");
