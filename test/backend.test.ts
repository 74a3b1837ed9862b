// The kernel backend: its memory's allocator, and the shared and unshared builds of the module.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createRng, quantize, randn } from "../src/index";
import { createWasmBackend } from "../src/backend/index";
import * as ops from "../src/backend/ops";
import { createWasmMemory, KernelMemory } from "../src/backend/memory";
import { runs } from "./helpers/arbitraries";

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength) as ArrayBuffer));

describe("the shared and the unshared build of the kernels", () => {
  it("give the same bits for every op (and, read where they are, values within float32 rounding)", () => {
    const shared = createWasmBackend({ shared: true, fused: false }), unshared = createWasmBackend({ shared: false, fused: false });
    expect(shared).not.toBeNull();
    expect(unshared).not.toBeNull();
    expect(shared!.mem.shared).toBe(true);
    expect(unshared!.mem.shared).toBe(false);
    const rng = createRng(5);
    const M = 21, K = 36, N = 28, T = 9, D = 8;
    const x = randn([M, K], rng).data, w = randn([N, K], rng).data, b = randn([N], rng).data, dy = randn([M, N], rng).data;
    const q = randn([2, T, D], rng).data, k = randn([2, T, D], rng).data, v = randn([2, T, D], rng).data;
    const run = (be: NonNullable<typeof shared>, inPlace: boolean) => {
      const put = (a: Float32Array) => {
        if (!inPlace) return a.slice();
        const view = be.mem.view(be.mem.alloc(a.byteLength), a.length);
        view.set(a);
        return view;
      };
      const out: Float32Array[] = [];
      for (const rows of [M, 1, 5]) {
        const y = put(new Float32Array(rows * N));
        expect(ops.wasmLinear(be, y, put(x.subarray(0, rows * K)), put(w), put(b), rows, K, N)).toBe(true);
        out.push(y.slice());
      }
      const dx = new Float32Array(M * K), dw = new Float32Array(N * K), db = new Float32Array(N);
      expect(ops.wasmLinearBackward(be, dx, dw, db, dy, x, w, M, K, N)).toBe(true);
      const s = put(x);
      expect(ops.wasmSoftmax(be, s, s, M, K, 1)).toBe(true);
      const g = put(x);
      expect(ops.wasmGeluTanh(be, g, g, M * K)).toBe(true);
      const o = put(new Float32Array(2 * T * D));
      expect(ops.wasmAttention(be, o, put(q), put(k), put(v), { BH: 2, T, S: T, D, Dv: D, scale: 0.35, causal: true, kvRows: T, group: 1, window: 0, slopes: null })).toBe(true);
      const p = x.slice(), m = new Float32Array(M * K), vv = new Float32Array(M * K);
      ops.wasmAdamw(be, p, x, m, vv, 0.01, 0.9, 0.999, 1e-8, 1e-3, 1);
      // the block formats' module, over the same memory: one 32-value format and one K-quant
      const xq = randn([3, 256], createRng(6)).data;
      for (const [type, kind] of [["q4_1", 2], ["q6_k", 7]] as const) {
        const wq = quantize(randn([N, 256], createRng(7)), type).bytes, yq = put(new Float32Array(3 * N));
        expect(ops.wasmLinearQ8(be, yq, put(xq), inPlace ? (() => { const v = be.mem.bytesView(be.mem.alloc(wq.length + 16), wq.length); v.set(wq); return v; })() : wq, kind, null, 3, 256, N)).toBe(true);
        out.push(yq.slice());
      }
      return [...out, dx, dw, db, s.slice(), g.slice(), o.slice(), p, m, vv].map(bits);
    };
    const want = run(unshared!, false);
    expect(run(shared!, false)).toEqual(want);
    // read in place (no copies) a product may take another kernel (dot-product tiles over the weight
    // where it is, not packed panels), so the bits may differ there: within float32 rounding of each other
    const inPlace = run(shared!, true);
    for (let i = 0; i < want.length; i++) {
      const a = new Float32Array(Uint32Array.from(want[i]).buffer), c = new Float32Array(Uint32Array.from(inPlace[i]).buffer);
      for (let j = 0; j < a.length; j++) expect(Math.abs(a[j] - c[j])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(a[j])));
    }
  });
});

describe("KernelMemory's allocator", () => {
  it("hands out aligned regions that never overlap, reuses what is freed, and gives the top back", () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 300_000 }), fc.boolean()), { minLength: 1, maxLength: 40 }), (steps) => {
      const mem = new KernelMemory(createWasmMemory(false)!);
      const live = new Map<number, number>();
      for (const [bytes, freeOne] of steps) {
        if (freeOne && live.size > 0) {
          const at = [...live.keys()][bytes % live.size];
          mem.release(at);
          live.delete(at);
        }
        const at = mem.alloc(bytes);
        expect(at).toBeGreaterThan(0);
        expect(at % 64).toBe(0);
        expect(at + bytes).toBeLessThanOrEqual(mem.bytes);
        for (const [o, n] of live) expect(at + bytes <= o || o + n <= at).toBe(true);
        live.set(at, bytes);
      }
      for (const at of live.keys()) mem.release(at);
      expect(mem.allocatedBytes).toBe(0);
      expect(mem.alloc(64)).toBe(64); // everything was merged back: the first region is at the start again
    }), runs);
  });

  it("refuses a region beyond 2 GiB (-1) without growing, and a release of an offset it never gave", () => {
    const mem = new KernelMemory(createWasmMemory(false)!);
    const before = mem.bytes;
    expect(mem.alloc(2 ** 31)).toBe(-1);
    expect(mem.bytes).toBe(before);
    expect(() => mem.release(128)).toThrow("KernelMemory: no region at 128");
  });
});

describe("the whole stack on the unshared build (a page that is not cross-origin isolated)", () => {
  it("generate gives the ids it gives on the shared build, keeps its weight matrices in regions of their own, and gives them back", async () => {
    const { generate, initGpt, initLlama } = await import("../src/index");
    const { withBackend } = await import("../src/backend/index");
    const unshared = createWasmBackend({ shared: false, fused: false })!, shared = createWasmBackend({ shared: true, fused: false })!;
    const models = [
      initGpt({ vocabSize: 30, blockSize: 40, nLayer: 2, nHead: 2, nEmbd: 16 }, createRng(1)),
      initLlama({ vocabSize: 30, blockSize: 40, nLayer: 2, nHead: 4, nKvHead: 2, nEmbd: 16, intermediateSize: 24 }, createRng(2)),
    ];
    for (const params of models) {
      const run = (be: typeof shared) => withBackend(be, () => {
        const steps = generate(params, [1, 2, 3, 4, 5], { maxNewTokens: 30, temperature: 0 });
        const ids = [steps.next().value as number];
        const held = be.mem.allocatedBytes - be.scratchHeld();
        ids.push(...steps);
        return { ids, held, after: be.mem.allocatedBytes - be.scratchHeld() };
      });
      const a = run(unshared), b = run(shared);
      expect(a.ids).toEqual(b.ids);
      expect(a.held).toBeGreaterThan(0); // the weight matrices, in regions found by their arrays
      expect(a.after).toBe(0);
      expect(b.after).toBe(0);
    }
  });
});

describe("a model larger than the kernels' memory", () => {
  it("generates from JavaScript arrays instead, the same ids, and leaves the memory as it was", async () => {
    const { generate, initGpt } = await import("../src/index");
    const { withBackend } = await import("../src/backend/index");
    const params = initGpt({ vocabSize: 64, blockSize: 40, nLayer: 2, nHead: 2, nEmbd: 32 }, createRng(5)); // ~100 kB of weights
    const small = createWasmBackend({ shared: true, fused: false, maxPages: 1 })!, roomy = createWasmBackend({ shared: true, fused: false })!;
    const run = (be: typeof small) => withBackend(be, () => [...generate(params, [1, 2, 3], { maxNewTokens: 20, temperature: 0 })]);
    const { residency, KernelMemoryFull } = await import("../src/backend/index");
    const { snapshotParams } = await import("../src/internal/snapshot");
    expect(() => withBackend(small, () => { // the weights alone do not fit: what makes generate fall back
      const res = residency();
      try { snapshotParams(params, res); } finally { res.release(); }
    })).toThrow(KernelMemoryFull);
    const ids = run(small);
    expect(ids).toEqual(run(roomy));
    expect(small.mem.allocatedBytes - small.scratchHeld()).toBe(0);
    expect(small.mem.bytes).toBe(65536);
  });
});
