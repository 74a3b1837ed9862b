// Lesson 18 — output softmax and sampling: logits → probabilities → one token. Greedy always takes
// the top; sampling draws; top-k and top-p cut the long tail first. Cross-entropy scores a prediction.
// Run: npx tsx examples/18-output-softmax-and-sampling.ts
import { argmax, createRng, crossEntropy, formatTensor, sampleToken, softmax, tensor, topK, topP, type Tensor } from "transformer-primitives";

const words = ["cat", "dog", "mat", "hat", "sky", "the"];
const logits = tensor([3.0, 2.5, 2.0, 0.5, -1.0, 1.0], [6]);
console.log(`vocabulary       ${words.map((w) => w.padStart(7)).join("")}`);
const row = (label: string, t: Tensor) => console.log(`${label.padEnd(16)} ${Array.from(t.data, (v) => (v === -Infinity ? "   -inf" : v.toFixed(3).padStart(7))).join("")}`);
row("logits", logits);
row("softmax", softmax(logits));
row("topK 2", topK(logits, 2));
row("topP 0.8", topP(logits, 0.8));
row("temperature 0.5", softmax(logits, { temperature: 0.5 }));
row("temperature 2", softmax(logits, { temperature: 2 }));

console.log(`\ngreedy (argmax): "${words[argmax(logits)]}"`);
for (const [label, opts] of [["sampling", {}], ["top-k 2", { topK: 2 }], ["top-p 0.8", { topP: 0.8 }]] as const) {
  const rng = createRng(18), counts = new Array(6).fill(0);
  for (let i = 0; i < 1000; i++) counts[sampleToken(logits, { ...opts, rng })]++;
  console.log(`${label.padEnd(10)} 1000 draws: ${words.map((w, i) => `${w} ${counts[i]}`).join(", ")}`);
}
console.log(`\ncross-entropy if the true next word is "dog": ${crossEntropy(tensor(logits.data, [1, 6]), [1]).toFixed(3)} (= −log p(dog))`);
console.log(formatTensor(softmax(logits), { precision: 3, label: "p =" }));
