/**
 * The raw loops under every op: plain functions over `Float32Array`s, outputs first, dimensions
 * last, no validation and no allocation beyond small scratch rows. They trust their inputs: call
 * the validating wrappers unless you have checked the shapes yourself.
 * @module transformer-primitives/kernels
 */
export { softmaxForward, softmaxKernel, logSoftmaxForward, softmaxBackwardKernel, logSoftmaxBackwardKernel } from "./softmax";
export { layerNormForward, rmsNormForward, layerNormBackwardKernel, rmsNormBackwardKernel } from "./norm";
export { linearForward, linearForwardReference, linearKernel, matmulForward, linearBackwardKernel, linearBackwardReference } from "./linear";
export {
  adamwWasm, attentionBackwardWasm, attentionForwardWasm, geluTanhBackwardWasm, geluTanhWasm, siluGatedWasm, linearBackwardWasm, isResident, isPanels, linearForwardWasm, softmaxForwardWasm, useWasm, wasmStatus,
  WASM_MIN_ROWS, type WasmStatus, linear16Wasm, linearBlocksWasm,
} from "./wasm";
export { PLAIN_ATTENTION, attentionForward, attentionForwardReference, attentionKernel, attentionScoresForward, type AttentionVariant } from "./attention";
export { expNonPositive } from "./exp";
export { geluForward, geluKernel, erf, erfc, geluBackwardKernel, geluBackwardReference, siluForward, gatedForward } from "./activation";
export { embeddingForward, embeddingBackwardKernel } from "./embedding";
export { sinusoidalForward, ropeForward, ropeTokensForward } from "./positional";
export { mergeHeadsForward, splitQkvForward, mergeHeadsBackward, splitQkvBackward, splitHeadsForward } from "./heads";
export { attentionBackwardKernel, attentionBackwardReference } from "./attention-backward";
export { crossEntropyKernel, crossEntropyBackwardKernel } from "./loss";
export { adamwKernel, adamwReference } from "./adamw";
export { residualAdd } from "./residual";
export { halfToFloat, floatToHalf, bf16ToFloat, floatToBf16 } from "./half";
export { linearTypedReference, WEIGHT_TYPES, type WeightTypeTraits } from "./weight-types";
