/**
 * transformer-primitives: the pieces a GPT-style transformer is made of, as small pure functions
 * over `Float32Array` tensors.
 *
 * Shape letters: B batch, T query length, S key length, C channels, H heads, D head size
 * (C = H·D), V vocabulary size.
 * @module transformer-primitives
 */
export type { Tensor, Tap, GradOptions } from "./tensor";
export { ShapeError, tensor, zeros, ones, full, sizeOf, at, reshape, formatShape } from "./tensor";
export type { Rng } from "./random";
export { createRng, randn } from "./random";
export type { FormatOptions } from "./format";
export { formatTensor } from "./format";
export { embedTokens, embedPositions, inputEmbedding, embeddingBackward } from "./embedding";
export type { RopeOptions } from "./positional";
export { sinusoidalPositions, applyRope } from "./positional";
export type { NormOptions, LayerNormResult, LayerNormGrads, LayerNormBackwardOptions } from "./norm";
export { layerNorm, layerNormWithStats, rmsNorm, layerNormBackward, rmsNormBackward } from "./norm";
export type { Linear, LinearGrads, LinearBackwardOptions } from "./linear";
export { linear, matmul, linearBackward } from "./linear";
export { useWasm, wasmStatus, type WasmStatus } from "./kernels/wasm";
export { setThreads, threadStatus, type ThreadStatus } from "./backend/threads";
export { residentParams } from "./resident";
export type { QuantizedTensor, QuantType, Weight, WeightType } from "./weight";
export { quantize, dequantize } from "./weight";
export { quantizeModel, type QuantizeModelOptions } from "./quantize-model";
export type { QKV } from "./qkv";
export { projectQKV, splitHeads, mergeHeads } from "./qkv";
export { causalMask, paddingMask, applyMask } from "./mask";
export type { SoftmaxOptions } from "./softmax";
export { softmax, logSoftmax, softmaxBackward, logSoftmaxBackward } from "./softmax";
export type { AttentionOptions, AttentionResult, AttentionParams, MultiHeadAttentionOptions, KVCache, AttentionGrads, AttentionBackwardOptions } from "./attention";
export { attentionScores, scaledDotProductAttention, multiHeadAttention, createKVCache, attentionBackward, alibiSlopes } from "./attention";
export type { GeluApproximation } from "./activation";
export { gelu, erf, geluBackward, silu } from "./activation";
export type { MlpParams, MlpOptions, GatedMlpParams, GatedActivation } from "./mlp";
export { mlp, gatedMlp } from "./mlp";
export type { Norm, BlockParams, BlockOptions } from "./block";
export { transformerBlock } from "./block";
export type { GptConfig, GptParams, GptCache, GptForwardOptions } from "./gpt";
export { initGpt, gptForward, createGptCache, resetGptCache, countParameters, flopsPerToken, GPT2_CONFIGS } from "./gpt";
export type { GptWorkspace } from "./workspace";
export { createGptWorkspace } from "./workspace";
export { crossEntropy, crossEntropyBackward } from "./loss";
export type { SamplingOptions } from "./sampling";
export { argmax, topK, topP, minP, sampleToken } from "./sampling";
export type { SamplingCandidate, SamplingExplanation } from "./explain-sampling";
export { explainSampling } from "./explain-sampling";
export type { GenerateOptions } from "./generate";
export { generate } from "./generate";
export type { CausalLMParams } from "./families";
export { loadSafetensors, loadSafetensorsShards, saveSafetensors, safetensorsMetadata, gptConfigFromMetadata, gptFromStateDict, gptToStateDict, loadGguf, saveGguf, type Gguf, type GgufArray, type GgufType, type GgufValue, modelFromGguf, modelToGguf, type ModelToGgufOptions, tokenizerFromGguf, readGguf, readSafetensors, type ReadWeightsOptions } from "./weights/index";
export type {
  GptGrads, GptLossAndGrads, GptLossAndGradsOptions, LlamaGrads, LlamaLossAndGradsOptions, AdamW, AdamWOptions, AdamWState, CosineLrOptions, TensorLeaf,
} from "./train/index";
export { gptLossAndGrads, llamaLossAndGrads, adamw, clipGradNorm, cosineLr, tensorLeaves, zerosLike, flattenTensors, unflattenTensors } from "./train/index";
export type { StreamingDecoder, AllowedSpecial, TiktokenOptions, TrainBpeOptions, SentencePieceTokenizer } from "./tokenizer/index";
export { BpeTokenizer, CharTokenizer, trainBpe, PATTERNS, SPECIAL_TOKENS } from "./tokenizer/index";
export type {
  LlamaConfig, RopeScaling, ResolvedLlamaConfig, LlamaParams, LlamaBlockParams, LlamaAttentionParams, LlamaCache, LlamaWorkspace, LlamaForwardOptions,
} from "./llama/index";
export { llamaConfigFromHf, initLlama, llamaFromStateDict, createLlamaCache, createLlamaWorkspace, llamaForward } from "./llama/index";
