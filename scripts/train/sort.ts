// Trains minGPT's gpt-nano to sort 6 letters (Bycroft's LLM visualization task) from scratch, in
// JavaScript: the same task, model and optimizer as scripts/python/train_sort.py.
//   npm run train -- sort [--steps N] [--out file] [--seed N]
// Sequence = 6 letters + the same sorted; the model sees 11 tokens and is trained on the 6 answers.
import {
  adamw, clipGradNorm, countParameters, createRng, generate, gptLossAndGrads, initGpt, randn,
  type GptConfig, type GptParams, type Rng,
} from "transformer-primitives";
import { clock, createProgress } from "./progress";
import { saveCheckpoint } from "./checkpoint";

const LENGTH = 6, VOCAB = 3, BATCH = 64;
const CONFIG: GptConfig = { vocabSize: VOCAB, blockSize: 2 * LENGTH - 1, nLayer: 3, nHead: 3, nEmbd: 48, bias: true, gelu: "tanh", eps: 1e-5 };

/** All 729 inputs, for the final exam. */
const ALL = Array.from({ length: VOCAB ** LENGTH }, (_, n) => Array.from({ length: LENGTH }, (_, i) => Math.floor(n / VOCAB ** (LENGTH - 1 - i)) % VOCAB));

function batch(rng: Rng): { ids: number[][]; targets: number[][] } {
  const ids: number[][] = [], targets: number[][] = [];
  for (let b = 0; b < BATCH; b++) {
    const input = Array.from({ length: LENGTH }, () => Math.floor(rng.uniform() * VOCAB));
    const seq = [...input, ...[...input].sort((x, y) => x - y)];
    ids.push(seq.slice(0, -1));
    targets.push(seq.slice(1).map((t, i) => (i < LENGTH - 1 ? -1 : t))); // loss on the answer only
  }
  return { ids, targets };
}

/** How many of the 729 inputs the model sorts exactly (greedy decoding). */
export function solved(params: GptParams): number {
  let ok = 0;
  for (const input of ALL) {
    const out = [...generate(params, input, { maxNewTokens: LENGTH, temperature: 0 })];
    const want = [...input].sort((x, y) => x - y);
    if (out.every((t, i) => t === want[i])) ok++;
  }
  return ok;
}

export function trainSort(args: { steps: number; out: string; seed: number; evalEvery: number }): void {
  const rng = createRng(args.seed);
  const params = initGpt(CONFIG, rng);
  params.lmHead = randn([VOCAB, CONFIG.nEmbd], rng, 0.02); // minGPT's untied head (nanoGPT ties it to wte)
  const opt = adamw(params, { lr: 5e-4, beta1: 0.9, beta2: 0.95, weightDecay: 0.1 });
  const data = createRng(args.seed + 1);
  console.log(`sort: minGPT gpt-nano (${CONFIG.nLayer} layers, ${CONFIG.nHead} heads, C = ${CONFIG.nEmbd}, ${countParameters(CONFIG, { lmHead: true }).toLocaleString("en")} parameters), batch ${BATCH} × ${CONFIG.blockSize} tokens, AdamW lr 5e-4, one thread`);
  const progress = createProgress(args.steps, { every: 100, eta: false }); // it stops once all 729 sort: no ETA to the ceiling
  const start = performance.now();
  let tokens = 0, step = 0, ok = 0, grads;
  for (step = 1; step <= args.steps; step++) {
    const { ids, targets } = batch(data);
    const result = gptLossAndGrads(params, ids, targets, grads ? { grads } : undefined);
    grads = result.grads;
    clipGradNorm(grads, 1.0);
    opt.step(grads);
    tokens += BATCH * CONFIG.blockSize;
    progress.update(step, result.loss, tokens);
    if (step % args.evalEvery === 0) {
      ok = solved(params);
      progress.log(`step ${step}: loss ${result.loss.toFixed(5)}, sorts ${ok}/729 (${clock((performance.now() - start) / 1000)})`);
      if (ok === ALL.length) break;
    }
  }
  progress.done();
  const seconds = (performance.now() - start) / 1000;
  if (ok !== ALL.length) ok = solved(params);
  const trained = Math.min(step, args.steps);
  console.log(`sort: ${ok}/729 after ${trained} steps in ${clock(seconds)} (${seconds.toFixed(1)} s, ${Math.round(tokens / seconds).toLocaleString("en")} tokens/s including the exams)`);
  saveCheckpoint(args.out, params, {
    task: "sort 6 letters A<B<C", vocab: "A=0,B=1,C=2", trained_by: "scripts/train/sort.ts (transformer-primitives)",
    iterations: String(trained), sorted: `${ok}/729`,
  });
  console.log(`sort: wrote ${args.out}  (npm run demo -- --model ${args.out})`);
  if (ok !== ALL.length) {
    console.error(`sort: the model sorts only ${ok}/729 inputs: train longer (--steps)`);
    process.exitCode = 1;
  }
}
