// A/B of linearRow16 (one row of x over F16 or BF16 weights, widened in registers) and of widen16 (the
// whole matrix widened once, for many rows) between builds of
// src/wasm/kernels.wat: the builds instantiated over one memory, the same weights, alternating rounds,
// medians of 7, and whether each build gives the first build's bits. For a kernel change, e.g.:
//   git show HEAD~1:src/wasm/kernels.wat > /tmp/old.wat
//   node bench/row16-kernel-ab.mjs /tmp/old.wat src/wasm/kernels.wat
import wabtInit from "wabt";
import { readFileSync } from "node:fs";
const wabt = await wabtInit();
const build = (file) => { const m = wabt.parseWat(file, readFileSync(file, "utf8"), { simd: true, threads: true }); m.validate(); return m.toBinary({}).buffer; };
const files = process.argv.slice(2);
if (files.length < 1) { console.error("usage: node bench/row16-kernel-ab.mjs <a.wat> [b.wat …]"); process.exit(2); }
const memory = new WebAssembly.Memory({ initial: 16384, maximum: 32768 });
const E = files.map((f) => new WebAssembly.Instance(new WebAssembly.Module(build(f)), { env: { memory } }).exports);
const u16 = new Uint16Array(memory.buffer), f32 = new Float32Array(memory.buffer);
let at = 64;
const alloc = (n) => { const p = at; at += Math.ceil(n / 64) * 64; return p; };
const med = (a) => a.sort((p, q) => p - q)[a.length >> 1];
// in cache (a SmolLM2 MLP's up projection) and from memory (64 MB of weights)
for (const [K, N] of [[576, 1536], [2048, 16384]]) {
  const x = alloc(K * 4), w = alloc(N * K * 2), b = alloc(N * 4), outs = E.map(() => alloc(N * 4));
  for (let i = 0; i < K; i++) f32[x / 4 + i] = Math.sin(i * 0.37);
  for (let i = 0; i < N * K; i++) u16[w / 2 + i] = ((i * 2654435761) >>> 16) & 0xbbff; // finite F16 of both signs
  for (const [name, kind] of [["f16", 0], ["bf16", 1]]) {
    const run = (e, j) => e.linearRow16(x, w, b, outs[j], K, N, kind);
    E.forEach(run);
    const ref = f32.slice(outs[0] / 4, outs[0] / 4 + N);
    const same = E.map((_, j) => { const o = f32.subarray(outs[j] / 4, outs[j] / 4 + N); for (let i = 0; i < N; i++) if (!Object.is(ref[i], o[i])) return false; return true; });
    const reps = Math.max(3, Math.round(2e8 / (K * N)));
    const t = E.map(() => []);
    for (let round = 0; round < 7; round++) E.forEach((e, j) => { const s = performance.now(); for (let r = 0; r < reps; r++) run(e, j); t[j].push((performance.now() - s) / reps); });
    const m = t.map(med);
    console.log(`${name} 1×${K}·${N}: ${m.map((v, j) => `${v.toFixed(3)} ms (${((K * N * 2) / v / 1e6).toFixed(1)} GB/s${j ? `, ${(m[0] / v).toFixed(2)}×${same[j] ? "" : ", BITS DIFFER"}` : ""})`).join("  ")}`);
  }
  const wide = alloc(N * K * 4), t = E.map(() => []);
  for (let round = 0; round < 7; round++) E.forEach((e, j) => { const s = performance.now(); e.widen16(w, wide, N * K, 0); t[j].push(performance.now() - s); });
  const m = t.map(med);
  console.log(`widen16 f16 ${N * K}: ${m.map((v, j) => `${v.toFixed(3)} ms${j ? ` (${(m[0] / v).toFixed(2)}×)` : ""}`).join("  ")}`);
}
