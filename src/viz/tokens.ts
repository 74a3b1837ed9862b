import { checkOptions } from "../internal/check";
import { esc, px, svgDocument } from "./svg";

/**
 * Text cut into tokens: each token's span outlined (a `<rect>`) with its id beneath, in reading
 * order, wrapping lines at 100 characters between words (never inside one that fits a line); line breaks and spaces shown as `⏎` and `·`. Built from
 * `encodeWithOffsets`' result.
 *
 * @param text - the text
 * @param options - `ids` and `offsets` (from `encodeWithOffsets`), `title`
 * @returns an SVG document
 * @throws RangeError when ids and offsets differ in length or a span is outside the text
 * @category Pictures
 * @example
 * ```ts
 * const { ids, offsets } = tok.encodeWithOffsets("Hello world");
 * tokensSvg("Hello world", { ids, offsets });
 * ```
 */
export function tokensSvg(text: string, options: { ids: readonly number[]; offsets: readonly (readonly [number, number])[]; title?: string }): string {
  const fn = "tokensSvg";
  if (typeof text !== "string") throw new TypeError(`${fn}: text must be a string, got ${typeof text}`);
  if (options == null || typeof options !== "object") throw new TypeError(`${fn}: options must be an object with ids and offsets`);
  const { ids, offsets, title = "tokens" } = checkOptions(fn, options, ["ids", "offsets", "title"]);
  if (!Array.isArray(ids) || !Array.isArray(offsets) || ids.length !== offsets.length) throw new RangeError(`${fn}: ids and offsets must be arrays of the same length (from encodeWithOffsets), got ${Array.isArray(ids) ? ids.length : "no"} ids and ${Array.isArray(offsets) ? offsets.length : "no"} offsets`);
  const charW = 7.2, lineH = 40, maxChars = 100;
  let body = `<text x="8" y="18" font-size="13" font-weight="bold">${esc(title)}</text>`;
  const spans = ids.map((id, i) => {
    const [a, b] = offsets[i];
    if (!(Number.isInteger(a) && Number.isInteger(b) && 0 <= a && a <= b && b <= text.length)) throw new RangeError(`${fn}: offsets[${i}] is [${a}, ${b}], expected a span inside the text (length ${text.length})`);
    const shownText = text.slice(a, b).replace(/\n/g, "⏎").replace(/ /g, "·").replace(/\t/g, "⇥");
    return { id, a, b, shownText, w: Math.max(2, [...shownText].length, String(id).length * 0.85) * charW + 6 };
  });
  // a line breaks before a word (a token that starts with white space, or follows one that ends with it), never inside one
  const startsWord = (i: number) => i === 0 || /^\s/.test(text.slice(spans[i].a, spans[i].b)) || /\s$/.test(text.slice(spans[i - 1].a, spans[i - 1].b)) || spans[i].a === spans[i].b;
  let col = 0, line = 0;
  spans.forEach(({ id, a, b, shownText, w }, i) => {
    if (col > 0 && startsWord(i)) {
      let word = w;
      for (let j = i + 1; j < spans.length && !startsWord(j); j++) word += spans[j].w;
      if (col + Math.min(word, maxChars * charW) > maxChars * charW) { col = 0; line++; }
    } else if (col > 0 && col + w > maxChars * charW) { col = 0; line++; } // a word longer than a line
    const x = 8 + col, y = 30 + line * lineH;
    body += `<g aria-label="${esc(`token ${i}: id ${id}, ${JSON.stringify(text.slice(a, b))}`)}"><title>${esc(`id ${id}: ${JSON.stringify(text.slice(a, b))} [${a}, ${b})`)}</title>`;
    body += `<rect x="${px(x)}" y="${px(y)}" width="${px(w - 2)}" height="20" rx="3" fill="${i % 2 ? "#d1e5f0" : "#fee0b6"}" stroke="#555"/>`;
    body += `<text x="${px(x + 3)}" y="${px(y + 14)}" font-family="Menlo, Consolas, monospace">${esc(shownText)}</text>`;
    body += `<text x="${px(x + 3)}" y="${px(y + 32)}" font-size="9" fill="#444">${id}</text></g>`;
    col += w;
  });
  const width = 16 + (line > 0 ? maxChars * charW : Math.max(col, 200)), height = 30 + (line + 1) * lineH + 4;
  return svgDocument(width, height, title, `${ids.length} tokens of a ${text.length}-character text, each outlined with its id.`, body);
}
