// 16-bit weights: F16 and BF16 rounding, widening, and linear over stored weights (the weight-type table).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createRng, dequantize, linear, quantize, randn, tensor, useWasm, wasmStatus } from "../src/index";
import { bf16ToFloat, floatToBf16, floatToHalf, halfToFloat, linearForwardReference, linearTypedReference } from "../src/kernels";
import { createWasmBackend } from "../src/backend/index";
import { runs } from "./helpers/arbitraries";

const ref = JSON.parse(readFileSync(new URL("./fixtures/half-reference.json", import.meta.url), "utf8"));
const wasmWanted = process.env.TP_KERNELS !== "js";
const asFloat = (bits: number) => new Float32Array(new Uint32Array([bits]).buffer)[0];

describe("F16 and BF16 rounding", () => {
  it("rounds hand-checked values to the nearest, ties to even", () => {
    expect(floatToHalf(1)).toBe(0x3c00);
    expect(floatToHalf(-2)).toBe(0xc000);
    expect(floatToHalf(65504)).toBe(0x7bff); // the largest finite
    expect(floatToHalf(65520)).toBe(0x7c00); // half-way to the next: rounds to even, which is ∞
    expect(floatToHalf(2 ** -24)).toBe(0x0001); // the smallest subnormal
    expect(floatToHalf(2 ** -25)).toBe(0x0000); // a tie between 0 and it: even is 0
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00); // a tie: to even
    expect(floatToHalf(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(floatToBf16(1)).toBe(0x3f80);
    expect(floatToBf16(1 + 2 ** -8)).toBe(0x3f80); // tie → even
    expect(floatToBf16(1 + 3 * 2 ** -8)).toBe(0x3f82);
    expect(floatToBf16(Number.NaN) & 0x7fc0).toBe(0x7fc0); // a quiet NaN
    expect(halfToFloat(0x3555)).toBeCloseTo(1 / 3, 3);
    expect(bf16ToFloat(0xc2f7)).toBe(-123.5);
  });

  it("gives PyTorch's bits for every value of the fixture (half() and bfloat16()), and widens them back to PyTorch's values", () => {
    ref.values.forEach((bits: number, i: number) => {
      const v = asFloat(bits);
      expect(floatToHalf(v), `f16 of ${v}`).toBe(ref.f16[i]);
      expect(floatToBf16(v), `bf16 of ${v}`).toBe(ref.bf16[i]);
    });
    const q = quantize({ data: Float32Array.from(ref.values.map(asFloat)), shape: [ref.values.length] }, "f16");
    expect(Array.from(new Uint16Array(q.bytes.buffer))).toEqual(ref.f16);
  });

  it("dequantize(quantize(x)) is within half an ulp of 16 bits, and quantize(dequantize(q)) gives q's bits back", () => {
    fc.assert(fc.property(fc.float({ noNaN: true, noDefaultInfinity: true, min: -60000, max: 60000 }), fc.constantFrom("f16", "bf16"), (v, type) => {
      const x = tensor([v], [1]), q = quantize(x, type), back = dequantize(q).data[0];
      const bits = type === "f16" ? 10 : 7, scale = Math.max(Math.abs(v), type === "f16" ? 2 ** -14 : 2 ** -126);
      expect(Math.abs(back - Math.fround(v))).toBeLessThanOrEqual(scale * 2 ** -(bits + 1) * (1 + 1e-9));
      expect(Array.from(quantize(dequantize(q), type).bytes)).toEqual(Array.from(q.bytes));
    }), runs);
  });

  it("refuses a type it does not store, and bytes that do not fit the shape", () => {
    expect(() => quantize(tensor([1], [1]), "q3_k" as never)).toThrow(/^quantize: type must be one of "f32", "f16", "bf16", "q8_0", .*"q6_k", got the string "q3_k"$/);
    expect(() => dequantize({ type: "f16", shape: [3], bytes: new Uint8Array(5) })).toThrow("dequantize: q has 5 bytes, expected 6 for shape [3] of f16");
    expect(() => linear(tensor([1, 2], [1, 2]), quantize(tensor([1, 2, 3], [1, 3]), "f16"))).toThrow("linear: weight has shape [1, 3], expected [out, 2]");
  });
});

describe("the WebAssembly widening of 16-bit values", () => {
  it("gives halfToFloat's and bf16ToFloat's value for every one of the 65,536 bit patterns", () => {
    const be = createWasmBackend({ shared: false, fused: false })!;
    const n = 65536, src = be.mem.alloc(n * 2), dst = be.mem.alloc(n * 4);
    new Uint16Array(be.mem.memory.buffer, src, n).set(Uint16Array.from({ length: n }, (_, i) => i));
    for (const [kind, widen] of [[0, halfToFloat], [1, bf16ToFloat]] as const) {
      be.exports.widen16(src, dst, n, kind);
      const got = new Float32Array(be.mem.memory.buffer, dst, n);
      for (let i = 0; i < n; i++) {
        const want = widen(i);
        if (Number.isNaN(want)) expect(Number.isNaN(got[i])).toBe(true);
        else if (got[i] !== want || Object.is(got[i], -0) !== Object.is(want, -0)) expect(`${kind}:${i.toString(16)} → ${got[i]}`).toBe(`${kind}:${i.toString(16)} → ${want}`);
      }
    }
  });

  it("linearRow16 reads every one of the 65,536 F16 and BF16 bit patterns as halfToFloat and bf16ToFloat do (∞ and NaN among them)", () => {
    // W [8192, 8] holds each pattern once; x one-hot at k0 makes out[j] = W[j, k0] + Σ of zero products.
    const be = createWasmBackend({ shared: false, fused: false })!;
    const K = 8, N = 65536 / K, w = be.mem.alloc(N * K * 2), x = be.mem.alloc(K * 4), b = be.mem.alloc(N * 4), out = be.mem.alloc(N * 4);
    new Uint16Array(be.mem.memory.buffer, w, N * K).set(Uint16Array.from({ length: N * K }, (_, i) => i));
    new Float32Array(be.mem.memory.buffer, b, N).fill(0);
    for (const [kind, widen] of [[0, halfToFloat], [1, bf16ToFloat]] as const) {
      for (let k0 = 0; k0 < K; k0++) {
        const xs = new Float32Array(be.mem.memory.buffer, x, K);
        xs.fill(0);
        xs[k0] = 1;
        be.exports.linearRow16(x, w, b, out, K, N, kind);
        const got = new Float32Array(be.mem.memory.buffer, out, N);
        for (let j = 0; j < N; j++) {
          let want = 0;
          for (let k = 0; k < K; k++) want += widen(j * K + k) * xs[k];
          if (!(got[j] === want || (Number.isNaN(got[j]) && Number.isNaN(want)))) expect(`${kind}:${(j * K + k0).toString(16)} → ${got[j]}`).toBe(`${kind}:${(j * K + k0).toString(16)} → ${want}`);
        }
      }
    }
  });

  it("linearRow16 over F16 gives the bits of its own order of float32 sums, for x of any size (2^16 and more, ∞, NaN) and weights with ∞ and NaN", () => {
    const be = createWasmBackend({ shared: false, fused: false })!;
    const K = 24, N = 8, w = be.mem.alloc(N * K * 2), x = be.mem.alloc(K * 4), b = be.mem.alloc(N * 4), out = be.mem.alloc(N * 4);
    const big = [65535.99, 65536, -65536, 1e5, 3e38, Infinity, -Infinity, NaN, 1e-40];
    fc.assert(fc.property(fc.array(fc.oneof(fc.float({ noNaN: true, min: -4, max: 4 }), fc.constantFrom(...big)), { minLength: K, maxLength: K }),
      fc.array(fc.oneof({ weight: 20, arbitrary: fc.integer({ min: 0, max: 0xffff }).filter((h) => (h & 0x7c00) !== 0x7c00) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }) }), { minLength: N * K, maxLength: N * K }),
      fc.array(fc.float({ noNaN: true, min: -1, max: 1 }), { minLength: N, maxLength: N }), (xv, hv, bv) => {
        const xs = new Float32Array(be.mem.memory.buffer, x, K), hs = new Uint16Array(be.mem.memory.buffer, w, N * K), bs = new Float32Array(be.mem.memory.buffer, b, N);
        xs.set(xv); hs.set(hv); bs.set(bv);
        be.exports.linearRow16(x, w, b, out, K, N, 0);
        const got = new Float32Array(be.mem.memory.buffer, out, N), f = Math.fround;
        for (let j = 0; j < N; j++) {
          const a = [0, 0, 0, 0]; // the kernel's four lanes: k ≡ lane (mod 4), in order
          for (let k = 0; k < K; k++) a[k % 4] = f(a[k % 4] + f(halfToFloat(hs[j * K + k]) * xs[k]));
          const want = f(f(f(a[0] + a[2]) + f(a[1] + a[3])) + bs[j]);
          if (!Object.is(got[j], want) && !(Number.isNaN(got[j]) && Number.isNaN(want))) return false;
        }
        return true;
      }), { numRuns: 300 });
  });
});

describe("linear over a 16-bit weight", () => {
  const L = ref.linear, x = { data: Float32Array.from(L.x), shape: [L.M, L.K] }, b = { data: Float32Array.from(L.b), shape: [L.N] };
  for (const type of ["f16", "bf16"] as const) {
    it(`${type}: equals PyTorch's F.linear over the widened weight, on every kernel path, one row and several`, () => {
      const w = { type, shape: [L.N, L.K], bytes: new Uint8Array(Uint16Array.from(L[type].bits).buffer) };
      for (const wasm of [false, true]) {
        useWasm(wasm);
        for (const rows of [1, L.M]) {
          const y = linear({ data: x.data.subarray(0, rows * L.K), shape: [rows, L.K] }, w, b).data;
          for (let i = 0; i < rows * L.N; i++) expect(Math.abs(y[i] - L[type].y[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(L[type].y[i])));
        }
      }
      useWasm(wasmWanted);
    });
  }

  it("equals the float32 product of dequantize(weight) for any shape, rows 1 … 40 (the single-row kernel and the widened packed one)", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.constantFrom("f16", "bf16"), fc.nat(),
      (M, K8, N8, type, seed) => {
        const K = K8 % 3 === 0 ? K8 * 8 : K8, N = N8 % 2 === 0 ? N8 * 8 : N8; // multiples of 8 (the fast single-row path) and odd ones
        const rng = createRng(seed), xs = randn([M, K], rng), q = quantize(randn([N, K], rng), type);
        const want = new Float32Array(M * N), ref16 = new Float32Array(M * N);
        linearForwardReference(want, xs.data, dequantize(q).data, null, M, K, N);
        linearTypedReference(ref16, xs.data, q.bytes, type, null, M, K, N);
        const got = linear(xs, q).data;
        for (let i = 0; i < M * N; i++) {
          expect(ref16[i]).toBe(want[i]); // the reference reads the bytes as dequantize does
          expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(2e-6 * K * (1 + Math.abs(want[i])));
        }
      }), { numRuns: 40 });
  });

  it("copies the 16-bit bytes, not float32, when the weight is not in the kernels' memory", () => {
    if (!wasmStatus().enabled) return;
    const K = 64, N = 64, q = quantize(randn([N, K], createRng(2)), "f16"), x = randn([1, K], createRng(3));
    const before = wasmStatus().copiedBytes;
    linear(x, q);
    expect(wasmStatus().copiedBytes - before).toBe(N * K * 2 + K * 4 + N * 4); // the weights at 2 bytes a value, x in, y out (no bias: zeros in place)
  });
});
