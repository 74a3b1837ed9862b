// ggml's block formats (Q8_0, Q4_0, Q4_1, Q5_0, Q5_1): bytes as gguf-py writes them, values as it reads them;
// the K-quants (Q4_K, Q5_K, Q6_K): bytes as llama.cpp's own quantizers write them, values as gguf-py reads them.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createRng, dequantize, linear, quantize, randn, tensor, zeros } from "../src/index";
import { WEIGHT_TYPES } from "../src/kernels";
import { runs } from "./helpers/arbitraries";

const ref = JSON.parse(readFileSync(new URL("./fixtures/quant-reference.json", import.meta.url), "utf8"));
const BLOCKS = ["q8_0", "q4_0", "q4_1", "q5_0", "q5_1"] as const;
const KQUANTS = ["q4_k", "q5_k", "q6_k"] as const;
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const fromHex = (s: string) => new Uint8Array(Buffer.from(s, "hex"));
/** Compares float32 values bit for bit (so -0 ≠ 0), reporting the first index that differs. */
function expectSameBits(actual: Float32Array, expected: number[], what: string) {
  const e = Float32Array.from(expected), a32 = new Uint32Array(actual.buffer, actual.byteOffset, actual.length), e32 = new Uint32Array(e.buffer);
  expect(actual.length, what).toBe(e.length);
  const i = a32.findIndex((v, k) => v !== e32[k]);
  expect(i, `${what}: first difference at ${i}: ${actual[i]} vs ${e[i]}`).toBe(-1);
}

describe("the block formats, against gguf-py", () => {
  for (const type of BLOCKS) {
    it(`${type}: quantize writes gguf-py's bytes for random and hostile rows (zeros, one huge value, ±65504, denormals, equal values, ties of |max|)`, () => {
      const r = ref.types[type];
      const x = tensor(r.rows.flat(), [r.rows.length, 32]);
      const q = quantize(x, type);
      const got = hex(q.bytes), want: string = r.bytes, bb = WEIGHT_TYPES[type].blockBytes * 2;
      for (let row = 0; row < r.rows.length; row++) expect(got.slice(row * bb, (row + 1) * bb), `${type} row ${row}: ${r.rows[row].slice(0, 4)}…`).toBe(want.slice(row * bb, (row + 1) * bb));
    });

    it(`${type}: dequantize gives gguf-py's float32 values bit for bit, of quantized rows and of random bytes`, () => {
      const r = ref.types[type];
      expectSameBits(dequantize({ type, shape: [r.rows.length, 32], bytes: fromHex(r.bytes) }).data, r.dequant, "quantized rows");
      const rb = fromHex(r.randomBytes), n = (rb.length / WEIGHT_TYPES[type].blockBytes) * 32;
      expectSameBits(dequantize({ type, shape: [n], bytes: rb }).data, r.randomDequant, "random bytes");
    });
  }
});

describe("the block formats, by hand", () => {
  it("Q8_0 stores max|x|/127 as the F16 scale and rounds x/d half away from zero", () => {
    const x = new Float32Array(32);
    x[0] = 127; x[1] = -63.5; x[2] = 0.5; x[3] = -127;
    const q = quantize(tensor(x, [32]), "q8_0");
    expect(Array.from(q.bytes.subarray(0, 6))).toEqual([0x00, 0x3c, 127, 0xc0 /* -64 */, 1, 0x81 /* -127 */]);
    expect(Array.from(dequantize(q).data.subarray(0, 4))).toEqual([127, -64, 1, -127]);
  });

  it("Q4_0 takes d = m / −8 from the value of largest magnitude m, so m itself is stored as 0 (−8)", () => {
    const x = new Float32Array(32);
    x[0] = -8; x[16] = 4; x[1] = 1;
    const q = quantize(tensor(x, [32]), "q4_0");
    expect(Array.from(q.bytes.subarray(0, 4))).toEqual([0x00, 0x3c, 0x00 | (12 << 4), 9 | (8 << 4)]); // d = 1; q = x + 8
    expect(Array.from(dequantize(q).data.subarray(0, 2))).toEqual([-8, 1]);
    expect(dequantize(q).data[16]).toBe(4);
  });

  it("Q4_1 and Q5_1 keep the block's minimum and span it in 15 and 31 steps", () => {
    const x = Float32Array.from({ length: 32 }, (_, i) => 10 + i);
    expect(Array.from(dequantize(quantize(tensor(x, [32]), "q5_1")).data)).toEqual(Array.from(x)); // 31 steps of 1
    const q41 = dequantize(quantize(tensor(x, [32]), "q4_1")).data;
    expect(q41[0]).toBe(10);
    expect(q41[31]).toBeCloseTo(41, 2);
  });

  it("every format needs whole blocks of 32 along the last axis, and says so", () => {
    expect(() => quantize(zeros([4, 48]), "q8_0")).toThrow("quantize: x has shape [4, 48], expected a last axis that is a multiple of 32 (q8_0 stores blocks of 32 values along it)");
    expect(() => dequantize({ type: "q4_0", shape: [2, 32], bytes: new Uint8Array(35) })).toThrow("dequantize: q has 35 bytes, expected 36 for shape [2, 32] of q4_0");
    expect(() => dequantize({ type: "q5_1", shape: [16], bytes: new Uint8Array(12) })).toThrow("expected a last axis that is a multiple of 32");
    expect(quantize(zeros([3, 64]), "q4_0").bytes.length).toBe(3 * 2 * 18);
  });
});

describe("the block formats, their maths", () => {
  const value = fc.float({ noNaN: true, noDefaultInfinity: true, min: -1000, max: 1000 });
  it("each value comes back within half a step (d/2) of itself, d the block's scale (a whole step at the clipped end of Q4_0's and Q5_0's grid)", () => {
    fc.assert(fc.property(fc.array(value, { minLength: 32, maxLength: 32 }), fc.constantFrom(...BLOCKS), (vals, type) => {
      const x = Float32Array.from(vals), back = dequantize(quantize(tensor(x, [32]), type)).data;
      const amax = Math.max(...Array.from(x, Math.abs)), lo = Math.min(...x), hi = Math.max(...x);
      const step = { q8_0: amax / 127, q4_0: amax / 8, q5_0: amax / 16, q4_1: (hi - lo) / 15, q5_1: (hi - lo) / 31 }[type];
      // Q4_0's grid runs from −8d to 7d with the largest magnitude at −8d: a value of the other sign beyond 7d is clipped
      const m = x[Array.from(x, Math.abs).indexOf(amax)], grid = { q4_0: 8, q5_0: 16 }[type as string];
      // plus the scale's own F16 rounding (2^-11 relative, over at most 16 or 32 steps) and the minimum's
      const slack = amax * 2 ** -11 * 1.01 + amax * 2 ** -10;
      for (let i = 0; i < 32; i++) {
        const clipped = grid !== undefined && Math.sign(x[i]) === -Math.sign(m) && Math.abs(x[i]) > (step * (grid - 1));
        expect(Math.abs(back[i] - x[i]), `${type} value ${i}`).toBeLessThanOrEqual((clipped ? step : step / 2) + slack);
      }
    }), runs);
  });

  it("quantize(dequantize(q)) gives q's bytes back for the symmetric formats (Q8_0, Q4_0, Q5_0)", () => {
    fc.assert(fc.property(fc.array(value, { minLength: 32, maxLength: 32 }), fc.constantFrom("q8_0", "q4_0", "q5_0"), (vals, type) => {
      const q = quantize(tensor(Float32Array.from(vals), [32]), type);
      const again = quantize(dequantize(q), type);
      expect(dequantize(again).data).toEqual(dequantize(q).data);
    }), runs);
  });
});

const wasmWanted = process.env.TP_KERNELS !== "js";
/** The reference (dequantized weight, float64 sums) and how far an int8-quantized x may move it: Σ_blocks d_x/2 · Σ|w|. */
function reference(x: Float32Array, w: Float32Array, b: Float32Array | null, M: number, K: number, N: number) {
  const y = new Float64Array(M * N), bound = new Float64Array(M * N);
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
    let acc = b ? b[j] : 0, err = 0, mag = 0;
    for (let blk = 0; blk < K / 32; blk++) {
      let amax = 0, wsum = 0;
      for (let k = blk * 32; k < blk * 32 + 32; k++) {
        acc += x[i * K + k] * w[j * K + k];
        mag += Math.abs(x[i * K + k] * w[j * K + k]);
        amax = Math.max(amax, Math.abs(x[i * K + k]));
        wsum += Math.abs(w[j * K + k]);
      }
      err += (amax / 127 / 2) * wsum;
    }
    y[i * N + j] = acc;
    bound[i * N + j] = err * (1 + 1e-5) + mag * 1e-5 + 1e-6;
  }
  return { y, bound };
}

describe("linear over a block-format weight", () => {


  it("gives the exact integer dot products when x and W lie on their grids (scale 1)", () => {
    for (const type of ["q8_0", "q4_0"] as const) {
      const K = 64, N = 5;
      const x = Float32Array.from({ length: K }, (_, k) => (k === 0 ? 127 : ((k * 37) % 255) - 127));
      const w = Float32Array.from({ length: N * K }, (_, i) => (i % 32 === 0 ? (type === "q8_0" ? 127 : -8) : type === "q8_0" ? ((i * 13) % 255) - 127 : ((i * 13) % 15) - 7));
      const y = linear(tensor(x, [1, K]), quantize(tensor(w, [N, K]), type));
      for (let j = 0; j < N; j++) {
        let dot = 0;
        for (let k = 0; k < K; k++) dot += x[k] * w[j * K + k];
        expect(y.data[j], `${type} row ${j}`).toBe(dot);
      }
    }
  });

  it("stays within the activation-quantization bound of the float32 product of dequantize(weight), for any shape and rows 1 … 9", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 11 }), fc.boolean(), fc.constantFrom(...BLOCKS, ...KQUANTS), fc.integer(),
      (M, blocks, N, withBias, type, seed) => {
        const K = blocks * WEIGHT_TYPES[type].blockSize, rng = createRng(seed);
        const x = randn([M, K], rng), w = quantize(randn([N, K], rng), type), b = withBias ? randn([N], rng) : null;
        const y = linear(x, w, b);
        const ref = reference(x.data, dequantize(w).data, b?.data ?? null, M, K, N);
        const exact = !wasmWanted; // the JavaScript kernels run the float reference
        for (let i = 0; i < M * N; i++) expect(Math.abs(y.data[i] - ref.y[i]), `${type} output ${i}`).toBeLessThanOrEqual(exact ? 1e-5 * (1 + Math.abs(ref.y[i])) : ref.bound[i]);
      }), runs);
  });

  it("gives one row of x the same bits alone as among many rows", () => {
    const rng = createRng(3), N = 13;
    // one row of Q8_0 or Q4_0 takes a kernel of its own, four blocks at a time: K = 96, 160, 576 and
    // 2048 leave 3, 1, 2 and 0 blocks after the last four; rows 0 and 1 have subnormal F16 scales
    const cases = [...BLOCKS, ...KQUANTS].map((type) => [type, WEIGHT_TYPES[type].blockSize === 256 ? 512 : 96] as const);
    for (const [type, K] of [...cases, ...[160, 576, 2048].flatMap((K) => [["q8_0", K] as const, ["q4_0", K] as const])]) {
      const wf = randn([N, K], rng);
      for (let k = 0; k < K; k++) { wf.data[k] *= 1e-4; wf.data[K + k] *= 1e-7; }
      const w = quantize(wf, type), x = randn([7, K], rng);
      const all = linear(x, w);
      // rows 0–5 run two at a time in the Q8_0 kernel (first and second of a pair), row 6 alone
      for (let i = 0; i < 7; i++) {
        const row = linear(tensor(x.data.slice(i * K, (i + 1) * K), [1, K]), w);
        expect(Array.from(row.data), `${type} K ${K} row ${i}`).toEqual(Array.from(all.data.subarray(i * N, (i + 1) * N)));
      }
    }
  });

  it("runs the block formats on the WebAssembly kernels where they are on (an activation-quantization error), on the float reference where not (none)", () => {
    for (const type of [...BLOCKS, ...KQUANTS]) {
      const K = WEIGHT_TYPES[type].blockSize === 256 ? 256 : 64;
      const rng = createRng(4), x = randn([2, K], rng), w = quantize(randn([8, K], rng), type);
      const y = linear(x, w), ref = reference(x.data, dequantize(w).data, null, 2, K, 8);
      expect(Array.from(y.data).some((v, i) => v !== Math.fround(ref.y[i])), type).toBe(wasmWanted);
    }
  });
});

const kref = JSON.parse(readFileSync(new URL("./fixtures/kquant-reference.json", import.meta.url), "utf8"));
const b64 = (s: string) => new Uint8Array(Buffer.from(s, "base64"));

describe("the K-quants (Q4_K, Q5_K, Q6_K: 256-value super-blocks)", () => {
  for (const type of ["q4_k", "q5_k", "q6_k"] as const) {
    it(`${type}: quantize writes llama.cpp's bytes (its quantize_row_${type.replace("_k", "_K")}_ref, compiled from its source) for random and hostile rows, and dequantize reads them back bit for bit as its dequantize_row does`, () => {
      for (const [name, c] of Object.entries(kref.cases) as [string, Record<string, string>][]) {
        const xb = b64(c.x), x = new Float32Array(xb.buffer, xb.byteOffset, xb.length / 4);
        const q = quantize(tensor(Float32Array.from(x), [x.length]), type);
        expect(hex(q.bytes), `${type} ${name}`).toBe(hex(b64(c[type])));
        const vb = b64(c[`${type}_values`]);
        expectSameBits(dequantize(q).data, Array.from(new Float32Array(vb.buffer, vb.byteOffset, vb.length / 4)), `${type} ${name}: dequantize_row`);
      }
    });
  }

  it("quantize's error on Gaussian rows: Q6_K < Q5_K < Q4_K, each below its bits' uniform step", () => {
    const x = randn([16, 256], createRng(21)), rms = (t: "q4_k" | "q5_k" | "q6_k") => {
      const back = dequantize(quantize(x, t)).data;
      let s = 0;
      for (let i = 0; i < back.length; i++) s += (back[i] - x.data[i]) ** 2;
      return Math.sqrt(s / back.length);
    };
    const e4 = rms("q4_k"), e5 = rms("q5_k"), e6 = rms("q6_k");
    expect(e6).toBeLessThan(e5);
    expect(e5).toBeLessThan(e4);
    // a uniform grid over ±3σ in 2^b steps has error step/√12: 6/15/√12 ≈ 0.115 (4 bits), 0.056 (5), 0.027 (6 bits, 63 steps)
    expect(e4).toBeLessThan(0.115);
    expect(e5).toBeLessThan(0.056);
    expect(e6).toBeLessThan(0.027);
  });
});

describe("the K-quants (Q4_K, Q5_K, Q6_K: 256-value super-blocks), read", () => {
  for (const type of ["q4_k", "q5_k", "q6_k"] as const) {
    it(`${type}: dequantize gives gguf-py's float32 values bit for bit; linear reads those values (within the activation-quantization bound)`, () => {
      const k = ref.kquants[type], bytes = fromHex(k.bytes), n = (bytes.length / WEIGHT_TYPES[type].blockBytes) * 256;
      expectSameBits(dequantize({ type, shape: [n], bytes }).data, k.dequant, type);
      const w = { type, shape: [n / 256, 256], bytes }, x = randn([2, 256], createRng(5)), N = n / 256;
      const y = linear(x, w), r = reference(x.data, dequantize(w).data, null, 2, 256, N);
      for (let i = 0; i < 2 * N; i++) expect(Math.abs(y.data[i] - r.y[i]), `${type} output ${i}`).toBeLessThanOrEqual(wasmWanted ? r.bound[i] : 1e-4 * (1 + Math.abs(r.y[i])));
    });
  }

  it("need rows of whole super-blocks (256)", () => {
    expect(() => quantize(zeros([1, 128]), "q4_k")).toThrow("expected a last axis that is a multiple of 256 (q4_k stores blocks of 256 values along it)");
    expect(() => dequantize({ type: "q6_k", shape: [2, 128], bytes: new Uint8Array(210) })).toThrow("expected a last axis that is a multiple of 256 (q6_k stores blocks of 256 values along it)");
  });
});
