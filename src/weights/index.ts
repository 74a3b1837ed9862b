/**
 * Weights: the safetensors format and loading checkpoints into {@link GptParams}.
 * @module
 */
export { loadSafetensors, loadSafetensorsShards, saveSafetensors, safetensorsMetadata } from "./safetensors";
export { gptConfigFromMetadata, gptFromStateDict, gptToStateDict } from "./state-dict";
export { loadGguf, saveGguf, type Gguf, type GgufArray, type GgufType, type GgufValue } from "./gguf";
export { modelFromGguf, modelToGguf, type ModelToGgufOptions } from "./gguf-model";
export { tokenizerFromGguf } from "./gguf-tokenizer";
export { readGguf, readSafetensors, type ReadWeightsOptions } from "./read";
