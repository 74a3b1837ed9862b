// Lesson 25 — why 4 bits work: one weight matrix stored in each of ggml's formats, what it costs in
// bytes, how far its values move, how far a product over it moves, and how fast that product runs;
// then a whole model quantized, written as a GGUF file (the format llama.cpp runs) and read back.
// A block of 32 values shares one scale (and, in Q4_1/Q5_1, a minimum): the error of each value is
// at most half a step of its own block, so one outlier spoils 32 values, not the whole row.
// (docs/quantization.md draws the block layouts.)
// Run: npx tsx examples/25-quantization.ts
import {
  createRng, dequantize, generate, initLlama, linear, loadGguf, modelFromGguf, modelToGguf, quantize, quantizeModel, randn, residentParams,
  type WeightType,
} from "transformer-primitives";

const rng = createRng(25);
const N = 768, K = 768;
const w = randn([N, K], rng);
for (let i = 0; i < w.data.length; i++) w.data[i] *= 0.02; // a trained layer's scale
const x = randn([1, K], rng);
const exact = linear(x, w);
const rms = (a: Float32Array, b: Float32Array) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0) / a.length);
const norm = (a: Float32Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0) / a.length);

console.log(`one ${N}×${K} weight matrix (std 0.02) and one row x:`);
console.log("type    bits/value  bytes      value error (rms, × std)  output error (rms, relative)  µs per x·Wᵀ");
for (const type of ["f32", "f16", "bf16", "q8_0", "q6_k", "q5_1", "q5_k", "q5_0", "q4_1", "q4_k", "q4_0"] as WeightType[]) {
  const q = residentParams({ w: quantize(w, type) }).w; // held in the kernels' memory, as a generation holds its weights
  const back = dequantize(q);
  const y = linear(x, q);
  for (let i = 0; i < 20; i++) linear(x, q);
  const t0 = performance.now(), reps = 200;
  for (let i = 0; i < reps; i++) linear(x, q);
  const us = ((performance.now() - t0) / reps) * 1000;
  console.log(
    `${type.padEnd(6)}  ${((q.bytes.length * 8) / (N * K)).toFixed(2).padStart(10)}  ${String(q.bytes.length).padStart(9)}  ` +
    `${(rms(back.data, w.data) / 0.02).toExponential(2).padStart(24)}  ${(rms(y.data, exact.data) / norm(exact.data)).toExponential(2).padStart(28)}  ${us.toFixed(0).padStart(11)}`,
  );
}
console.log("(the 32-value block formats run an integer kernel: x is quantized to int8 blocks of 32 too, as llama.cpp does; the K-quants are widened to float32 for now)");

// A whole model: every weight matrix in Q4_0, the embedding in Q8_0 (one of llama.cpp's mixtures)
const model = initLlama({ vocabSize: 256, blockSize: 64, nLayer: 2, nHead: 4, nKvHead: 2, nEmbd: 128, intermediateSize: 256 }, createRng(1));
const q4 = quantizeModel(model, "q4_0", { keep: (path) => (path === "wte" ? "q8_0" : undefined) });
const file = modelToGguf(q4); // llama-cli -m model.gguf … runs this file
const back = modelFromGguf(loadGguf(file));
const prompt = [1, 2, 3, 4];
const f32Ids = [...generate(model, prompt, { maxNewTokens: 12, temperature: 0 })];
const q4Ids = [...generate(back, prompt, { maxNewTokens: 12, temperature: 0 })];
console.log(`\na small Llama: ${(modelToGguf(model).length / 1e6).toFixed(2)} MB as F32 GGUF, ${(file.length / 1e6).toFixed(2)} MB in Q4_0 (embedding Q8_0)`);
console.log(`greedy ids, float32: ${f32Ids.join(" ")}`);
console.log(`greedy ids, Q4_0:    ${q4Ids.join(" ")}  (${q4Ids.filter((id, i) => id === f32Ids[i]).length} of 12 the same)`);
