// Lesson 16 — stacking layers: a GPT is the same block repeated nLayer times, each with its own
// weights, all reading and writing one residual stream.
// Run: npx tsx examples/16-stacking-layers.ts
import { countParameters, createRng, gptForward, initGpt } from "transformer-primitives";

const ids = [1, 5, 2, 7];
for (const nLayer of [1, 2, 4, 8]) {
  const params = initGpt({ vocabSize: 10, blockSize: 8, nLayer, nHead: 2, nEmbd: 16 }, createRng(16));
  const stream: string[] = [];
  gptForward(params, ids, {
    tap: (name, t) => {
      if (name === "embed.sum" || /^h\.\d+\.resid2$/.test(name)) {
        const last = t.data.subarray((ids.length - 1) * 16);
        stream.push(Math.hypot(...last).toFixed(4));
      }
    },
  });
  console.log(`nLayer ${String(nLayer).padStart(2)} (${countParameters(params.config).toLocaleString("en").padStart(6)} parameters): |x| of the last token, embedding → each block: ${stream.join(" → ")}`);
}
console.log("\nnanoGPT scales each block's output projection by 1/√(2·nLayer) at init, so deeper stacks start out stable.");
