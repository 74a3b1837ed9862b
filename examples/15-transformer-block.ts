// Lesson 15 — the complete block (GPT-2, pre-LN): x = x + attn(ln1(x)); x = x + mlp(ln2(x)).
// The tap names every intermediate, so you can print any of them.
// Run: npx tsx examples/15-transformer-block.ts
import { createRng, formatTensor, initGpt, randn, transformerBlock } from "transformer-primitives";

const T = 4, C = 8, H = 2, rng = createRng(15);
const params = initGpt({ vocabSize: 10, blockSize: 8, nLayer: 1, nHead: H, nEmbd: C }, rng).h[0];
const x = randn([T, C], rng);

console.log("transformerBlock(x [4, 8], params, { nHead: 2 }) computes, in order:");
const y = transformerBlock(x, params, {
  nHead: H,
  tap: (name, t) => {
    console.log(`  ${name.padEnd(13)} [${t.shape.join(", ")}]`);
    if (name === "attn.weights") console.log(formatTensor(t, { precision: 2, label: "    the attention weights" }).replace(/\n/g, "\n    "));
  },
});
console.log(formatTensor(y, { precision: 3, label: "\noutput [T, C] =" }));
