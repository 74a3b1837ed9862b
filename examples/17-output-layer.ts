// Lesson 17 — the output layer (LM head): a final layer norm, then one score (logit) per vocabulary
// entry: logits = lnF(x)·Wᵀ. GPT-2 reuses wte as W (tied); minGPT, like the sort model here, has its own.
// Run: npx tsx examples/17-output-layer.ts
import { readFileSync } from "node:fs";
import { formatTensor, gptForward, gptConfigFromMetadata, gptFromStateDict, layerNorm, linear, loadSafetensors, safetensorsMetadata, type Tensor } from "transformer-primitives";

const bytes = new Uint8Array(readFileSync(new URL("./assets/sort-model.safetensors", import.meta.url)));
const config = gptConfigFromMetadata(safetensorsMetadata(bytes));
const params = gptFromStateDict(loadSafetensors(bytes), config);

const ids = [2, 1, 0, 1, 0, 2]; // C B A B A C
let last: Tensor | undefined;
const logits = gptForward(params, ids, { tap: (name, t) => { if (name === "h.2.resid2") last = t; } });
console.log(`residual stream after the last block: [${last!.shape}]`);
const normed = layerNorm(last!, params.lnF.weight, params.lnF.bias);
const mine = linear(normed, params.lmHead ?? params.wte);
console.log(`lm_head weight: [${(params.lmHead ?? params.wte).shape}] (${params.lmHead ? "untied" : "tied to wte"})`);
console.log(formatTensor(mine, { precision: 2, label: "logits = lnF(x)·Wᵀ, [T, V] =" }));
console.log(`same as gptForward's logits: ${mine.data.every((v, i) => v === logits.data[i])}`);
console.log("columns: A, B, C; the last row scores the next letter — A wins, the smallest letter.");
