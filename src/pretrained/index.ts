/**
 * A trained model shipped with the package, as data: minGPT's gpt-nano (3 layers, 3 heads,
 * C = 48, 0.09 M parameters) trained in PyTorch (`scripts/python/train_sort.py`) to sort six letters
 * A < B < C — the model the lessons, the demo and the examples run. Nothing else in the library
 * imports this module, so the 347 kB of weights reach only a bundle that asks for them.
 * @module transformer-primitives/pretrained
 */
import type { GptParams } from "../gpt/params";
import { loadSafetensors, safetensorsMetadata } from "../weights/safetensors";
import { gptConfigFromMetadata, gptFromStateDict } from "../weights/state-dict";
import { SORT_MODEL } from "./generated";

/** The sort model's tokens: id 0 = "A", 1 = "B", 2 = "C". @category Pretrained */
export const SORT_MODEL_LETTERS: readonly string[] = Object.freeze(["A", "B", "C"]);

/**
 * The sort model's checkpoint file (safetensors, nanoGPT names, its config in the metadata), a fresh
 * copy on each call — what `examples/assets/sort-model.safetensors` holds in the repository.
 * @returns the file's bytes
 * @category Pretrained
 * @example
 * ```ts
 * const bytes = sortModelSafetensors();
 * const params = gptFromStateDict(loadSafetensors(bytes), gptConfigFromMetadata(safetensorsMetadata(bytes)));
 * ```
 */
export function sortModelSafetensors(): Uint8Array {
  const text = atob(SORT_MODEL);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * The sort model, loaded: its 6 letters (ids, see {@link SORT_MODEL_LETTERS}) prompt it to write them
 * sorted. Fresh parameters on each call (changing them changes no other copy).
 * @returns the parameters, `config` included (`{ vocabSize: 3, blockSize: 11, nLayer: 3, nHead: 3, nEmbd: 48 }`)
 * @category Pretrained
 * @example
 * ```ts
 * const out = [...generate(sortModel(), [2, 1, 0, 1, 0, 2], { maxNewTokens: 6, temperature: 0 })]; // [0, 0, 1, 1, 2, 2]
 * ```
 */
export function sortModel(): GptParams {
  const bytes = sortModelSafetensors();
  return gptFromStateDict(loadSafetensors(bytes), gptConfigFromMetadata(safetensorsMetadata(bytes)));
}
