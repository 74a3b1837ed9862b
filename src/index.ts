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
export { useWasm, wasmStatus } from "./kernels/wasm";
export type { QKV } from "./qkv";
export { projectQKV, splitHeads, mergeHeads } from "./qkv";
export { causalMask, paddingMask, applyMask } from "./mask";
export type { SoftmaxOptions } from "./softmax";
export { softmax, logSoftmax } from "./softmax";
export type { AttentionOptions, AttentionResult, AttentionParams, MultiHeadAttentionOptions, KVCache } from "./attention";
export { attentionScores, scaledDotProductAttention, multiHeadAttention, createKVCache } from "./attention";
export type { GeluApproximation } from "./activation";
export { gelu, erf } from "./activation";
export type { MlpParams, MlpOptions } from "./mlp";
export { mlp } from "./mlp";
export type { Norm, BlockParams, BlockOptions } from "./block";
export { transformerBlock } from "./block";
export type { GptConfig, GptParams, GptCache, GptForwardOptions } from "./gpt";
export { initGpt, gptForward, createGptCache, resetGptCache, countParameters, flopsPerToken } from "./gpt";
export type { GptWorkspace } from "./workspace";
export { createGptWorkspace } from "./workspace";
export { crossEntropy } from "./loss";
export type { SamplingOptions } from "./sampling";
export { argmax, topK, topP, minP, sampleToken } from "./sampling";
export type { GenerateOptions } from "./generate";
export { generate } from "./generate";
export { loadSafetensors, saveSafetensors, safetensorsMetadata, gptFromStateDict } from "./weights/index";
export type { StreamingDecoder, AllowedSpecial, TiktokenOptions, TrainBpeOptions } from "./tokenizer/index";
export { BpeTokenizer, CharTokenizer, trainBpe, PATTERNS, SPECIAL_TOKENS } from "./tokenizer/index";
