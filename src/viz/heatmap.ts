import { checkOptions } from "../internal/check";
import { type Scale, checkFigureTensor, checkLabels, colourScale, esc, fmt, legend, legendBottom, maxOf, nanMark, px, svgDocument } from "./svg";

/** Options of {@link heatmapSvg}. @category Pictures */
export interface HeatmapOptions {
  /** One label per row (e.g. the tokens). */
  rowLabels?: readonly string[];
  /** One label per column. */
  colLabels?: readonly string[];
  /** The figure's title (also its accessible name). Default "heatmap". */
  title?: string;
  /** `"sequential"` (viridis, default) for magnitudes, `"diverging"` (blue–white–orange around 0) for signed values. */
  scale?: Scale;
}

/** Where the cells of a grid start and how big they are, for R rows and C columns with labels. */
export function gridLayout(R: number, C: number, rowLabelWidth: number, colLabelHeight: number) {
  const cell = Math.max(10, Math.min(36, Math.floor(640 / Math.max(R, C, 1))));
  return { cell, x0: rowLabelWidth + 8, y0: colLabelHeight + 30 };
}

/** The width a column of labels needs at 11 px (about 6.5 px per character). */
export const labelWidth = (labels: readonly string[] | undefined) => (labels && labels.length ? Math.min(140, 8 + 6.5 * maxOf(labels.map((l) => [...l].length))) : 0);

/**
 * A matrix as a heatmap: one `<rect>` per cell coloured by value, a legend for the scale, `−∞` cells
 * drawn as masked (grey hatching, distinct from any value near 0) and NaN cells as a crossed box.
 * Hover a cell (its `<title>`) for its row, column and value. A standalone SVG string: no DOM, no
 * scripts, the same string for the same input.
 *
 * @param t - `[R, C]` (a `[C]` vector is one row)
 * @param options - `rowLabels`, `colLabels`, `title`, `scale`
 * @returns an SVG document
 * @throws TypeError for a non-tensor; RangeError for another rank or labels of the wrong count
 * @category Pictures
 * @example
 * ```ts
 * writeFileSync("scores.svg", heatmapSvg(scores, { rowLabels: tokens, colLabels: tokens, scale: "diverging" }));
 * ```
 */
export function heatmapSvg(t: { data: Float32Array; shape: readonly number[] }, options?: HeatmapOptions): string {
  const fn = "heatmapSvg";
  const o = checkOptions(fn, options, ["rowLabels", "colLabels", "title", "scale"]);
  const { title = "heatmap", scale = "sequential" } = o;
  const rowLabels = checkLabels(fn, "rowLabels", o.rowLabels), colLabels = checkLabels(fn, "colLabels", o.colLabels);
  const x = checkFigureTensor(fn, "t", t, [1, 2]);
  const [R, C] = x.shape.length === 1 ? [1, x.shape[0]] : x.shape;
  if (scale !== "sequential" && scale !== "diverging") throw new RangeError(`${fn}: scale must be "sequential" or "diverging", got ${JSON.stringify(scale)}`);
  if (rowLabels && rowLabels.length !== R) throw new RangeError(`${fn}: rowLabels has ${rowLabels.length} labels, expected ${R} (one per row)`);
  if (colLabels && colLabels.length !== C) throw new RangeError(`${fn}: colLabels has ${colLabels.length} labels, expected ${C} (one per column)`);
  const s = colourScale(x.data, scale);
  const { cell, x0, y0 } = gridLayout(R, C, labelWidth(rowLabels), labelWidth(colLabels));
  let body = `<text x="8" y="18" font-size="13" font-weight="bold">${esc(title)}</text>`;
  let masked = false, nan = false;
  body += `<g aria-label="${esc(title)}: ${R} × ${C} cells">`;
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      const v = x.data[r * C + c], cx = x0 + c * cell, cy = y0 + r * cell;
      const tip = `<title>${esc(`${rowLabels ? rowLabels[r] : r}, ${colLabels ? colLabels[c] : c}: ${fmt(v)}`)}</title>`;
      if (Number.isNaN(v)) { nan = true; body += `<g>${nanMark(cx, cy, cell, cell)}${tip}</g>`; }
      else if (v === -Infinity) { masked = true; body += `<rect x="${px(cx)}" y="${px(cy)}" width="${px(cell)}" height="${px(cell)}" fill="url(#tp-masked)" data-masked="true">${tip}</rect>`; }
      else body += `<rect x="${px(cx)}" y="${px(cy)}" width="${px(cell)}" height="${px(cell)}" fill="${v === Infinity ? s.colour(s.hi) : s.colour(v)}">${tip}</rect>`;
    }
  }
  body += "</g>";
  if (rowLabels) rowLabels.forEach((l, r) => { body += `<text x="${px(x0 - 4)}" y="${px(y0 + r * cell + cell / 2 + 4)}" text-anchor="end">${esc(l)}</text>`; });
  if (colLabels) colLabels.forEach((l, c) => { const lx = x0 + c * cell + cell / 2 + 4; body += `<text x="${px(lx)}" y="${px(y0 - 4)}" transform="rotate(-90 ${px(lx)} ${px(y0 - 4)})">${esc(l)}</text>`; });
  const legendH = Math.min(140, Math.max(60, R * cell));
  // as tall as the cells or the legend (its swatches below it), whichever ends lower: no blank band
  const width = x0 + C * cell + 70, height = Math.max(y0 + R * cell + 12, y0 + legendBottom(legendH, { masked, nan }));
  body += legend(x0 + C * cell + 14, y0, legendH, s, { masked, nan });
  return svgDocument(width, height, title, `A ${R} by ${C} heatmap, ${scale} colour scale from ${fmt(s.lo)} to ${fmt(s.hi)}.`, body);
}
