import { checkOptions } from "../internal/check";
import { checkFigureTensor, checkLabels, colourScale, esc, fmt, legend, legendBottom, nanMark, px, svgDocument } from "./svg";
import { labelWidth } from "./heatmap";

/** Options of {@link attentionSvg}. @category Pictures */
export interface AttentionSvgOptions {
  /** The query tokens, one label per row (T). */
  tokens: readonly string[];
  /** The key tokens, one per column (S); default `tokens` when S = T. */
  keyTokens?: readonly string[];
  /** Draw the cells a causal mask hides (key after the query, aligned to the end) as masked. */
  causal?: boolean;
  /** An additive mask `[T, S]`: cells of `-Infinity` are drawn as masked. */
  mask?: { data: Float32Array; shape: readonly number[] };
  /** The figure's title. Default "attention weights". */
  title?: string;
}

/**
 * Attention weights as one panel per head: rows are queries, columns keys, a `<rect>` per cell on a
 * fixed 0–1 scale (so heads compare), token labels on both axes, and the cells that `causal` or `mask`
 * hide drawn as masked — hatched, never confused with a weight near 0. Each head is a `<g>` with its
 * own `<title>` ("head h"); hover a cell for query, key and weight.
 *
 * @param weights - `[T, S]` or `[H, T, S]` (what `returnWeights` or the `attn.weights` tap gives)
 * @param options - `tokens` (required), `keyTokens`, `causal`, `mask`, `title`
 * @returns an SVG document
 * @throws TypeError / RangeError for a non-tensor, another rank, or labels of the wrong count
 * @category Pictures
 * @example
 * ```ts
 * gptForward(params, ids, { tap: (n, t) => { if (n === "h.0.attn.weights") svg = attentionSvg(t, { tokens, causal: true }); } });
 * ```
 */
export function attentionSvg(weights: { data: Float32Array; shape: readonly number[] }, options: AttentionSvgOptions): string {
  const fn = "attentionSvg";
  if (options == null || typeof options !== "object") throw new TypeError(`${fn}: options must be an object with tokens, got ${String(options)}`);
  const o = checkOptions(fn, options, ["tokens", "keyTokens", "causal", "mask", "title"]);
  const { causal = false, mask, title = "attention weights" } = o;
  const tokens = checkLabels(fn, "tokens", o.tokens), keyTokens = checkLabels(fn, "keyTokens", o.keyTokens);
  const w = checkFigureTensor(fn, "weights", weights, [2, 3]);
  const [H, T, S] = w.shape.length === 2 ? [1, w.shape[0], w.shape[1]] : w.shape;
  if (tokens === undefined || tokens.length !== T) throw new RangeError(`${fn}: tokens has ${Array.isArray(tokens) ? tokens.length : "no"} labels, expected ${T} (one per query row)`);
  const keys = keyTokens ?? (S === T ? tokens : undefined);
  if (!keys || keys.length !== S) throw new RangeError(`${fn}: keyTokens has ${keys ? keys.length : "no"} labels, expected ${S} (one per key column${S !== T ? "; required when S ≠ T" : ""})`);
  const m = mask === undefined ? null : checkFigureTensor(fn, "mask", mask, [2]);
  if (m && (m.shape[0] !== T || m.shape[1] !== S)) throw new RangeError(`${fn}: mask has shape [${m.shape.join(", ")}], expected [${T}, ${S}]`);
  const hidden = (t: number, s: number) => (causal && s > t + S - T) || (m !== null && m.data[t * S + s] === -Infinity);

  const scale = colourScale([0, 1], "sequential");
  const cell = Math.max(11, Math.min(28, Math.floor(360 / Math.max(T, S))));
  const rowW = labelWidth(tokens), colH = labelWidth(keys);
  const axisW = 16; // the "query ↓" title, written upwards left of the row labels
  const panelW = axisW + rowW + 8 + S * cell + 16, panelH = colH + 26 + T * cell + 10;
  const perRow = Math.min(H, Math.max(1, Math.floor(1100 / panelW)));
  let body = `<text x="8" y="18" font-size="13" font-weight="bold">${esc(title)}</text>`;
  let masked = false, nan = false;
  for (let h = 0; h < H; h++) {
    const ox = 8 + (h % perRow) * panelW, oy = 28 + Math.floor(h / perRow) * panelH;
    const x0 = ox + axisW + rowW + 8, y0 = oy + colH + 22;
    body += `<g aria-label="head ${h}"><title>head ${h}</title><text x="${px(ox + axisW)}" y="${px(oy + 12)}" font-weight="bold">head ${h}</text>`;
    body += `<text x="${px(x0 + S * cell)}" y="${px(oy + 12)}" text-anchor="end" fill="#555">key →</text>`;
    const qy = y0 + (T * cell) / 2;
    body += `<text x="${px(ox + 11)}" y="${px(qy)}" transform="rotate(-90 ${px(ox + 11)} ${px(qy)})" text-anchor="middle" fill="#555">query ↓</text>`;
    for (let t = 0; t < T; t++) {
      for (let s = 0; s < S; s++) {
        const v = w.data[(h * T + t) * S + s], cx = x0 + s * cell, cy = y0 + t * cell;
        const tip = `<title>${esc(`${tokens[t]} → ${keys[s]}: ${hidden(t, s) ? "masked" : fmt(v)}`)}</title>`;
        if (hidden(t, s)) { masked = true; body += `<rect x="${px(cx)}" y="${px(cy)}" width="${px(cell)}" height="${px(cell)}" fill="url(#tp-masked)" data-masked="true">${tip}</rect>`; }
        else if (Number.isNaN(v)) { nan = true; body += `<g>${nanMark(cx, cy, cell, cell)}${tip}</g>`; }
        else body += `<rect x="${px(cx)}" y="${px(cy)}" width="${px(cell)}" height="${px(cell)}" fill="${scale.colour(v)}">${tip}</rect>`;
      }
    }
    tokens.forEach((l, t) => { body += `<text x="${px(x0 - 4)}" y="${px(y0 + t * cell + cell / 2 + 4)}" text-anchor="end">${esc(l)}</text>`; });
    keys.forEach((l, s) => { const lx = x0 + s * cell + cell / 2 + 4; body += `<text x="${px(lx)}" y="${px(y0 - 4)}" transform="rotate(-90 ${px(lx)} ${px(y0 - 4)})">${esc(l)}</text>`; });
    body += "</g>";
  }
  const rows = Math.ceil(H / perRow);
  const legendH = Math.min(120, Math.max(60, T * cell));
  const width = 8 + perRow * panelW + 70, height = Math.max(28 + rows * panelH, 28 + colH + 22 + legendBottom(legendH, { masked, nan }));
  body += legend(width - 62, 28 + colH + 22, legendH, scale, { masked, nan });
  return svgDocument(width, height, title, `Attention weights of ${H} head${H > 1 ? "s" : ""}, ${T} queries by ${S} keys, on a 0 to 1 scale; masked cells hatched.`, body);
}
