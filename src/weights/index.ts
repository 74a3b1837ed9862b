/**
 * Weights: the safetensors format and loading checkpoints into {@link GptParams}.
 * @module
 */
export { loadSafetensors, loadSafetensorsShards, saveSafetensors, safetensorsMetadata } from "./safetensors";
export { gptConfigFromMetadata, gptFromStateDict, gptToStateDict } from "./state-dict";
