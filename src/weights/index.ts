/**
 * Weights: the safetensors format and loading checkpoints into {@link GptParams}.
 * @module
 */
export { loadSafetensors, saveSafetensors, safetensorsMetadata } from "./safetensors";
export { gptFromStateDict, gptToStateDict } from "./state-dict";
