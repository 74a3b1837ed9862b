import { createRng, randn, scaledDotProductAttention } from "./src/index";
function med(fn: () => void, n = 5) { fn(); const t: number[] = []; for (let i = 0; i < n; i++) { const s = performance.now(); fn(); t.push(performance.now() - s); } t.sort((a, b) => a - b); return t[n >> 1]; }
function main() { const rng = createRng(1);
for (const T of [256, 1024]) {
  const q = randn([12, T, 64], rng), k = randn([12, T, 64], rng), v = randn([12, T, 64], rng);
  const ms = med(() => scaledDotProductAttention(q, k, v, { causal: true }), 3);
  console.log(`attention T=${T}: ${ms.toFixed(1)} ms ${(4 * 12 * T * T * 64 / ms / 1e6).toFixed(2)} GFLOP/s`);
} }
main();
