// The main job: a real GPT, trained to sort letters, run stage by stage by this library.
// Run: npm run demo -- CBABAC   (or npx tsx examples/demo.ts CBABAC; add --quiet for the answer only,
// --model FILE for a model trained by npm run train -- sort)
import { readFileSync } from "node:fs";
import { DEFAULT_WORD, parseDemoArgs, type DemoArgs } from "./lib/demo-args";
import {
  countParameters, createGptCache, createRng, explainSampling, gptForward, sampleToken, gptConfigFromMetadata, gptFromStateDict, loadSafetensors, safetensorsMetadata, softmax, argmax,
  type GptConfig, type Tensor,
} from "transformer-primitives";

const LETTERS = ["A", "B", "C"];
let args: DemoArgs;
try {
  args = parseDemoArgs(process.argv.slice(2));
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
if (args.help) {
  console.log(`npm run demo -- [LETTERS] [--quiet] [--model FILE]

Runs a GPT trained to sort six letters (minGPT's gpt-nano) stage by stage and prints what each stage
computes: tokens, embeddings, every layer's attention, the logits, the probabilities, one sampled step
explained, and the generation loop over the KV cache.

  LETTERS        six letters from A, B, C (default ${DEFAULT_WORD})
  --quiet        print the sorted answer only
  --model FILE   a checkpoint trained by npm run train -- sort (default examples/assets/sort-model.safetensors)
  --help         this text`);
  process.exit(0);
}
const { quiet, word, modelFile } = args;

let bytes: Uint8Array;
try {
  bytes = new Uint8Array(readFileSync(modelFile ?? new URL("./assets/sort-model.safetensors", import.meta.url)));
} catch (e) {
  console.error(`demo: cannot read the model file ${modelFile} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); train one with npm run train -- sort`);
  process.exit(2);
}
let config: GptConfig, params: ReturnType<typeof gptFromStateDict>;
try {
  config = gptConfigFromMetadata(safetensorsMetadata(bytes));
  params = gptFromStateDict(loadSafetensors(bytes), config);
} catch (e) {
  console.error(`demo: ${modelFile ?? "the shipped model"} is not a sort-model checkpoint: ${(e as Error).message.split("\n")[0]}`);
  process.exit(2);
}
const ids = [...word].map((ch) => LETTERS.indexOf(ch));

// Everything the model computes on the first step, by the tap's stable names.
const seen = new Map<string, Tensor>();
const cache = createGptCache(config);
let logits = gptForward(params, ids, { cache, tap: quiet ? undefined : (name, t) => seen.set(name, t) });
const out: number[] = [];
const steps: string[] = [];
for (let step = 0; step < 6; step++) {
  const last = logits.data.subarray(logits.data.length - 3);
  const probs = softmax({ data: last, shape: [3] }).data;
  const next = argmax(last);
  steps.push(`  ${word}|${out.map((i) => LETTERS[i]).join("").padEnd(5)} → ${LETTERS[next]}   p = ${pct(probs[next])}`);
  out.push(next);
  if (step < 5) logits = gptForward(params, [next], { cache }); // one new token: the KV cache holds the rest
}
const answer = out.map((i) => LETTERS[i]).join("");
if (quiet) {
  console.log(answer);
  process.exit(0);
}

const C = config.nEmbd, H = config.nHead, T = ids.length;
const WIDTH = 80; // every line fits an 80-column terminal
const rule = (title: string) => console.log(`\n── ${title} ${"─".repeat(Math.max(0, WIDTH - 4 - [...title].length))}`);
const meta = safetensorsMetadata(bytes);
say(`A GPT trained to sort letters (minGPT gpt-nano: ${config.nLayer} layers × ${H} heads, C = ${C}, ${countParameters(config, { lmHead: true }).toLocaleString("en")} parameters), trained by ${meta.trained_by ?? "an unknown script"}${meta.iterations ? ` in ${meta.iterations} steps` : ""}, run here by transformer-primitives.`, "");

rule("1. tokens");
say(`"${word}" → ids [${ids.join(", ")}]   (vocabulary: A = 0, B = 1, C = 2)`);

rule("2. embeddings: x = wte[id] + wpe[position]");
say(`wte ${shape(params.wte)} gives each letter a vector, wpe ${shape(params.wpe)} each position: x ${shape(seen.get("embed.sum")!)}`);
say(`(wpe has ${config.blockSize} rows: the longest context the model reads is 6 letters + the 5 sorted ones it wrote before the last)`);
say(`|v| below is a vector's length, √(Σ vᵢ²): how much of it there is, whatever its direction`);
console.log(`  token  |token emb|  |position emb|  |x|`);
for (let t = 0; t < T; t++) {
  console.log(`  ${t} ${word[t]}    ${norm(seen.get("embed.tokens")!, t).toFixed(2).padStart(6)}     ${norm(seen.get("embed.positions")!, t).toFixed(2).padStart(6)}     ${norm(seen.get("embed.sum")!, t).toFixed(2).padStart(5)}`);
}

for (let l = 0; l < config.nLayer; l++) {
  rule(`3.${l + 1} layer ${l}: x = x + attn(ln1(x)); x = x + mlp(ln2(x))`);
  const ln1 = seen.get(`h.${l}.ln1`)!;
  say(`ln1     ${shape(ln1)}: each token normalised, then × γ + β (token 0: mean ${fixed(mean(ln1, 0), 2)}, std ${fixed(std(ln1, 0), 2)})`, "        ");
  say(`q, k, v c_attn ${shape(params.h[l].attn.cAttn.weight)}, then ${H} heads of ${C / H} channels: ${shape(seen.get(`h.${l}.attn.q`)!)} each`, "        ");
  say(`attention weights = softmax(q·kᵀ/√${C / H} + causal mask); a row is the token looking, a column the token looked at`, "        ");
  if (l === 0) say(`shades: '  ' under 12.5%, '░░' ≈ 25%, '▒▒' ≈ 50%, '▓▓' ≈ 75%, '██' ≈ 100%; '··' masked (a later token: the causal mask hides it, it is not a weight of 0)`, "        ");
  console.log(heatmaps(seen.get(`h.${l}.attn.weights`)!, word));
  say(`c_proj  heads merged ${shape(seen.get(`h.${l}.attn.merged`)!)} and projected; residual |x| per token: ${rowNorms(seen.get(`h.${l}.resid1`)!)}`, "        ");
  const act = seen.get(`h.${l}.mlp.act`)!;
  say(`mlp     ${C} → ${act.shape[1]} → ${C} (GELU: ${(100 * fraction(act, (v) => v > 0.01)).toFixed(0)}% of units active, i.e. output > 0.01); residual |x|: ${rowNorms(seen.get(`h.${l}.resid2`)!)}`, "        ");
}

rule("4. final layer norm and LM head: logits = ln_f(x)·lm_headᵀ");
const first = seen.get("logits")!;
say(`logits ${shape(first)}: one row per position; the last row predicts the next letter`);
const lastRow = first.data.subarray((T - 1) * 3);
const p = softmax({ data: lastRow, shape: [3] }).data;
console.log(`  last row   A ${lastRow[0].toFixed(2).padStart(7)}   B ${lastRow[1].toFixed(2).padStart(7)}   C ${lastRow[2].toFixed(2).padStart(7)}`);
rule("5. softmax → probabilities → the most likely letter (greedy)");
console.log(`  softmax    A ${pct(p[0]).padStart(7)}   B ${pct(p[1]).padStart(7)}   C ${pct(p[2]).padStart(7)}   → "${LETTERS[argmax(lastRow)]}"`);

rule("5b. or sample: temperature 8, top-k 2 (explainSampling)");
say("temperature 8 flattens the distribution; top-k 2 keeps the two likeliest letters");
const sampling = { temperature: 8, topK: 2 };
const explained = explainSampling(lastRow, sampling);
const drawn = sampleToken(lastRow, { ...sampling, rng: createRng(7) });
console.log(`  letter  logit  logit/T  p (drawn from)  top-p's running Σ  cut by`);
for (const c of explained.candidates) {
  console.log(`  ${LETTERS[c.id]}      ${c.logit.toFixed(2).padStart(5)}  ${c.scaled.toFixed(2).padStart(7)}  ${pct(c.probability).padStart(14)}  ${(c.cumulative === undefined ? "—" : pct(c.cumulative)).padStart(17)}  ${c.cutBy ?? ""}`);
}
say(`sampleToken(…, { temperature: 8, topK: 2, rng: createRng(7) }) → "${LETTERS[drawn]}" (the demo itself continues greedily)`);

rule("6. repeat: append the letter, run only the new token (KV cache)");
console.log(steps.join("\n"));
console.log(`\n${word} → ${answer}`);

// ── helpers for printing ─────────────────────────────────────────────────────────────────────
/** Prints text wrapped at WIDTH columns between words, the first line indented by 2, the rest by `hang`. */
function say(text: string, hang = "    "): void {
  const words = text.split(" ");
  let line = "  ";
  for (const w of words) {
    if ([...line].length + [...w].length > WIDTH && line.trim() !== "") {
      console.log(line.trimEnd());
      line = "  " + hang;
    }
    line += `${w} `;
  }
  console.log(line.trimEnd());
}
/** A number with `digits` decimals, never "-0.00". */
function fixed(v: number, digits: number): string {
  const s = v.toFixed(digits);
  return Number(s) === 0 ? (0).toFixed(digits) : s;
}
function shape(t: Tensor): string {
  return `[${t.shape.join(", ")}]`;
}
function row(t: Tensor, r: number): Float32Array {
  const n = t.shape[t.shape.length - 1];
  return t.data.subarray(r * n, (r + 1) * n);
}
function norm(t: Tensor, r: number): number {
  return Math.hypot(...row(t, r));
}
function mean(t: Tensor, r: number): number {
  const v = row(t, r);
  return v.reduce((a, b) => a + b, 0) / v.length;
}
function std(t: Tensor, r: number): number {
  const v = row(t, r), m = mean(t, r);
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
}
function rowNorms(t: Tensor): string {
  return Array.from({ length: t.shape[0] }, (_, r) => norm(t, r).toFixed(1)).join(" ");
}
function fraction(t: Tensor, f: (v: number) => boolean): number {
  let n = 0;
  for (const v of t.data) if (f(v)) n++;
  return n / t.data.length;
}
function pct(v: number): string {
  return `${(100 * v).toFixed(v > 0.999 || v < 0.001 ? 2 : 1)}%`;
}
/** The heads side by side as shaded grids: ' ' ≈ 0, '░' '▒' '▓' '█' ≈ 1, '·' masked (causal: a key after the query). */
function heatmaps(w: Tensor, labels: string): string {
  const [heads, rows, cols] = w.shape;
  const shades = [" ", "░", "▒", "▓", "█"];
  const cellAt = (v: number, r: number, c: number) => (c > r + cols - rows ? "··" : shades[Math.min(4, Math.round(v * 4))].repeat(2));
  const lines = ["         " + Array.from({ length: heads }, (_, h) => `head ${h}`.padEnd(cols * 2 + 6)).join("")];
  lines.push("         " + Array.from({ length: heads }, () => [...labels.slice(0, cols)].map((ch) => ch + " ").join("").padEnd(cols * 2 + 6)).join(""));
  for (let r = 0; r < rows; r++) {
    let line = `      ${labels[r]} `;
    for (let h = 0; h < heads; h++) {
      const base = (h * rows + r) * cols;
      line += "▕" + Array.from({ length: cols }, (_, c) => cellAt(w.data[base + c], r, c)).join("") + "▏    ";
    }
    lines.push(line);
  }
  return lines.join("\n");
}
