// Lesson 14 — residual connections: each sub-layer adds to the stream instead of replacing it,
// x = x + f(x), so information (and gradients) can flow straight through a deep stack.
// Run: npx tsx examples/14-residual.ts
import { createRng, initGpt, randn, transformerBlock } from "transformer-primitives";

const T = 4, C = 8, rng = createRng(14);
const params = initGpt({ vocabSize: 10, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: C }, rng).h[0];
const x = randn([T, C], rng);

const norms: Record<string, string> = {};
transformerBlock(x, params, {
  nHead: 2,
  tap: (name, t) => {
    if (["attn.out", "resid1", "mlp.out", "resid2"].includes(name)) {
      norms[name] = Array.from({ length: T }, (_, r) => Math.hypot(...t.data.subarray(r * C, (r + 1) * C)).toFixed(3)).join("  ");
    }
  },
});
console.log(`|x|           ${Array.from({ length: T }, (_, r) => Math.hypot(...x.data.subarray(r * C, (r + 1) * C)).toFixed(3)).join("  ")}`);
console.log(`|attn(ln1 x)| ${norms["attn.out"]}   ← small at initialisation`);
console.log(`|x + attn|    ${norms["resid1"]}   ← the stream keeps x`);
console.log(`|mlp(ln2 x)|  ${norms["mlp.out"]}`);
console.log(`|x + mlp|     ${norms["resid2"]}`);

for (const l of [params.attn.cProj, params.mlp.cProj]) { l.weight.data.fill(0); l.bias!.data.fill(0); }
const y = transformerBlock(x, params, { nHead: 2 });
console.log(`\nWith both output projections zeroed, the block is the identity: ${y.data.every((v, i) => v === x.data[i])}`);
