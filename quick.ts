import { createRng, randn, layerNorm, gelu, ones, zeros } from "./src/index";
function med(fn: () => void, n = 9) { fn(); const t: number[] = []; for (let i = 0; i < n; i++) { const s = performance.now(); fn(); t.push(performance.now() - s); } t.sort((a, b) => a - b); return t[n >> 1]; }
function main() { const rng = createRng(1);
const lx = randn([1024, 768], rng); const w = ones([768]), b = zeros([768]); const out = zeros([1024, 768]);
console.log("layerNorm [1024,768]", med(() => layerNorm(lx, w, b)).toFixed(2), "ms; with out", med(() => layerNorm(lx, w, b, { out })).toFixed(2));
const gx = randn([1024, 3072], rng); const go = zeros([1024, 3072]);
console.log("gelu tanh [1024,3072]", med(() => gelu(gx, { approximate: "tanh" })).toFixed(1), "ms; with out", med(() => gelu(gx, { approximate: "tanh", out: go })).toFixed(1)); }
main();
import { layerNormForward } from "./src/kernels/norm";
function main2() { const rng = createRng(1); const x = randn([1024, 768], rng).data; const w = new Float32Array(768).fill(1), b = new Float32Array(768); const out = new Float32Array(x.length);
console.log("kernel", med(() => layerNormForward(out, null, null, x, w, b, 1024, 768, 1e-5), 21).toFixed(2));
function plain(out: Float32Array, x: Float32Array, w: Float32Array, b: Float32Array, rows: number, C: number) { for (let r = 0; r < rows; r++) { const base = r * C; let s0 = 0; for (let i = 0; i < C; i++) s0 += x[base + i]; const m = s0 / C; let q = 0; for (let i = 0; i < C; i++) { const d = x[base + i] - m; q += d * d; } const rs = 1 / Math.sqrt(q / C + 1e-5); for (let i = 0; i < C; i++) out[base + i] = (x[base + i] - m) * rs * w[i] + b[i]; } }
console.log("plain local", med(() => plain(out, x, w, b, 1024, 768), 21).toFixed(2));
}
main2();
