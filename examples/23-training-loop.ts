// The training loop, written out: batch → loss and gradients → clip → AdamW → log. A tiny GPT
// learns to continue a repeating pattern from scratch in a few seconds, on one thread.
// (npm run train -- sort and npm run train -- chars are this loop with real tasks.)
// Run: npx tsx examples/23-training-loop.ts
import {
  adamw, clipGradNorm, cosineLr, countParameters, createRng, generate, gptLossAndGrads, initGpt, residentParams, type GptConfig,
} from "transformer-primitives";

const text = "the cat sat on the mat. ";
const chars = [...new Set(text)].sort();
const encode = (s: string) => [...s].map((c) => chars.indexOf(c));
const decode = (ids: number[]) => ids.map((i) => chars[i]).join("");
const data = encode(text.repeat(40));

const config: GptConfig = { vocabSize: chars.length, blockSize: 32, nLayer: 2, nHead: 2, nEmbd: 32 };
// in the kernels' memory, beside the activations, gradients and moments the library keeps there: a step copies nothing
const params = residentParams(initGpt(config, createRng(0)));
const optimizer = adamw(params, { lr: 3e-3, beta1: 0.9, beta2: 0.95, weightDecay: 0.1 });
const lr = cosineLr({ maxLr: 3e-3, minLr: 3e-4, warmupSteps: 10, decaySteps: 150 });
const rng = createRng(1);
console.log(`${countParameters(config).toLocaleString("en")} parameters, ${chars.length} characters`);

const B = 8, T = 32;
for (let step = 0; step < 150; step++) {
  // 1. a batch: B windows of T characters, each target the next character
  const ids: number[][] = [], targets: number[][] = [];
  for (let b = 0; b < B; b++) {
    const o = Math.floor(rng.uniform() * (data.length - T - 1));
    ids.push(data.slice(o, o + T));
    targets.push(data.slice(o + 1, o + T + 1));
  }
  // 2. forward and backward: the mean cross-entropy and ∂loss/∂(every parameter)
  const { loss, grads } = gptLossAndGrads(params, ids, targets);
  // 3. clip the gradient's global norm to 1 (one bad batch cannot throw the weights far)
  const norm = clipGradNorm(grads, 1.0);
  // 4. one AdamW step, with this step's learning rate
  optimizer.step(grads, { lr: lr(step) });
  // 5. log
  if (step % 25 === 0 || step === 149) console.log(`step ${String(step).padStart(3)}  loss ${loss.toFixed(4)}  |grad| ${norm.toFixed(3)}  lr ${lr(step).toExponential(2)}`);
}

const prompt = encode("the ");
const out = decode([...prompt, ...generate(params, prompt, { maxNewTokens: 40, temperature: 0 })]);
console.log(`\ngreedy continuation of "the ": ${JSON.stringify(out)}`);
if (!out.includes("cat sat on the mat")) throw new Error("the model did not learn the pattern");
