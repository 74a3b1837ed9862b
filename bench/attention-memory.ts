// Peak RSS of causal attention at T = 4096, H = 12, D = 64 without returnWeights, in a fresh process:
// materialising the weights would take H·T·T floats = 805 MB.
import { createRng, randn, scaledDotProductAttention } from "../src/index";

const H = 12, T = 4096, D = 64;
const rng = createRng(1);
const q = randn([H, T, D], rng), k = randn([H, T, D], rng), v = randn([H, T, D], rng);
const before = process.memoryUsage().rss;
scaledDotProductAttention(q, k, v, { causal: true });
const peak = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ "inputs MB": +((3 * H * T * D * 4) / 1e6).toFixed(1), "RSS before MB": +(before / 1e6).toFixed(0), "peak RSS MB": +(peak / 1e6).toFixed(0), "H·T·T floats MB": +((H * T * T * 4) / 1e6).toFixed(0) }));
