// A/B of the block-format kernels (linearQ8, every format) between builds of src/wasm/quant.wat: the
// builds instantiated over one memory, the same weights and activations, alternating rounds, medians
// of 7, and whether each build gives the first build's bits. For a kernel change, e.g.:
//   git show HEAD~1:src/wasm/quant.wat > /tmp/old.wat
//   node bench/quant-kernel-ab.mjs 32 /tmp/old.wat src/wasm/quant.wat      (32 rows of x; 1 for decode; K=… N=… for other shapes; ONLY=q8_0,q4_0 for some formats)
// COPIES=n runs over n copies of the weight in turn (e.g. COPIES=128 at 576×1536: 120 MB, so the weights come from
// memory, as in a generation step, not from cache).
import wabtInit from "wabt";
import { readFileSync } from "node:fs";
const wabt = await wabtInit();
const build = (file) => { const m = wabt.parseWat(file, readFileSync(file, "utf8"), { simd: true }); m.validate(); return m.toBinary({}).buffer; };
const memory = new WebAssembly.Memory({ initial: 8192, maximum: 32768 });
const files = process.argv.slice(3);
if (files.length < 1 || !(Number(process.argv[2]) >= 1)) { console.error("usage: node bench/quant-kernel-ab.mjs <rows of x> <a.wat> [b.wat …]"); process.exit(2); }
const E = files.map((f) => new WebAssembly.Instance(new WebAssembly.Module(build(f)), { env: { memory } }).exports);
const M = Number(process.argv[2]);
const K = Number(process.env.K ?? 1536), N = Number(process.env.N ?? 576); // K=4096 N=8192: weights from memory, not cache
const kinds = [["q8_0", 34, 32], ["q4_0", 18, 32], ["q4_1", 20, 32], ["q5_0", 22, 32], ["q5_1", 24, 32], ["q4_k", 144, 256], ["q5_k", 176, 256], ["q6_k", 210, 256]];
let at = 64;
const alloc = (n) => { const p = at; at += Math.ceil(n / 64) * 64; return p; };
const COPIES = Number(process.env.COPIES ?? 1), wBytes = Math.ceil((N * (K / 32) * 34) / 64) * 64;
memory.grow(Math.max(0, Math.ceil((COPIES * wBytes + M * K * 16 + N * 64 + 4 * K * 16) / 65536) + 16 - memory.buffer.byteLength / 65536));
const u8 = new Uint8Array(memory.buffer), f32 = new Float32Array(memory.buffer);
const x = alloc(M * K * 4), xq = alloc(M * K), xd = alloc(M * (K / 32) * 8), w = alloc(COPIES * wBytes + 64), b = alloc(N * 4), scr = alloc(32 * (K / 32) * 4 * 4);
const outs = E.map(() => alloc(M * N * 4));
for (let i = 0; i < M * K; i++) f32[x / 4 + i] = Math.sin(i * 0.37);
for (let i = 0; i < COPIES * wBytes; i++) u8[w + i] = (i * 2654435761) >>> 24;
E[0].quantizeQ8(x, xq, xd, M * K);
const med = (a) => a.sort((p, q) => p - q)[a.length >> 1];
for (const [name, bytes, per] of kinds.filter(([n]) => !process.env.ONLY || process.env.ONLY.split(",").includes(n))) {
  const kind = kinds.findIndex((k) => k[0] === name);
  // small positive f16 scales everywhere a block starts, so the sums stay finite
  const blocks = N * (K / per);
  for (let c = 0; c < COPIES; c++) for (let i = 0; i < blocks; i++) { u8[w + c * wBytes + i * bytes] = 0x00; u8[w + c * wBytes + i * bytes + 1] = 0x20; }
  let copy = 0;
  const run = (e, j) => e.linearQ8(xq, xd, w + (copy++ % COPIES) * wBytes, kind, b, outs[j], M, K, N, scr, N);
  E.forEach((e, j) => { copy = 0; run(e, j); });
  const ref = f32.slice(outs[0] / 4, outs[0] / 4 + M * N);
  const same = E.map((_, j) => { const o = f32.subarray(outs[j] / 4, outs[j] / 4 + M * N); for (let i = 0; i < ref.length; i++) if (!Object.is(ref[i], o[i])) return false; return true; });
  const reps = Math.max(10, Math.round(1500 / M));
  const t = E.map(() => []);
  for (let round = 0; round < 7; round++) E.forEach((e, j) => { const s = performance.now(); for (let r = 0; r < reps; r++) run(e, j); t[j].push((performance.now() - s) / reps); });
  const m = t.map(med);
  console.log(`${name} M=${M}: ${m.map((v, j) => `${v.toFixed(4)} ms${j ? ` (${(m[0] / v).toFixed(2)}×${same[j] ? "" : ", BITS DIFFER"})` : ""}`).join("  ")}`);
}
