// Looking inside must not change what is computed (issue 12, item 9): a tap leaves a model's output
// bit for bit as it is without one, on every kernel path; where a result depends on the batch
// (linear's kernel is chosen by row count), the documented bound holds.
import { afterEach, describe, expect, it } from "vitest";
import { createRng, gptForward, initGpt, linear, multiHeadAttention, randn, useWasm, zeros } from "../src/index";
import type { Tensor } from "../src/index";

const wasmWanted = process.env.TP_KERNELS !== "js";
afterEach(() => useWasm(wasmWanted));

describe("a tap does not change the result", () => {
  it("gptForward with a tap gives the same bits as without one (T = 40: WebAssembly attention and packed linear on the default path)", () => {
    const params = initGpt({ vocabSize: 50, blockSize: 64, nLayer: 2, nHead: 2, nEmbd: 32 }, createRng(3));
    const ids = Array.from({ length: 40 }, (_, i) => (i * 7) % 50);
    const seen: string[] = [];
    const tapped = gptForward(params, ids, { tap: (name) => seen.push(name) });
    const plain = gptForward(params, ids);
    expect(seen).toContain("h.1.attn.weights");
    expect(Array.from(tapped.data)).toEqual(Array.from(plain.data));
  });

  it("multiHeadAttention's tapped weights are the probabilities its output used (rows sum to 1, causal zeros)", () => {
    const rng = createRng(5), C = 16, T = 24;
    const params = { cAttn: { weight: randn([3 * C, C], rng, 0.3), bias: zeros([3 * C]) }, cProj: { weight: randn([C, C], rng, 0.3), bias: zeros([C]) } };
    const x = randn([T, C], rng);
    const taps = new Map<string, Tensor>();
    const tapped = multiHeadAttention(x, params, { nHead: 2, tap: (n, t) => taps.set(n, t) });
    expect(Array.from(tapped.output.data)).toEqual(Array.from(multiHeadAttention(x, params, { nHead: 2 }).output.data));
    const w = taps.get("weights")!.data;
    for (let row = 0; row < 2 * T; row++) {
      const t = row % T;
      let sum = 0;
      for (let s = 0; s < T; s++) { sum += w[row * T + s]; if (s > t) expect(w[row * T + s]).toBe(0); }
      expect(Math.abs(sum - 1)).toBeLessThan(1e-6);
    }
  });
});

describe("linear: a row's result and the batch around it", () => {
  const rng = createRng(9), K = 64, N = 24;
  const w = randn([N, K], rng), b = randn([N], rng), x = randn([32, K], rng);
  const firstRow = { data: x.data.slice(0, K), shape: [1, K] };

  it("with the JavaScript kernels a row gets the same bits in a batch of 1 and of 32", () => {
    useWasm(false);
    expect(Array.from(linear(firstRow, w, b).data)).toEqual(Array.from(linear(x, w, b).data.subarray(0, N)));
  });

  it("on the default path the two differ by float32 summation error at most (K·2⁻²⁴·(Σ|x·w| + |b|) per entry), as documented", () => {
    const one = linear(firstRow, w, b).data, batch = linear(x, w, b).data;
    for (let j = 0; j < N; j++) {
      let bound = 0;
      for (let k = 0; k < K; k++) bound += Math.abs(x.data[k] * w.data[j * K + k]);
      expect(Math.abs(one[j] - batch[j])).toBeLessThanOrEqual(K * 2 ** -24 * (bound + Math.abs(b.data[j])));
    }
  });
});
