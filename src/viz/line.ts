import { checkOptions } from "../internal/check";
import { esc, fmt, fraction, px, svgDocument, widen } from "./svg";

const COLOURS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00"]; // Okabe–Ito

/**
 * Series as lines on shared axes (e.g. training and validation loss per step), Okabe–Ito colours
 * with a dash pattern per series (distinguishable without colour), a legend, and ticks at the ends
 * of each axis. x is the index in each series unless `x` is given.
 *
 * @param series - `{ name, values, x? }[]`; non-finite values break the line
 * @param options - `xLabel`, `yLabel`, `title`
 * @returns an SVG document
 * @category Pictures
 * @example
 * ```ts
 * lineSvg([{ name: "train", values: losses }], { xLabel: "step", yLabel: "loss" });
 * ```
 */
export function lineSvg(series: readonly { name: string; values: ArrayLike<number>; x?: ArrayLike<number> }[], options?: { xLabel?: string; yLabel?: string; title?: string }): string {
  const fn = "lineSvg";
  const { xLabel = "", yLabel = "", title = "line chart" } = checkOptions(fn, options, ["xLabel", "yLabel", "title"]);
  if (!Array.isArray(series) || series.length === 0) throw new RangeError(`${fn}: series must be a non-empty array of { name, values }`);
  let xlo = Infinity, xhi = -Infinity, ylo = Infinity, yhi = -Infinity;
  series.forEach((s, k) => {
    if (s == null || typeof s.name !== "string" || s.values == null || typeof s.values.length !== "number") throw new TypeError(`${fn}: series[${k}] must be { name, values }`);
    if (s.x && s.x.length !== s.values.length) throw new RangeError(`${fn}: series[${k}].x has ${s.x.length} values, expected ${s.values.length}`);
    for (let i = 0; i < s.values.length; i++) {
      const x = s.x ? s.x[i] : i, y = s.values[i];
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      xlo = Math.min(xlo, x); xhi = Math.max(xhi, x); ylo = Math.min(ylo, y); yhi = Math.max(yhi, y);
    }
  });
  if (xlo > xhi) { xlo = 0; xhi = 1; ylo = 0; yhi = 1; }
  [xlo, xhi] = widen(xlo, xhi);
  [ylo, yhi] = widen(ylo, yhi);
  const W = 480, H = 260, x0 = 60, y0 = 30;
  const sx = (x: number) => x0 + fraction(x, xlo, xhi) * W, sy = (y: number) => y0 + H - fraction(y, ylo, yhi) * H; // no overflow at ±1e308
  let body = `<text x="8" y="18" font-size="13" font-weight="bold">${esc(title)}</text>`;
  body += `<path d="M${x0} ${y0}V${y0 + H}H${x0 + W}" fill="none" stroke="#333"/>`;
  body += `<text x="${x0 - 6}" y="${y0 + 4}" text-anchor="end">${esc(fmt(yhi))}</text><text x="${x0 - 6}" y="${y0 + H}" text-anchor="end">${esc(fmt(ylo))}</text>`;
  body += `<text x="${x0}" y="${y0 + H + 16}" text-anchor="middle">${esc(fmt(xlo))}</text><text x="${x0 + W}" y="${y0 + H + 16}" text-anchor="middle">${esc(fmt(xhi))}</text>`;
  body += `<text x="${x0 + W / 2}" y="${y0 + H + 30}" text-anchor="middle">${esc(xLabel)}</text><text x="14" y="${y0 + H / 2}" transform="rotate(-90 14 ${y0 + H / 2})" text-anchor="middle">${esc(yLabel)}</text>`;
  series.forEach((s, k) => {
    let d = "", pen = "M";
    for (let i = 0; i < s.values.length; i++) {
      const x = s.x ? s.x[i] : i, y = s.values[i];
      if (!Number.isFinite(x) || !Number.isFinite(y)) { pen = "M"; continue; }
      d += `${pen}${px(sx(x))} ${px(sy(y))}`;
      pen = "L";
    }
    const colour = COLOURS[k % COLOURS.length], dash = ["", "6 3", "2 2", "8 3 2 3"][k % 4];
    body += `<g aria-label="${esc(s.name)}"><title>${esc(s.name)}</title><path d="${d}" fill="none" stroke="${colour}" stroke-width="1.8"${dash ? ` stroke-dasharray="${dash}"` : ""}/></g>`;
    const ly = y0 + 8 + k * 16;
    body += `<line x1="${x0 + W + 14}" y1="${ly}" x2="${x0 + W + 38}" y2="${ly}" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ""}/><text x="${x0 + W + 42}" y="${ly + 4}">${esc(s.name)}</text>`;
  });
  return svgDocument(x0 + W + 140, y0 + H + 40, title, `${series.length} series: ${series.map((s) => s.name).join(", ")}; ${yLabel} against ${xLabel}.`, body);
}
