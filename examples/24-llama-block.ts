// Lesson 24 — from GPT-2 to Llama: one block of each on the same tokens, step by step, with what
// changed beside each step. Both forwards call `tap(name, tensor)` with the same names where the two
// models agree, so the differences line up. (docs/gpt2-to-llama.md has the table with links.)
// Run: npx tsx examples/24-llama-block.ts
import { createRng, gptForward, initGpt, initLlama, llamaForward, type Tensor } from "transformer-primitives";

const V = 16, C = 16, H = 4, T = 5, ids = [3, 1, 4, 1, 5];
const gpt = initGpt({ vocabSize: V, blockSize: 8, nLayer: 1, nHead: H, nEmbd: C }, createRng(24));
// Llama: 2 k/v heads for 4 query heads (grouped-query), a gated MLP of width 40, no biases
const llama = initLlama({ vocabSize: V, blockSize: 8, nLayer: 1, nHead: H, nKvHead: 2, nEmbd: C, intermediateSize: 40 }, createRng(24));

const record = (run: (tap: (name: string, t: Tensor) => void) => void) => {
  const seen = new Map<string, Tensor>();
  run((name, t) => seen.set(name, t));
  return seen;
};
const g = record((tap) => gptForward(gpt, ids, { tap }));
const l = record((tap) => llamaForward(llama, ids, { tap }));
const shape = (t?: Tensor) => (t ? `[${t.shape.join(", ")}]` : "—");

const steps: [string, string, string, string][] = [
  ["input", "embed.sum", "embed.tokens", "GPT-2 adds a learned position embedding (wpe); Llama adds none: positions enter attention as rotations"],
  ["normalize", "h.0.ln1", "h.0.ln1", "LayerNorm (subtract the mean, divide by the std, scale and shift) → RMSNorm (divide by the root mean square, scale; no mean, no bias)"],
  ["queries", "h.0.attn.q", "h.0.attn.q", "one fused c_attn → separate q_proj, k_proj, v_proj; q is rotated by its position (RoPE)"],
  ["keys", "h.0.attn.k", "h.0.attn.k", `H = ${H} key heads → nKvHead = 2: each k/v head serves 2 query heads (grouped-query attention, a 2× smaller KV cache)`],
  ["values", "h.0.attn.v", "h.0.attn.v", "as the keys: 2 heads, shared by pairs of query heads (not rotated)"],
  ["attention", "h.0.attn.weights", "h.0.attn.weights", "the same causal softmax(q·kᵀ/√D); with RoPE, q·k depends on how far apart the two tokens are"],
  ["merge heads", "h.0.attn.merged", "h.0.attn.merged", "the same"],
  ["residual", "h.0.resid1", "h.0.resid1", "the same: x + attention(norm(x))"],
  ["normalize", "h.0.ln2", "h.0.ln2", "LayerNorm → RMSNorm again"],
  ["MLP in", "h.0.mlp.fc", "h.0.mlp.gate", "one expansion c_fc (4C) → two, gate_proj and up_proj (intermediateSize)"],
  ["activation", "h.0.mlp.act", "h.0.mlp.act", "GELU → SiLU, x·σ(x)"],
  ["gating", "", "h.0.mlp.hidden", "new: silu(gate) ⊙ up — one expansion gates the other, element by element (SwiGLU)"],
  ["MLP out", "h.0.mlp.out", "h.0.mlp.out", "c_proj → down_proj (no bias)"],
  ["residual", "h.0.resid2", "h.0.resid2", "the same: x + mlp(norm(x))"],
  ["final norm", "lnF", "lnF", "LayerNorm → RMSNorm"],
  ["logits", "logits", "logits", "the same: the LM head (tied to the embedding in GPT-2; a separate lm_head here unless tiedEmbeddings)"],
];
console.log(`${"step".padEnd(12)}${"GPT-2".padEnd(28)}${"Llama".padEnd(28)}what changed`);
for (const [step, gName, lName, what] of steps) {
  const gCol = gName ? `${gName} ${shape(g.get(gName))}` : "—";
  console.log(`${step.padEnd(12)}${gCol.padEnd(28)}${`${lName} ${shape(l.get(lName))}`.padEnd(28)}${what}`);
}
const gParams = gpt.h[0], lParams = llama.h[0];
const count = (o: unknown): number => (o && typeof o === "object" ? ("data" in o && (o as Tensor).data instanceof Float32Array ? (o as Tensor).data.length : Object.values(o).reduce((n: number, v) => n + count(v), 0)) : 0);
console.log(`\nparameters of one block: GPT-2 ${count(gParams)}, Llama ${count(lParams)} (no biases, RMSNorm has no shift, k/v are half as wide, the MLP has three matrices)`);
