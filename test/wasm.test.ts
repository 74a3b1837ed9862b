// The WebAssembly SIMD linear kernel against the plain reference, and the switch between paths.
import { afterEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { createGptCache, createGptWorkspace, createRng, generate, gptForward, initGpt, linear, randn, useWasm, wasmStatus } from "../src/index";
import { expectClose } from "./helpers/close";
import { linearForward, linearForwardReference, linearForwardWasm } from "../src/kernels";
import { runs } from "./helpers/arbitraries";

const wasmWanted = process.env.TP_KERNELS !== "js";
afterEach(() => useWasm(wasmWanted));

describe("WebAssembly SIMD linear", () => {
  it("is available in Node 20 (WebAssembly SIMD), and useWasm switches it", () => {
    expect(wasmStatus().available).toBe(true);
    useWasm(false);
    expect(wasmStatus().enabled).toBe(false);
    useWasm(true);
    expect(wasmStatus().enabled).toBe(true);
  });

  it("runs the module with fused multiply-adds exactly where the engine validates relaxed SIMD (TP_KERNELS=fma turns it on in Node 20)", async () => {
    const { KERNELS_FMA_WASM } = await import("../src/wasm/generated");
    const api = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    const relaxed = api.validate(Uint8Array.from(atob(KERNELS_FMA_WASM), (c) => c.charCodeAt(0)));
    expect(wasmStatus().fusedMultiplyAdd).toBe(relaxed);
    if (process.env.TP_KERNELS === "fma") expect(relaxed).toBe(true);
  });

  it("linearForwardWasm equals the reference within float32 accumulation error, on shapes that are not multiples of the tiles", () => {
    useWasm(true);
    fc.assert(fc.property(fc.integer({ min: 1, max: 37 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 70 }), fc.boolean(), fc.nat(),
      (M, K, N, withBias, seed) => {
        const rng = createRng(seed);
        const x = randn([M, K], rng).data, w = randn([N, K], rng).data, b = withBias ? randn([N], rng).data : null;
        const a = new Float32Array(M * N).fill(NaN), r = new Float32Array(M * N);
        expect(linearForwardWasm(a, x, w, b, M, K, N)).toBe(true);
        linearForwardReference(r, x, w, b, M, K, N);
        // float32 sums of K products of N(0,1) values: error ≲ K·2⁻²⁴·Σ|xw|; 2e-6·K·(1+|r|) bounds it
        for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i] - r[i]) <= 2e-6 * K * (1 + Math.abs(r[i])))) return false;
        return true;
      }), runs);
  });

  it("reuses its memory across calls of different sizes without stale padding", () => {
    useWasm(true);
    const rng = createRng(3);
    for (const [M, K, N] of [[40, 9, 7], [17, 3, 5], [64, 33, 31], [17, 3, 5]]) {
      const x = randn([M, K], rng).data, w = randn([N, K], rng).data;
      const a = new Float32Array(M * N), r = new Float32Array(M * N);
      linearForwardWasm(a, x, w, null, M, K, N);
      linearForwardReference(r, x, w, null, M, K, N);
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - r[i])).toBeLessThan(1e-4);
    }
  });

  it("linear() uses WebAssembly for M ≥ 16 rows, and exactly the JavaScript kernel after useWasm(false)", () => {
    const rng = createRng(4);
    const x = randn([32, 24], rng), w = randn([20, 24], rng), b = randn([20], rng);
    const js = new Float32Array(32 * 20);
    linearForward(js, x.data, w.data, b.data, 32, 24, 20);
    useWasm(false);
    expect(linear(x, w, b).data).toEqual(js);
    useWasm(true);
    const viaWasm = linear(x, w, b).data;
    const direct = new Float32Array(32 * 20); // the WebAssembly kernel called by hand: linear() must give exactly its bits
    expect(linearForwardWasm(direct, x.data, w.data, b.data, 32, 24, 20)).toBe(true);
    expect(viaWasm).toEqual(direct);
    for (let i = 0; i < js.length; i++) expect(Math.abs(viaWasm[i] - js[i])).toBeLessThan(1e-4);
    expect(linearForwardWasm(new Float32Array(1), new Float32Array(1), new Float32Array(1), null, 1, 1, 1)).toBe(true);
    useWasm(false);
    expect(linearForwardWasm(new Float32Array(1), new Float32Array(1), new Float32Array(1), null, 1, 1, 1)).toBe(false);
  });
});

describe("WebAssembly SIMD softmax", () => {
  it("softmaxForwardWasm equals the JavaScript kernel within float32 error, with -Infinity, fully masked rows, NaN and temperature", async () => {
    const { softmaxForward, softmaxForwardWasm } = await import("../src/kernels");
    useWasm(true);
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 40 }), fc.double({ min: 0.25, max: 4, noNaN: true }), fc.nat(), (rows, quarter, temperature, seed) => {
      const n = 4 * quarter, rng = createRng(seed);
      const x = randn([rows, n], rng, 5).data;
      x[Math.floor(rng.uniform() * x.length)] = -Infinity;
      if (rows > 1) x.fill(-Infinity, n, 2 * n); // row 1 fully masked
      if (rows > 2) x[2 * n + Math.floor(rng.uniform() * n)] = NaN; // row 2 has a NaN
      const a = new Float32Array(rows * n), b = new Float32Array(rows * n);
      softmaxForward(a, x, rows, n, 1 / temperature);
      expect(softmaxForwardWasm(b, x, rows, n, 1 / temperature)).toBe(true);
      for (let i = 0; i < a.length; i++) {
        if (Number.isNaN(a[i]) || Number.isNaN(b[i])) { if (Number.isNaN(a[i]) !== Number.isNaN(b[i])) return false; continue; }
        // float32 arithmetic: the exponent y = (x − max)/τ itself rounds to float32 (error |y|·2⁻²⁴,
        // which becomes a relative error of e^y), then the polynomial and a float32 sum add ~2e-6
        if (Math.abs(a[i] - b[i]) > a[i] * (2e-6 + 1.2e-7 * Math.abs(Math.log(a[i]))) + 1e-37) return false;
      }
      return true;
    }), runs);
  });

  it("streams large inputs through in chunks (a row longer than a chunk too), in place as well, and gives NaN for a row of −∞ and NaN", async () => {
    const { softmaxForward, softmaxForwardWasm } = await import("../src/kernels");
    useWasm(true);
    for (const [rows, n] of [[70, 1020], [3, 40000], [1, 4]] as const) {
      const x = randn([rows, n], createRng(rows), 3).data;
      x.fill(-Infinity, 0, n); // row 0: −∞ everywhere but one NaN, which must not be read as "fully masked"
      x[n >> 1] = NaN;
      const a = new Float32Array(rows * n), b = new Float32Array(rows * n), inPlace = x.slice();
      softmaxForward(a, x, rows, n, 1);
      expect(softmaxForwardWasm(b, x, rows, n, 1)).toBe(true);
      expect(softmaxForwardWasm(inPlace, inPlace, rows, n, 1)).toBe(true);
      expect(b.subarray(0, n).every(Number.isNaN)).toBe(true);
      // as above, plus the float32 sum's rounding, which grows with the row: n/4 additions per lane
      const sumError = 6e-8 * Math.sqrt(n / 4) * 4;
      for (let i = n; i < a.length; i++) {
        expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(a[i] * (2e-6 + 1.2e-7 * Math.abs(Math.log(a[i])) + sumError) + 1e-37);
      }
      expect(inPlace).toEqual(b);
    }
  });

  it("softmaxForwardWasm declines rows whose length is not a multiple of 4 (the JavaScript kernel takes them)", async () => {
    const { softmaxForwardWasm } = await import("../src/kernels");
    useWasm(true);
    expect(softmaxForwardWasm(new Float32Array(3), new Float32Array(3), 1, 3, 1)).toBe(false);
  });
});

describe("WebAssembly SIMD attention", () => {
  it("attentionForwardWasm equals the reference within float32 error (causal or not, S ≠ T, rows that see no key, a KV-cache layout)", async () => {
    const { attentionForwardReference, attentionForwardWasm } = await import("../src/kernels");
    useWasm(true);
    fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 13 }),
      fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }), fc.boolean(), fc.integer({ min: 0, max: 3 }), fc.nat(),
      (BH, T, S, d4, dv4, causal, spare, seed) => {
        const D = 4 * d4, Dv = 4 * dv4, kvRows = S + spare, rng = createRng(seed);
        const q = randn([BH, T, D], rng).data, k = randn([BH, kvRows, D], rng).data, v = randn([BH, kvRows, Dv], rng).data;
        const a = new Float32Array(BH * T * Dv), b = new Float32Array(BH * T * Dv).fill(NaN);
        attentionForwardReference(a, null, q, k, v, null, null, 0, BH, T, S, D, Dv, 0.3, causal, kvRows);
        expect(attentionForwardWasm(b, q, k, v, BH, T, S, D, Dv, 0.3, causal, kvRows)).toBe(true);
        // float32 dot products over D ≤ 20 and sums over ≤ 13 keys of O(1) values
        for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i] - b[i]) <= 2e-6 * (1 + Math.abs(a[i])))) return false;
        return true;
      }), runs);
  });

  it("propagates NaN to its query row only, and declines head sizes that are not multiples of 4", async () => {
    const { attentionForwardWasm } = await import("../src/kernels");
    useWasm(true);
    const q = new Float32Array(8).fill(0.5); q[4] = NaN; // row 1 of T = 2, D = 4
    const out = new Float32Array(8);
    attentionForwardWasm(out, q, new Float32Array(8).fill(1), new Float32Array(8).fill(2), 1, 2, 2, 4, 4, 1, false);
    expect(Array.from(out.slice(0, 4))).toEqual([2, 2, 2, 2]);
    expect(out.slice(4).every(Number.isNaN)).toBe(true);
    expect(attentionForwardWasm(out, q, q, q, 1, 1, 1, 3, 3, 1, false)).toBe(false);
  });
});

describe("WebAssembly SIMD GELU (tanh)", () => {
  it("geluTanhWasm equals the JavaScript kernel within float32 error, with ±Infinity and NaN as PyTorch gives them", async () => {
    const { geluForward, geluTanhWasm } = await import("../src/kernels");
    useWasm(true);
    const n = 4096;
    const x = randn([n], createRng(8), 4).data;
    x[0] = Infinity; x[1] = -Infinity; x[2] = NaN; x[3] = 0; x[4] = -30; x[5] = 30;
    const a = new Float32Array(n), b = new Float32Array(n);
    geluForward(a, x, n, true);
    expect(geluTanhWasm(b, x, n)).toBe(true);
    expect([b[0], b[3], b[5]]).toEqual([Infinity, 0, 30]);
    expect(Number.isNaN(b[1]) && Number.isNaN(b[2])).toBe(true);
    // float32: the cubic and the exp each round at ~6e-8 relative; 1e-6 relative plus 1e-7 absolute near 0
    for (let i = 6; i < n; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(1e-6 * Math.abs(a[i]) + 1e-7);
    expect(geluTanhWasm(b, x, 3)).toBe(false);
    for (const m of [4, 12, 4100]) { // an odd number of vectors: the last is computed alone
      const y = randn([m], createRng(m), 4).data;
      const c = new Float32Array(m), d = new Float32Array(m).fill(NaN);
      geluForward(c, y, m, true);
      expect(geluTanhWasm(d, y, m)).toBe(true);
      for (let i = 0; i < m; i++) expect(Math.abs(c[i] - d[i])).toBeLessThanOrEqual(1e-6 * Math.abs(c[i]) + 1e-7);
    }
  });
});

describe("WebAssembly SIMD SwiGLU gate", () => {
  it("siluGatedWasm equals the JavaScript kernel within float32 error where its arrays live in the kernels' memory, in place too, and refuses the rest", async () => {
    const { gatedForward, siluGatedWasm } = await import("../src/kernels");
    const { residency } = await import("../src/backend/index");
    useWasm(true);
    if (!wasmStatus().sharedMemory) return; // unshared memory: no view of it can be handed out, and the kernel refuses JavaScript arrays (below)
    for (const n of [4, 12, 4096, 4100]) { // an odd number of vectors: the last is computed alone
      const g = randn([n], createRng(n), 4).data, u = randn([n], createRng(n + 1)).data;
      if (n === 4096) { g[0] = 30; g[1] = -30; g[2] = 0; g[3] = 100; g[4] = -100; g[5] = NaN; }
      const res = residency(), rg = res.copy(g), ru = res.copy(u), ro = res.floats(n).fill(NaN);
      const expected = new Float32Array(n);
      gatedForward(expected, g, u, n, "silu");
      expect(siluGatedWasm(ro, rg, ru, n)).toBe(true);
      for (let i = 0; i < n; i++) {
        if (Number.isNaN(expected[i])) expect(ro[i]).toBeNaN();
        else expect(Math.abs(ro[i] - expected[i])).toBeLessThanOrEqual(1e-6 * Math.abs(expected[i]) + 1e-7); // the exp and the division round at ~6e-8
      }
      expect(siluGatedWasm(rg, rg, ru, n)).toBe(true); // in place over gate
      expect(Array.from(rg)).toEqual(Array.from(ro));
      res.release();
    }
    const js = new Float32Array(8);
    expect(siluGatedWasm(js, js, js, 8)).toBe(false); // JavaScript arrays: the caller runs the JavaScript kernel
  });
});

describe("resident weights", () => {
  it("linear over a weight kept in the backend equals the reference, gives its memory back on release, and is a copy (later changes to the source do not reach it)", async () => {
    const { linearForwardReference, isResident } = await import("../src/kernels");
    const { residency } = await import("../src/backend/index");
    useWasm(true);
    const rng = createRng(11);
    const x = randn([1, 24], rng), w = randn([10, 24], rng), b = randn([10], rng);
    const expected = new Float32Array(10);
    linearForwardReference(expected, x.data, w.data, b.data, 1, 24, 10);
    const res = residency();
    const kept = res.matrix(w.data, 10, 24);
    expect(isResident(kept, 10, 24)).toBe(true);
    expect(isResident(w.data, 10, 24)).toBe(false); // the source is not the copy
    w.data[0] += 1; // a change to the source after the copy: the copy keeps the old values
    const y = linear(x, { data: kept, shape: [10, 24] }, b).data;
    for (let i = 0; i < 10; i++) expect(Math.abs(y[i] - expected[i])).toBeLessThan(1e-5);
    res.release();
    // given back: in shared memory the view stays a view of it (its arrays must not be used after release), elsewhere linear no longer finds the region
    if (!wasmStatus().sharedMemory) expect(isResident(kept, 10, 24)).toBe(false);
    expect(wasmStatus().residentBytes).toBe(0);
  });
});

describe("a KV cache in the kernels' memory", () => {
  it("is written by the forward where attention reads it: cached steps equal the full forward, on the workspace and tensor paths, and a step copies nothing in or out", async () => {
    const { residency } = await import("../src/backend/index");
    const { gptCacheIn } = await import("../src/gpt/workspace");
    const { gptWorkspaceIn } = await import("../src/gpt/workspace");
    const { snapshotParams } = await import("../src/internal/snapshot");
    useWasm(true);
    const config = { vocabSize: 11, blockSize: 24, nLayer: 2, nHead: 2, nEmbd: 8 }, V = 11;
    const params = initGpt(config, createRng(21));
    const ids = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
    const full = gptForward(params, ids);
    const c = createGptWorkspace(config).config; // the config resolved
    for (const tensorPath of [false, true]) {
      const res = residency();
      const model = snapshotParams(params, res);
      const cache = gptCacheIn(c, (n) => res.floats(n));
      const workspace = tensorPath ? undefined : gptWorkspaceIn(c, 3, (n) => res.floats(n), 3);
      let t = 0;
      for (const n of [2, 3, 1, 1, 3]) {
        const before = wasmStatus().copiedBytes;
        const logits = gptForward(model, ids.slice(t, t + n), { cache, workspace });
        if (wasmStatus().sharedMemory && !tensorPath) expect(wasmStatus().copiedBytes - before).toBe(0);
        expectClose(logits.data, full.data.subarray(t * V, (t + n) * V), { atol: 1e-5, rtol: 1e-5 });
        t += n;
      }
      res.release();
    }
  });
});

describe("WebAssembly memory limits", () => {
  it("a residency that would not fit in WebAssembly memory is refused with a clear error, and the kernels work afterwards", async () => {
    const { residency } = await import("../src/backend/index");
    useWasm(true);
    const res = residency();
    // 1e10 floats would need 40 GB: refused before anything is allocated or copied
    if (wasmStatus().sharedMemory) expect(() => res.floats(1e10)).toThrow(/Residency: 40000000000 more bytes do not fit in WebAssembly memory/);
    else expect(() => res.matrix(new Float32Array(4), 100_000, 100_000)).toThrow(/do not fit in WebAssembly memory/);
    res.release();
    expect(wasmStatus().residentBytes).toBe(0); // nothing was kept or left behind
    const x = randn([20, 8], createRng(1)), w = randn([4, 8], createRng(2));
    const expected = new Float32Array(20 * 4);
    linearForwardReference(expected, x.data, w.data, null, 20, 8, 4);
    const y = linear(x, w); // the kernels still work afterwards, with the right values
    expect(y.shape).toEqual([20, 4]);
    for (let i = 0; i < expected.length; i++) expect(Math.abs(y.data[i] - expected[i])).toBeLessThan(1e-5);
  });
});

describe("WebAssembly SIMD linear over resident weights (a generation step, and a prompt's rows in place)", () => {
  it("equals the reference for one row, odd and even row counts and packed ones (≥ 16), N = 4 … 36 and K padded or not, with and without bias, operands in the kernels' memory or not", async () => {
    const { linearForwardReference, linearForwardWasm } = await import("../src/kernels");
    const { residency } = await import("../src/backend/index");
    useWasm(true);
    for (const [N, K] of [[4, 4], [8, 12], [12, 7], [20, 16], [36, 33], [6, 8]]) {
      for (const M of [1, 2, 5, 17, 34]) {
        const rng = createRng(N * K + M), w = randn([N, K], rng).data, x = randn([M, K], rng).data, b = randn([N], rng).data;
        const res = residency(), kw = res.matrix(w, N, K);
        for (const inPlace of [false, true]) {
          for (const bias of [null, b]) {
            const xs = inPlace ? res.copy(x) : x, bs = bias && inPlace ? res.copy(bias) : bias;
            const want = new Float32Array(M * N), got = inPlace ? res.floats(M * N).fill(NaN) : new Float32Array(M * N).fill(NaN);
            linearForwardReference(want, x, w, bias, M, K, N);
            expect(linearForwardWasm(got, xs, kw, bs, M, K, N)).toBe(true);
            expectClose(got, want, { atol: 1e-5, rtol: 1e-5 });
          }
        }
        res.release();
      }
    }
  });
});

describe("a generation's weights kept as the kernels' panels", () => {
  it("give the [N, K] weight's products for one row and many, and still run in WebAssembly after useWasm(false) (the JavaScript kernel cannot read panels)", async () => {
    const { linearForwardReference, linearKernel, isPanels } = await import("../src/kernels");
    const { residency } = await import("../src/backend/index");
    useWasm(true);
    if (!wasmStatus().sharedMemory) return; // panels are kept only where the memory is shared
    const res = residency();
    for (const [N, K] of [[8, 4], [24, 36], [64, 48]]) {
      const rng = createRng(N + K), w = randn([N, K], rng).data, b = randn([N], rng).data, p = res.panels(w, N, K);
      expect(isPanels(p)).toBe(true);
      for (const M of [1, 3, 20]) {
        const x = randn([M, K], rng).data, want = new Float32Array(M * N);
        linearForwardReference(want, x, w, b, M, K, N);
        for (const on of [true, false]) {
          useWasm(on);
          const got = new Float32Array(M * N).fill(NaN);
          linearKernel(got, x, p, b, M, K, N);
          expectClose(got, want, { atol: 1e-5, rtol: 1e-5 });
        }
        useWasm(true);
      }
    }
    expect(isPanels(res.panels(new Float32Array(12), 3, 4))).toBe(false); // N not a multiple of 8: kept as [N, K]
    res.release();
  });

  it("a generation over them toggled to useWasm(false) midway gives the ids of one that was not", () => {
    const params = initGpt({ vocabSize: 40, blockSize: 32, nLayer: 2, nHead: 2, nEmbd: 16 }, createRng(6));
    useWasm(true);
    const want = [...generate(params, [1, 2, 3], { maxNewTokens: 10, temperature: 0 })];
    const steps = generate(params, [1, 2, 3], { maxNewTokens: 10, temperature: 0 }), got: number[] = [];
    for (let i = 0; i < 10; i++) {
      if (i === 4) useWasm(false);
      got.push(steps.next().value as number);
    }
    useWasm(wasmWanted);
    expect(got).toEqual(want);
  });
});
