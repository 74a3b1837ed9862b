/**
 * The complete GPT (lessons 16–20): configuration, parameters named as the checkpoint,
 * initialisation, the forward pass with inspection taps and a KV cache, and size arithmetic.
 * The files of this folder have the names of `llama/`'s: the diff between the two is the
 * GPT-2 → Llama lesson.
 * @module
 */
export { type GptConfig, GPT2_CONFIGS, flopsPerToken } from "./config";
export { type GptParams, initGpt, countParameters } from "./params";
export { type GptCache, createGptCache, resetGptCache } from "./workspace";
export { type GptForwardOptions, gptForward } from "./forward";
