// Trains nano-sort (minGPT's gpt-nano: 3 layers, 3 heads, C = 48) from scratch in a Web Worker, so
// the page stays responsive: the same loop as examples/23-training-loop.ts, posting the loss as it goes.
// It asks for every core (setThreads("auto")): where the page is cross-origin isolated (npm run
// playground and its preview send COOP/COEP) the kernels split over threads; elsewhere it runs on one
// and threadStatus() says why, which the page shows.
import { adamw, clipGradNorm, cosineLr, createRng, generate, gptLossAndGrads, initGpt, setThreads, threadStatus } from "../../src/index";

setThreads("auto");

self.onmessage = (event: MessageEvent<{ steps: number; seed: number }>) => {
  const { steps, seed } = event.data;
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
    (self as unknown as Worker).postMessage({ step, loss, ms: performance.now() - t0 });
  }
  const answer = [...generate(params, [2, 1, 0, 1, 0, 2], { maxNewTokens: 6, temperature: 0 })].map((i) => "ABC"[i]).join("");
  const { threads, reason } = threadStatus();
  (self as unknown as Worker).postMessage({ done: true, answer, ms: performance.now() - t0, threads, reason });
};
