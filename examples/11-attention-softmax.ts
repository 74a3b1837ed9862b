// Lesson 11 — the attention softmax: turning scores into weights that are positive and sum to 1.
// Subtracting the row maximum first keeps exp() from overflowing; temperature sharpens or flattens.
// Run: npx tsx examples/11-attention-softmax.ts
import { formatTensor, logSoftmax, softmax, tensor } from "transformer-primitives";

const scores = tensor([2.0, 1.0, 0.1, -1.0], [4]);
console.log(formatTensor(scores, { precision: 2, label: "scores [S] =" }));
console.log(formatTensor(softmax(scores), { precision: 3, label: "softmax(scores) =" }));
for (const temperature of [0.5, 2]) {
  console.log(formatTensor(softmax(scores, { temperature }), { precision: 3, label: `softmax(scores / ${temperature}) =` }));
}
console.log(formatTensor(logSoftmax(scores), { precision: 3, label: "logSoftmax(scores) =" }));

const huge = tensor([1000, 1001, 1002], [3]);
console.log("\nnaive exp(1000) =", Math.exp(1000), "→ NaN; max-subtracted:");
console.log(formatTensor(softmax(huge), { precision: 3, label: "softmax([1000, 1001, 1002]) =" }));

const masked = tensor([-Infinity, -Infinity, -Infinity, 0.5, -Infinity, 1.5], [2, 3]);
console.log(formatTensor(softmax(masked), { precision: 3, label: "\nmasked rows: a fully masked row gives zeros, not NaN [2, 3] =" }));
