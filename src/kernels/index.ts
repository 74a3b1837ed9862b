/**
 * The raw loops under every op: plain functions over `Float32Array`s, outputs first, dimensions
 * last, no validation and no allocation beyond small scratch rows. They trust their inputs: call
 * the validating wrappers unless you have checked the shapes yourself.
 * @module
 */
export { softmaxForward, softmaxKernel, logSoftmaxForward } from "./softmax";
export { layerNormForward, rmsNormForward } from "./norm";
export { linearForward, linearForwardReference, linearKernel, matmulForward } from "./linear";
export {
  attentionForwardWasm, geluTanhWasm, isPinned, linearForwardWasm, pinWeights, softmaxForwardWasm, updatePinned, useWasm, wasmStatus,
  withPinnedWeights, WASM_MIN_ROWS,
} from "./wasm";
export type { PinnedMatrix, PinnedWeights } from "./wasm";
export { attentionForward, attentionForwardReference, attentionKernel, attentionScoresForward } from "./attention";
export { expNonPositive } from "./exp";
export { geluForward, geluKernel, erf, erfc } from "./activation";
export { embeddingForward } from "./embedding";
export { sinusoidalForward, ropeForward } from "./positional";
export { mergeHeadsForward, splitQkvForward } from "./heads";
