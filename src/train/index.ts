/**
 * Training: the whole GPT's (and a Llama's) loss and gradients, AdamW, gradient clipping and the learning-rate
 * schedule, and helpers for nested records of tensors.
 * @module
 */
export type { GptGrads, GptLossAndGrads, GptLossAndGradsOptions } from "./loss-and-grads";
export { gptLossAndGrads } from "./loss-and-grads";
export type { LlamaGrads, LlamaLossAndGradsOptions } from "./llama-loss-and-grads";
export { llamaLossAndGrads } from "./llama-loss-and-grads";
export type { AdamW, AdamWOptions, AdamWState } from "./adamw";
export { adamw } from "./adamw";
export type { CosineLrOptions } from "./clip";
export { clipGradNorm, cosineLr } from "./clip";
export type { TensorLeaf } from "./tree";
export { tensorLeaves, zerosLike, flattenTensors, unflattenTensors } from "./tree";
