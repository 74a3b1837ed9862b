/**
 * Pictures: pure functions that turn a tensor, an intermediate or a sampling step into a standalone
 * SVG string — for slides, docs and the playground. No DOM, no scripts, no dependency; the same
 * string for the same input; colour-blind-safe scales with a legend; a `<title>` on every figure and
 * panel. Nothing else in the library imports this module.
 * @module transformer-primitives/viz
 */
export type { HeatmapOptions } from "./heatmap";
export type { Scale } from "./svg";
export { heatmapSvg } from "./heatmap";
export type { AttentionSvgOptions } from "./attention";
export { attentionSvg } from "./attention";
export type { SamplingSvgOptions } from "./sampling";
export { samplingSvg } from "./sampling";
export { tokensSvg } from "./tokens";
export { lineSvg } from "./line";
export { scatterSvg } from "./scatter";
export { histogramSvg } from "./histogram";
