import { checkOptions } from "../internal/check";
import type { SamplingExplanation } from "../explain-sampling";
import { esc, fmt, labelOf, maxOf, px, svgDocument } from "./svg";

/** Options of {@link samplingSvg}. @category Pictures */
export interface SamplingSvgOptions {
  /** The id `sampleToken` drew, marked on the figure. */
  chosen?: number;
  /** A label per id (e.g. the tokenizer's decode of it). Default the id. */
  labels?: (id: number) => string;
  /** How many candidates to draw, by rank (default 20; the rest are summarised in one line). */
  show?: number;
  /** The figure's title. Default "sampling". */
  title?: string;
}

const FILTER_FILL: Record<string, string> = { topK: "url(#tp-masked)", topP: "url(#tp-masked)", minP: "url(#tp-masked)", temperature: "url(#tp-masked)" };

/**
 * A sampling step as bars, one row per candidate by rank: the probability before the filters (outline)
 * and the probability `sampleToken` draws with (filled); candidates a filter cut are hatched and
 * labelled with the filter (top-k, top-p, min-p); top-p's cumulative mass is printed where it applies;
 * the chosen token is marked. Built from {@link "transformer-primitives"!explainSampling explainSampling}'s result.
 *
 * @param explanation - from {@link "transformer-primitives"!explainSampling explainSampling}
 * @param options - `chosen`, `labels`, `show`, `title`
 * @returns an SVG document
 * @category Pictures
 * @example
 * ```ts
 * const e = explainSampling(logits, { temperature: 0.8, topK: 10, topP: 0.9 });
 * samplingSvg(e, { chosen: sampleToken(logits, { temperature: 0.8, topK: 10, topP: 0.9, rng }), labels: (id) => tok.decode([id]) });
 * ```
 */
export function samplingSvg(explanation: SamplingExplanation, options?: SamplingSvgOptions): string {
  const fn = "samplingSvg";
  const { chosen, labels = (id: number) => String(id), show = 20, title = "sampling" } = checkOptions(fn, options, ["chosen", "labels", "show", "title"]);
  if (explanation == null || !Array.isArray(explanation.candidates)) throw new TypeError(`${fn}: explanation must come from explainSampling, got ${String(explanation)}`);
  if (!Number.isInteger(show) || show < 1) throw new RangeError(`${fn}: show must be an integer ≥ 1, got ${String(show)}`);
  if (typeof labels !== "function") throw new TypeError(`${fn}: labels must be a function (id) => string, got ${typeof labels}`);
  const all = explanation.candidates, shown = all.slice(0, show);
  const o = explanation.options;
  const rowH = 18, labelW = 110, barW = 300, x0 = labelW + 12, y0 = 48;
  // the probability before any filter, at this temperature: softmax of the scaled logits over every candidate
  const maxScaled = all.length ? maxOf(all.map((c) => c.scaled)) : 0;
  let z = 0;
  for (const c of all) z += Math.exp(c.scaled - maxScaled);
  const prior = (c: { scaled: number }) => (o.temperature === 0 ? 0 : Math.exp(c.scaled - maxScaled) / z);
  const settings = [`temperature ${fmt(o.temperature)}`, o.topK !== undefined ? `top-k ${o.topK}` : "", o.topP !== undefined ? `top-p ${fmt(o.topP)}` : "", o.minP !== undefined ? `min-p ${fmt(o.minP)}` : ""].filter(Boolean).join(", ");
  let body = `<text x="8" y="18" font-size="13" font-weight="bold">${esc(title)}</text><text x="8" y="34">${esc(settings)}; ${explanation.kept} of ${all.length} candidates kept</text>`;
  body += `<text x="${px(x0)}" y="${px(y0 - 4)}" fill="#555">probability (filled: drawn from; outline: before the filters)</text>`;
  shown.forEach((c, i) => {
    const y = y0 + i * rowH, label = labelOf(fn, labels, c.id);
    const mark = c.id === chosen ? " ◀ chosen" : "";
    const why = c.cutBy ? ` cut by ${c.cutBy === "topK" ? "top-k" : c.cutBy === "topP" ? "top-p" : c.cutBy === "minP" ? "min-p" : "temperature 0"}` : "";
    const cum = c.cumulative !== undefined ? `, Σ ${fmt(c.cumulative)}` : "";
    body += `<g aria-label="${esc(`rank ${c.rank}: ${label}, probability ${fmt(c.probability)}${why}${mark}`)}"${c.id === chosen ? ' data-chosen="true"' : ""}>`;
    body += `<title>${esc(`id ${c.id}, logit ${fmt(c.logit)}, scaled ${fmt(c.scaled)}, rank ${c.rank}, p ${fmt(c.probability)}${cum}${why}`)}</title>`;
    body += `<text x="${px(labelW)}" y="${px(y + 13)}" text-anchor="end"${c.id === chosen ? ' font-weight="bold"' : ""}>${esc(label)}</text>`;
    body += `<rect x="${px(x0)}" y="${px(y + 3)}" width="${px(Math.max(0.5, prior(c) * barW))}" height="12" fill="none" stroke="#888"/>`;
    if (c.cutBy) body += `<rect x="${px(x0)}" y="${px(y + 3)}" width="${px(Math.max(2, prior(c) * barW))}" height="12" fill="${FILTER_FILL[c.cutBy]}" data-cut="${c.cutBy}"/>`;
    else body += `<rect x="${px(x0)}" y="${px(y + 3)}" width="${px(c.probability * barW)}" height="12" fill="${c.id === chosen ? "#e08214" : "#31688e"}" data-kept="true"/>`;
    body += `<text x="${px(x0 + barW + 8)}" y="${px(y + 13)}">${esc(`${fmt(c.probability)}${cum}${why}${mark}`)}</text></g>`;
  });
  let height = y0 + shown.length * rowH + 10;
  if (all.length > shown.length) {
    let rest = 0;
    for (let i = show; i < all.length; i++) rest += all[i].probability;
    body += `<text x="${px(x0)}" y="${px(height + 4)}" fill="#555">${esc(`… ${all.length - shown.length} more candidates, probability ${fmt(rest)} together`)}</text>`;
    height += 16;
  }
  return svgDocument(x0 + barW + 230, height + 8, title, `Sampling with ${settings}: ${shown.length} candidates drawn as bars.`, body);
}
