// Backpropagation by hand: one linear layer, a softmax, and the cross-entropy loss. Each backward
// pass is one function (the upstream gradient first, then what the forward saw), chained in reverse
// order; the result is checked against finite differences — nudge one weight, watch the loss move.
// Run: npx tsx examples/22-backprop.ts
import {
  createRng, crossEntropy, crossEntropyBackward, formatTensor, linear, linearBackward, logSoftmax, logSoftmaxBackward,
  randn, tensor, zeros,
} from "transformer-primitives";

const rng = createRng(0);
const x = randn([2, 3], rng);            // 2 examples, 3 features:        [N, C]
const W = randn([4, 3], rng, 0.5);       // a linear layer, 3 → 4 classes: [V, C]
const b = zeros([4]);
const targets = [2, 0];                  // the right class of each example

// forward: logits = x·Wᵀ + b, loss = mean(−log softmax(logits)[target])
const logits = linear(x, W, b);
const loss = crossEntropy(logits, targets);
console.log(`loss = ${loss.toFixed(6)}`);

// backward, in reverse order. ∂loss/∂logits = (softmax(logits) − onehot(target)) / N:
const dlogits = crossEntropyBackward(logits, targets);
console.log(formatTensor(dlogits, { precision: 4, label: "∂loss/∂logits [N, V] =" }));
// the same gradient, one more step spelled out: loss = −mean(logSoftmax(logits)[target])
const dlogp = zeros([2, 4]);
targets.forEach((t, n) => (dlogp.data[n * 4 + t] = -1 / targets.length));
const viaLogSoftmax = logSoftmaxBackward(dlogp, logSoftmax(logits));
console.log(`  (through logSoftmaxBackward: max difference ${maxDiff(dlogits.data, viaLogSoftmax.data).toExponential(1)})`);

// ∂loss/∂W = dlogitsᵀ·x, ∂loss/∂b = Σ dlogits, ∂loss/∂x = dlogits·W
const { dx, dweight, dbias } = linearBackward(dlogits, x, W);
console.log(formatTensor(dweight, { precision: 4, label: "∂loss/∂W [V, C] =" }));
console.log(formatTensor(dbias, { precision: 4, label: "∂loss/∂b [V] =" }));
console.log(formatTensor(dx, { precision: 4, label: "∂loss/∂x [N, C] =" }));

// check every entry of ∂loss/∂W: (loss(W + h) − loss(W − h)) / 2h
const h = 1e-3;
console.log(`\nfinite differences, h = ${h}:`);
console.log(`  W[v, c]   backprop     finite difference`);
let worst = 0;
for (let i = 0; i < W.data.length; i++) {
  const nudged = (delta: number) => {
    const w = tensor(W.data, W.shape);
    w.data[i] += delta;
    return crossEntropy(linear(x, w, b), targets);
  };
  const numeric = (nudged(h) - nudged(-h)) / (2 * h);
  worst = Math.max(worst, Math.abs(numeric - dweight.data[i]));
  if (i % 3 === 0) console.log(`  W[${Math.floor(i / 3)}, ${i % 3}]   ${dweight.data[i].toFixed(6).padStart(9)}    ${numeric.toFixed(6).padStart(9)}`);
}
console.log(`  largest difference over all ${W.data.length} weights: ${worst.toExponential(2)} (float32 loss, h = 1e-3)`);
if (worst > 1e-3) throw new Error("backprop and finite differences disagree");

function maxDiff(a: Float32Array, b: Float32Array): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}
