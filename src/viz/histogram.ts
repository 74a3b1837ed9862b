import { checkOptions } from "../internal/check";
import { esc, fmt, fraction, maxOf, px, svgDocument, widen } from "./svg";

const COLOURS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7"]; // Okabe–Ito

/**
 * Distributions of values as step outlines over shared bins — e.g. a layer norm's input and output,
 * to see the output centred at 0 with unit spread. Each series is drawn as a stepped line (a dash
 * pattern per series), counts as a share of the series so different sizes compare; non-finite values
 * are left out and counted in the legend.
 *
 * @param series - `{ name, values }[]`
 * @param options - `bins` (default 40), `xLabel`, `title`
 * @returns an SVG document
 * @category Pictures
 * @example
 * ```ts
 * histogramSvg([{ name: "x", values: x.data }, { name: "layerNorm(x)", values: y.data }], { xLabel: "value" });
 * ```
 */
export function histogramSvg(series: readonly { name: string; values: ArrayLike<number> }[], options?: { bins?: number; xLabel?: string; title?: string }): string {
  const fn = "histogramSvg";
  const { bins = 40, xLabel = "value", title = "distribution" } = checkOptions(fn, options, ["bins", "xLabel", "title"]);
  if (!Array.isArray(series) || series.length === 0) throw new RangeError(`${fn}: series must be a non-empty array of { name, values }`);
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`${fn}: bins must be an integer ≥ 1, got ${String(bins)}`);
  series.forEach((s, k) => {
    if (s == null || typeof s.name !== "string" || s.values == null || typeof s.values.length !== "number") throw new TypeError(`${fn}: series[${k}] must be { name: string, values }`);
  });
  let lo = Infinity, hi = -Infinity;
  for (const s of series) for (let i = 0; i < s.values.length; i++) { const v = s.values[i]; if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); } }
  if (lo > hi) { lo = 0; hi = 1; }
  [lo, hi] = widen(lo, hi);
  // bins by fraction of the range, which stays finite when hi − lo overflows (±1e308)
  const shares = series.map((s) => {
    const counts = new Float64Array(bins);
    let finite = 0;
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i];
      if (!Number.isFinite(v)) continue;
      counts[Math.min(bins - 1, Math.floor(fraction(v, lo, hi) * bins))]++;
      finite++;
    }
    if (finite) for (let b = 0; b < bins; b++) counts[b] /= finite;
    return { counts, skipped: s.values.length - finite };
  });
  let top = 0;
  for (const sh of shares) top = Math.max(top, maxOf(sh.counts));
  top ||= 1;
  const W = 480, H = 220, x0 = 50, y0 = 30;
  const sx = (v: number) => x0 + fraction(v, lo, hi) * W, sy = (share: number) => y0 + H - (share / top) * H;
  let body = `<text x="8" y="18" font-size="13" font-weight="bold">${esc(title)}</text><path d="M${x0} ${y0}V${y0 + H}H${x0 + W}" fill="none" stroke="#333"/>`;
  body += `<text x="${x0}" y="${y0 + H + 16}" text-anchor="middle">${esc(fmt(lo))}</text><text x="${x0 + W}" y="${y0 + H + 16}" text-anchor="middle">${esc(fmt(hi))}</text>`;
  if (lo < 0 && hi > 0) body += `<line x1="${px(sx(0))}" y1="${y0}" x2="${px(sx(0))}" y2="${y0 + H}" stroke="#bbb" stroke-dasharray="2 3"/><text x="${px(sx(0))}" y="${y0 + H + 16}" text-anchor="middle">0</text>`;
  body += `<text x="${x0 + W / 2}" y="${y0 + H + 30}" text-anchor="middle">${esc(xLabel)}</text><text x="${x0 - 6}" y="${y0 + 4}" text-anchor="end">${esc(`${fmt(top * 100)}%`)}</text>`;
  series.forEach((s, k) => {
    let d = `M${px(sx(lo))} ${px(sy(0))}`;
    shares[k].counts.forEach((c, b) => { d += `V${px(sy(c))}H${px(x0 + ((b + 1) / bins) * W)}`; });
    d += `V${px(sy(0))}`;
    const colour = COLOURS[k % COLOURS.length], dash = ["", "6 3", "2 2", "8 3 2 3"][k % 4];
    body += `<g aria-label="${esc(s.name)}"><title>${esc(s.name)}</title><path d="${d}" fill="none" stroke="${colour}" stroke-width="1.6"${dash ? ` stroke-dasharray="${dash}"` : ""}/></g>`;
    const ly = y0 + 8 + k * 16, note = shares[k].skipped ? ` (${shares[k].skipped} not finite)` : "";
    body += `<line x1="${x0 + W + 14}" y1="${ly}" x2="${x0 + W + 38}" y2="${ly}" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ""}/><text x="${x0 + W + 42}" y="${ly + 4}">${esc(s.name + note)}</text>`;
  });
  return svgDocument(x0 + W + 170, y0 + H + 40, title, `${series.length} distribution${series.length > 1 ? "s" : ""} over ${bins} bins from ${fmt(lo)} to ${fmt(hi)}.`, body);
}
