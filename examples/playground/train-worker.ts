// The training Worker: trains nano-sort from scratch, or a character model on the visitor's own
// text, so the page stays responsive — the same loop as examples/23-training-loop.ts, posting the
// losses (train and validation) and a sample as it goes. "One step at a time" reports each parameter
// group's gradient norm and the size of its update. It asks for every core (setThreads("auto")):
// where the page is cross-origin isolated the kernels split over threads; elsewhere it runs on one
// and threadStatus() says why, which the page shows.
import {
  CharTokenizer, adamw, clipGradNorm, cosineLr, createRng, crossEntropy, generate, gptForward, gptLossAndGrads, gptToStateDict,
  initGpt, saveSafetensors, setThreads, tensorLeaves, threadStatus, type AdamW, type GptConfig, type GptParams, type Rng,
} from "../../src/index";

setThreads("auto");

export interface CharConfig { nLayer: number; nHead: number; nEmbd: number; blockSize: number }
export type TrainRequest =
  | { type: "start"; text: string; config: CharConfig; steps: number; seed: number }
  | { type: "run"; steps: number; sampleEvery: number }
  | { type: "step" }
  | { type: "pause" }
  | { type: "save" };

export interface GroupUpdate { name: string; grad: number; update: number; weight: number }

const post = (m: unknown, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);
const BATCH = 16, VAL_BATCHES = 4;

/** A character model being trained on one text: its data split 90/10, its optimizer and schedule. */
interface Session {
  chars: CharTokenizer; config: GptConfig; params: GptParams; optimizer: AdamW; lr: (step: number) => number;
  train: number[]; val: number[]; rng: Rng; step: number; t0: number; tokens: number; running: number;
}
let session: Session | null = null;

function batch(s: Session, data: number[], rng: Rng | null, b: number): { ids: number[][]; targets: number[][] } {
  const T = s.config.blockSize, ids: number[][] = [], targets: number[][] = [];
  for (let i = 0; i < BATCH; i++) {
    // validation batches are the same every time (evenly spaced), training batches random
    const at = rng ? Math.floor(rng.uniform() * (data.length - T - 1)) : Math.floor(((b * BATCH + i) / (VAL_BATCHES * BATCH)) * (data.length - T - 1));
    ids.push(data.slice(at, at + T));
    targets.push(data.slice(at + 1, at + T + 1));
  }
  return { ids, targets };
}

function validationLoss(s: Session): number {
  let sum = 0;
  for (let b = 0; b < VAL_BATCHES; b++) {
    const { ids, targets } = batch(s, s.val, null, b);
    for (let i = 0; i < ids.length; i++) sum += crossEntropy(gptForward(s.params, ids[i]), targets[i]);
  }
  return sum / (VAL_BATCHES * BATCH);
}

function sample(s: Session): string {
  const prompt = s.val.slice(0, 8);
  return s.chars.decode(prompt) + "|" + s.chars.decode([...generate(s.params, prompt, { maxNewTokens: 80, temperature: 0.8, topK: 20, rng: createRng(s.step) })]);
}

/** One AdamW step; with `details`, each parameter group's |grad| and |Δθ| (θ copied before the step). */
function trainStep(s: Session, details: boolean): { loss: number; groups?: GroupUpdate[] } {
  const { ids, targets } = batch(s, s.train, s.rng, 0);
  const { loss, grads } = gptLossAndGrads(s.params, ids, targets);
  clipGradNorm(grads, 1);
  const before = details ? tensorLeaves(s.params).map((l) => ({ path: l.path, data: l.tensor.data.slice(), now: l.tensor.data })) : [];
  const gradLeaves = details ? new Map(tensorLeaves(grads).map((l) => [l.path, l.tensor.data])) : new Map();
  s.optimizer.step(grads, { lr: s.lr(s.step) });
  s.step++;
  s.tokens += BATCH * s.config.blockSize;
  if (!details) return { loss };
  const groups = new Map<string, GroupUpdate>();
  for (const leaf of before) {
    const name = leaf.path.replace(/\.(weight|bias)$/, "");
    const g = groups.get(name) ?? { name, grad: 0, update: 0, weight: 0 };
    const grad = gradLeaves.get(leaf.path) as Float32Array;
    for (let i = 0; i < leaf.data.length; i++) { g.grad += grad[i] * grad[i]; g.update += (leaf.now[i] - leaf.data[i]) ** 2; g.weight += leaf.data[i] * leaf.data[i]; }
    groups.set(name, g);
  }
  return { loss, groups: [...groups.values()].map((g) => ({ ...g, grad: Math.sqrt(g.grad), update: Math.sqrt(g.update), weight: Math.sqrt(g.weight) })) };
}

function start(text: string, c: CharConfig, steps: number, seed: number): object {
  if (typeof text !== "string" || [...text].length < 20 * c.blockSize) throw new Error(`paste at least ${20 * c.blockSize} characters to train on (got ${[...text].length}): a tenth is kept back for validation`);
  if (c.nEmbd % c.nHead !== 0) throw new Error(`the embedding width ${c.nEmbd} must split evenly over ${c.nHead} heads`);
  const chars = CharTokenizer.fromText(text);
  const data = chars.encode(text);
  const cut = Math.floor(data.length * 0.9);
  const config: GptConfig = { vocabSize: chars.vocabSize, blockSize: c.blockSize, nLayer: c.nLayer, nHead: c.nHead, nEmbd: c.nEmbd };
  const params = initGpt(config, createRng(seed));
  const s: Session = {
    chars, config, params, optimizer: adamw(params, { lr: 3e-3, beta2: 0.99, weightDecay: 0.1 }),
    lr: cosineLr({ maxLr: 3e-3, minLr: 3e-4, warmupSteps: 20, decaySteps: steps }),
    train: data.slice(0, cut), val: data.slice(cut), rng: createRng(seed + 1), step: 0, t0: performance.now(), tokens: 0, running: 0,
  };
  session = s;
  const parameters = tensorLeaves(params).reduce((n, l) => n + l.tensor.data.length, 0);
  return { vocabSize: chars.vocabSize, trainChars: s.train.length, valChars: s.val.length, parameters, val: validationLoss(s), ...threadStatus() };
}

async function run(s: Session, steps: number, sampleEvery: number, reply: (m: object) => void): Promise<object> {
  const mine = ++s.running;
  const t0 = performance.now(), tokens0 = s.tokens;
  for (let i = 0; i < steps && mine === s.running; i++) {
    const { loss } = trainStep(s, false);
    const last = i === steps - 1;
    const val = s.step % 10 === 0 || last ? validationLoss(s) : undefined;
    const text = s.step % sampleEvery === 0 || last ? sample(s) : undefined;
    reply({ progress: { step: s.step, loss, val, sample: text, tokensPerSecond: (s.tokens - tokens0) / ((performance.now() - t0) / 1000) } });
    await new Promise((ok) => setTimeout(ok, 0)); // let a pause arrive
  }
  return { step: s.step, paused: mine !== s.running };
}

function save(s: Session): Uint8Array {
  return saveSafetensors(gptToStateDict(s.params), {
    config: JSON.stringify(s.config), vocab: JSON.stringify(s.chars.chars.join("")), step: String(s.step),
    trained_by: "the transformer-primitives playground", validation_loss: validationLoss(s).toFixed(4),
  });
}

function trainSort(steps: number, seed: number): object {
  const params = initGpt({ vocabSize: 3, blockSize: 11, nLayer: 3, nHead: 3, nEmbd: 48 }, createRng(seed));
  const optimizer = adamw(params, { lr: 1e-3, beta2: 0.99, weightDecay: 0.1 });
  const lr = cosineLr({ maxLr: 1e-3, minLr: 1e-4, warmupSteps: 20, decaySteps: steps });
  const rng = createRng(seed + 1);
  const t0 = performance.now();
  for (let step = 0; step < steps; step++) {
    const ids: number[][] = [], targets: number[][] = [];
    for (let b = 0; b < 64; b++) {
      const input = Array.from({ length: 6 }, () => Math.floor(rng.uniform() * 3));
      const seq = [...input, ...[...input].sort()];
      ids.push(seq.slice(0, -1));
      targets.push(seq.slice(1).map((t, i) => (i < 5 ? -1 : t))); // the loss is on the sorted half only
    }
    const { loss, grads } = gptLossAndGrads(params, ids, targets);
    clipGradNorm(grads, 1);
    optimizer.step(grads, { lr: lr(step) });
    post({ step, loss, ms: performance.now() - t0 });
  }
  const answer = [...generate(params, [2, 1, 0, 1, 0, 2], { maxNewTokens: 6, temperature: 0 })].map((i) => "ABC"[i]).join("");
  const { threads, reason } = threadStatus();
  return { done: true, answer, ms: performance.now() - t0, threads, reason };
}

self.onmessage = async (event: MessageEvent<{ id?: number; request?: TrainRequest; steps?: number; seed?: number }>) => {
  const { id, request } = event.data;
  if (request === undefined) { post(trainSort(event.data.steps!, event.data.seed!)); return; } // nano-sort, as before
  const reply = (m: object) => post({ id, ...m });
  try {
    let result: unknown;
    if (request.type === "start") result = start(request.text, request.config, request.steps, request.seed);
    else {
      const s = session;
      if (!s) throw new Error("start a training run first");
      if (request.type === "run") result = await run(s, request.steps, request.sampleEvery, reply);
      else if (request.type === "step") { const r = trainStep(s, true); result = { step: s.step, ...r, val: validationLoss(s), sample: sample(s) }; }
      else if (request.type === "pause") { s.running++; result = { step: s.step }; }
      else { const bytes = save(s); post({ id, ok: true, result: bytes }, [bytes.buffer]); return; }
    }
    post({ id, ok: true, result });
  } catch (e) {
    post({ id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
};
