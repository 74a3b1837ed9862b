/**
 * The Llama family (Llama 2/3, Mistral, Qwen2, SmolLM): what changed from GPT-2 — RMSNorm, RoPE
 * inside attention, grouped-query attention, a gated MLP, no biases — as one more model beside it.
 * @module
 */
export type { LlamaConfig, ResolvedLlamaConfig, RopeScaling } from "./config";
export { llamaConfigFromHf } from "./config";
export type { LlamaParams, LlamaBlockParams, LlamaAttentionParams } from "./params";
export { initLlama, llamaFromStateDict } from "./params";
export type { LlamaCache, LlamaWorkspace } from "./workspace";
export { createLlamaCache, createLlamaWorkspace } from "./workspace";
export type { LlamaForwardOptions } from "./forward";
export { llamaForward } from "./forward";
