// Peak RSS of the causal attention backward pass at T = 4096, H = 12, D = 64, in a fresh process:
// like the forward, it recomputes each query row's probabilities instead of storing the H·T·T
// weights (805 MB).
import { attentionBackward, createRng, randn } from "../src/index";

const H = 12, T = 4096, D = 64;
const rng = createRng(1);
const q = randn([H, T, D], rng), k = randn([H, T, D], rng), v = randn([H, T, D], rng), dy = randn([H, T, D], rng);
const before = process.memoryUsage().rss;
const t = performance.now();
attentionBackward(dy, q, k, v, { causal: true });
const ms = performance.now() - t;
const peak = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({
  "inputs + gradients MB": +((7 * H * T * D * 4) / 1e6).toFixed(1), "RSS before MB": +(before / 1e6).toFixed(0), "peak RSS MB": +(peak / 1e6).toFixed(0),
  "H·T·T floats MB": +((H * T * T * 4) / 1e6).toFixed(0), ms: +ms.toFixed(0), "GFLOP/s": +((5 * H * T * T * D) / ms / 1e6).toFixed(1),
}));
