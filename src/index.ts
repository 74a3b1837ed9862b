/**
 * transformer-primitives: the pieces a GPT-style transformer is made of, as small pure functions
 * over `Float32Array` tensors.
 *
 * Shape letters: B batch, T query length, S key length, C channels, H heads, D head size
 * (C = H·D), V vocabulary size.
 * @module
 */
export type { Tensor, Tap } from "./tensor";
export { ShapeError, tensor, zeros, ones, full, sizeOf, at, reshape, formatShape } from "./tensor";
export type { Rng } from "./random";
export { createRng, randn } from "./random";
export type { FormatOptions } from "./format";
export { formatTensor } from "./format";
export { embedTokens, embedPositions, inputEmbedding } from "./embedding";
export type { RopeOptions } from "./positional";
export { sinusoidalPositions, applyRope } from "./positional";
export type { NormOptions, LayerNormResult } from "./norm";
export { layerNorm, layerNormWithStats, rmsNorm } from "./norm";
export type { Linear } from "./linear";
export { linear, matmul } from "./linear";
export type { QKV } from "./qkv";
export { projectQKV, splitHeads, mergeHeads } from "./qkv";
export { causalMask, paddingMask, applyMask } from "./mask";
export type { SoftmaxOptions } from "./softmax";
export { softmax, logSoftmax } from "./softmax";
export type { AttentionOptions, AttentionResult, AttentionParams, MultiHeadAttentionOptions, KVCache } from "./attention";
export { attentionScores, scaledDotProductAttention, multiHeadAttention, createKVCache } from "./attention";
