// Trains a character-level GPT on --text FILE, or on ../shared/corpus/english.txt (man pages, licences, FAQs, fortunes)
// from scratch, in JavaScript, with a train/validation split, the validation loss every N steps,
// a checkpoint that --resume continues from, and a sample of generated text at the end.
//   npm run train -- chars [--text FILE] [--steps N] [--out FILE] [--checkpoint FILE] [--resume] [--seed N] [--eval-every N]
//
// The model: 4 layers, 4 heads, 128 channels, a context of 128 characters (~0.87M parameters, 3.5 MB
// as float32). Small enough to train on one thread in minutes and ship in the repository; wide
// enough (C = 128, head size 32) to learn words, spacing and punctuation, and the context spans a
// few lines of text. Optimizer and schedule are nanoGPT's shakespeare_char recipe: AdamW (β₂ = 0.99,
// weight decay 0.1 on matrices), lr 1e-3 with 100 warmup steps and a cosine down to 1e-4, clipping at 1.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  CharTokenizer, adamw, clipGradNorm, cosineLr, countParameters, createGptWorkspace, createRng, crossEntropy, generate,
  gptForward, gptLossAndGrads, initGpt, type GptConfig, type GptParams,
} from "transformer-primitives";
import { clock, createProgress } from "./progress";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint";

const CORPUS = fileURLToPath(new URL("../../../shared/corpus/english.txt", import.meta.url));
const B = 8, T = 128, VAL_BATCHES = 16;

export function trainChars(args: { text?: string; steps: number; out: string; checkpoint: string; resume: boolean; seed: number; evalEvery: number }): void {
  const source = args.text ?? CORPUS;
  if (!existsSync(source)) {
    console.error(args.text !== undefined
      ? `chars: cannot read --text ${args.text}: no such file`
      : `chars: the default corpus is missing: ${CORPUS} (it sits in ../shared/corpus beside the repository). Train on your own text with --text FILE (any UTF-8 text of a few hundred kB or more).`);
    process.exit(2);
  }
  const text = readFileSync(source, "utf8");
  if (text.length < 20 * (T + 1)) {
    console.error(`chars: ${source} has ${text.length} characters; it needs at least ${20 * (T + 1)} (the last 10% is kept for validation, in windows of ${T + 1})`);
    process.exit(2);
  }
  const tokenizer = CharTokenizer.fromText(text);
  const data = Int32Array.from(tokenizer.encode(text));
  const split = Math.floor(data.length * 0.9); // the last 10% is never trained on
  const train = data.subarray(0, split), val = data.subarray(split);
  const config: GptConfig = { vocabSize: tokenizer.vocabSize, blockSize: T, nLayer: 4, nHead: 4, nEmbd: 128, bias: true, gelu: "tanh", eps: 1e-5 };

  let params: GptParams, start = 0;
  const hyper = { lr: 1e-3, beta1: 0.9, beta2: 0.99, weightDecay: 0.1 };
  let opt;
  if (args.resume) {
    const ck = loadCheckpoint(args.checkpoint);
    if (ck.metadata.vocab !== JSON.stringify(tokenizer.chars.join(""))) throw new Error(`chars: ${args.checkpoint} was trained on another vocabulary`);
    params = ck.params;
    start = Number(ck.metadata.step);
    opt = adamw(params, hyper, ck.optimizer);
    console.log(`chars: resuming from ${args.checkpoint} at step ${start}`);
  } else {
    params = initGpt(config, createRng(args.seed));
    opt = adamw(params, hyper);
  }
  const lr = cosineLr({ maxLr: 1e-3, minLr: 1e-4, warmupSteps: 100, decaySteps: Math.max(101, args.steps) });
  console.log(`chars: ${config.nLayer} layers, ${config.nHead} heads, C = ${config.nEmbd}, context ${T}, ${tokenizer.vocabSize} characters, ${countParameters(config).toLocaleString("en")} parameters`);
  console.log(`chars: ${train.length.toLocaleString("en")} training and ${val.length.toLocaleString("en")} validation characters; batch ${B} × ${T}; ${args.steps} steps`);

  const workspace = createGptWorkspace(config, { tokens: T });
  const evaluate = (source: Int32Array, batches: number): number => {
    const rng = createRng(99); // the same windows every time
    let total = 0;
    for (let i = 0; i < batches * B; i++) {
      const o = Math.floor(rng.uniform() * (source.length - T - 1));
      const logits = gptForward(params, source.subarray(o, o + T), { workspace });
      total += crossEntropy(logits, source.subarray(o + 1, o + T + 1));
    }
    return total / (batches * B);
  };

  const ids: Int32Array[] = Array.from({ length: B }, () => new Int32Array(T));
  const targets: Int32Array[] = Array.from({ length: B }, () => new Int32Array(T));
  const progress = createProgress(args.steps, { every: 50, startStep: start });
  const t0 = performance.now();
  let grads, loss = NaN, valLoss = NaN, tokens = 0;
  for (let step = start + 1; step <= args.steps; step++) {
    const rng = createRng(args.seed * 7919 + step); // batch s is the same whether or not the run was resumed
    for (let b = 0; b < B; b++) {
      const o = Math.floor(rng.uniform() * (train.length - T - 1));
      ids[b].set(train.subarray(o, o + T));
      targets[b].set(train.subarray(o + 1, o + T + 1));
    }
    const result = gptLossAndGrads(params, ids, targets, grads ? { grads } : undefined);
    grads = result.grads;
    loss = result.loss;
    clipGradNorm(grads, 1.0);
    opt.step(grads, { lr: lr(step - 1) });
    tokens += B * T;
    progress.update(step, loss, tokens);
    if (step % args.evalEvery === 0 || step === args.steps) {
      valLoss = evaluate(val, VAL_BATCHES);
      progress.log(`step ${step}: train loss ${loss.toFixed(4)}, validation loss ${valLoss.toFixed(4)} (${clock((performance.now() - t0) / 1000)})`);
      saveCheckpoint(args.checkpoint, params, meta(step, loss, valLoss), opt.state);
    }
  }
  progress.done();
  const seconds = (performance.now() - t0) / 1000;
  if (tokens > 0) console.log(`chars: ${args.steps - start} steps in ${clock(seconds)} (${Math.round(tokens / seconds).toLocaleString("en")} tokens/s including evaluations)`);

  const promptText = [..."The "].every((ch) => tokenizer.chars.includes(ch)) ? "The " : text.slice(0, 4); // your text may have no "T"
  const prompt = tokenizer.encode(promptText);
  const sample = tokenizer.decode([...prompt, ...generate(params, prompt, { maxNewTokens: 600, temperature: 0.8, topK: 40, rng: createRng(7) })]);
  console.log(`\nchars: a sample (temperature 0.8, top-k 40), after ${JSON.stringify(promptText)}:\n\n${sample}\n`);
  saveCheckpoint(args.out, params, meta(args.steps, loss, valLoss));
  const sampleFile = args.out.replace(/\.safetensors$/, "") + "-sample.txt";
  writeFileSync(sampleFile, sample + "\n");
  console.log(`chars: wrote ${args.out} and ${sampleFile}; validation loss ${valLoss.toFixed(4)} nats per character`);
  console.log(`chars: run it with  npx tsx examples/char-model.ts --model ${args.out} ${JSON.stringify(promptText)}`);

  function meta(step: number, trainLoss: number, validation: number): Record<string, string> {
    return {
      task: `character-level language model of ${args.text ?? "../shared/corpus/english.txt"}`, vocab: JSON.stringify(tokenizer.chars.join("")),
      trained_by: "scripts/train/chars.ts (transformer-primitives)", step: String(step), train_loss: trainLoss.toFixed(4),
      validation_loss: validation.toFixed(4), batch: `${B}x${T}`, seed: String(args.seed),
    };
  }
}
