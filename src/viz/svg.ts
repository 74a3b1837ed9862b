// What every figure shares: escaping, number formatting, the root element with its title, the
// colour scales (colour-blind-safe: viridis for magnitudes, blue–orange for signed values) and
// their legend, and how masked and NaN cells look (by pattern and shape, not by colour alone).

// Characters XML 1.0 does not allow (C0 controls but tab, newline and return; U+FFFE, U+FFFF; lone surrogates)
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A character XML cannot hold, shown visibly: C0 controls as their control pictures (␀, ␇, …), the rest as `\uXXXX`. */
function visible(ch: string): string {
  const c = ch.charCodeAt(0);
  return c < 0x20 ? String.fromCharCode(0x2400 + c) : `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Text for XML content and attribute values: markup escaped, characters XML cannot hold shown as visible escapes. */
export function esc(s: string): string {
  return s.replace(NOT_XML, visible).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const kindOf = (v: unknown) => (v === null ? "null" : `the ${typeof v} ${String(v)}`);

/** Checks that labels are strings (a label list, or what a label function returned). */
export function checkLabels(fn: string, name: string, labels: unknown): readonly string[] | undefined {
  if (labels === undefined) return undefined;
  if (!Array.isArray(labels)) throw new TypeError(`${fn}: ${name} must be an array of strings, got ${labels === null ? "null" : typeof labels}`);
  const bad = labels.findIndex((l) => typeof l !== "string");
  if (bad >= 0) throw new TypeError(`${fn}: ${name}[${bad}] is ${kindOf(labels[bad])}, expected a string`);
  return labels;
}

/** Where v lies between lo and hi, as a fraction (0 at lo, 1 at hi), without overflow for finite values near ±max. */
export function fraction(v: number, lo: number, hi: number): number {
  return (v / 2 - lo / 2) / (hi / 2 - lo / 2);
}

/** A range [lo, hi] that is not empty: a single value is widened around itself (by 0.5, or a millionth of it when larger). */
export function widen(lo: number, hi: number): [number, number] {
  return hi > lo ? [lo, hi] : [lo - Math.max(0.5, Math.abs(lo) * 1e-6), hi + Math.max(0.5, Math.abs(hi) * 1e-6)];
}

/** The largest of many numbers (no spread: a vocabulary of 200,000 would overflow the stack). */
export function maxOf(values: Iterable<number>): number {
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  return m;
}

/** A number for labels: 3 significant digits, ±∞ and NaN spelt out. */
export function fmt(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "∞";
  if (v === -Infinity) return "−∞";
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(2) : String(Number(v.toPrecision(3)));
}

/** A coordinate: at most 2 decimals, so the same input always gives the same text. */
export const px = (v: number): string => String(Math.round(v * 100) / 100);

/** The root `<svg>`: size, an accessible title (first child) and description, the shared definitions. */
export function svgDocument(width: number, height: number, title: string, description: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${px(width)}" height="${px(height)}" viewBox="0 0 ${px(width)} ${px(height)}" role="img" aria-label="${esc(title)}" font-family="Helvetica, Arial, sans-serif" font-size="11">`
    + `<title>${esc(title)}</title><desc>${esc(description)}</desc>`
    + `<defs><pattern id="tp-masked" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f2f2f2"/><line x1="0" y1="0" x2="0" y2="6" stroke="#9a9a9a" stroke-width="2"/></pattern></defs>`
    + `<rect width="100%" height="100%" fill="#ffffff"/>${body}</svg>`;
}

// viridis (sequential) and a blue–white–orange diverging scale, both readable with colour-vision deficiencies
const VIRIDIS = ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"];
const DIVERGING = ["#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#f7f7f7", "#fee0b6", "#fdb863", "#e08214", "#b35806"];

/** A colour scale: `"sequential"` (viridis) for magnitudes, `"diverging"` (blue–white–orange, centred on 0) for signed values. @category Pictures */
export type Scale = "sequential" | "diverging";

function mix(stops: string[], t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1), i = Math.min(stops.length - 2, Math.floor(x)), f = x - i;
  const c = (s: string, k: number) => parseInt(s.slice(1 + 2 * k, 3 + 2 * k), 16);
  let out = "#";
  for (let k = 0; k < 3; k++) out += Math.round(c(stops[i], k) * (1 - f) + c(stops[i + 1], k) * f).toString(16).padStart(2, "0");
  return out;
}

/** A colour scale over the finite values: [lo, hi] (diverging: symmetric around 0). */
export function colourScale(values: ArrayLike<number>, scale: Scale): { lo: number; hi: number; colour: (v: number) => string } {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
  }
  if (lo > hi) { lo = 0; hi = 1; }
  if (scale === "diverging") { const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1; lo = -m; hi = m; }
  const stops = scale === "diverging" ? DIVERGING : VIRIDIS;
  return { lo, hi, colour: (v) => mix(stops, hi > lo ? fraction(v, lo, hi) : 0) };
}

/** How far below its top a legend of this height ends, with its masked and NaN swatches. */
export function legendBottom(height: number, extras: { masked?: boolean; nan?: boolean }): number {
  const swatches = (extras.masked ? 1 : 0) + (extras.nan ? 1 : 0);
  return height + (swatches ? 14 + 16 * swatches - 4 : 0) + 6;
}

/** A vertical legend: the scale as 20 steps with its ends labelled, and the masked and NaN swatches when used. */
export function legend(x: number, y: number, height: number, s: { lo: number; hi: number; colour: (v: number) => string }, extras: { masked?: boolean; nan?: boolean }): string {
  const steps = 20, h = height / steps;
  let out = `<g aria-label="colour scale from ${esc(fmt(s.lo))} to ${esc(fmt(s.hi))}">`;
  for (let i = 0; i < steps; i++) {
    const v = s.hi - ((i + 0.5) / steps) * (s.hi - s.lo);
    out += `<rect x="${px(x)}" y="${px(y + i * h)}" width="12" height="${px(h + 0.5)}" fill="${s.colour(v)}"/>`;
  }
  out += `<rect x="${px(x)}" y="${px(y)}" width="12" height="${px(height)}" fill="none" stroke="#666"/>`;
  out += `<text x="${px(x + 16)}" y="${px(y + 9)}">${esc(fmt(s.hi))}</text><text x="${px(x + 16)}" y="${px(y + height)}">${esc(fmt(s.lo))}</text>`;
  let at = y + height + 14;
  if (extras.masked) { out += `<rect x="${px(x)}" y="${px(at)}" width="12" height="12" fill="url(#tp-masked)" stroke="#666"/><text x="${px(x + 16)}" y="${px(at + 10)}">masked</text>`; at += 16; }
  if (extras.nan) out += `${nanMark(x, at, 12, 12)}<text x="${px(x + 16)}" y="${px(at + 10)}">NaN</text>`;
  return `${out}</g>`;
}

/** A NaN cell: white with a dark cross, unmistakable for any value. */
export function nanMark(x: number, y: number, w: number, h: number): string {
  return `<rect x="${px(x)}" y="${px(y)}" width="${px(w)}" height="${px(h)}" fill="#ffffff" stroke="#222"/><path d="M${px(x)} ${px(y)}L${px(x + w)} ${px(y + h)}M${px(x + w)} ${px(y)}L${px(x)} ${px(y + h)}" stroke="#222" stroke-width="1.2"/>`;
}

/** Checks a figure's tensor argument: a Float32Array-backed tensor of the given ranks. */
export function checkFigureTensor(fn: string, name: string, t: unknown, ranks: number[]): { data: Float32Array; shape: number[] } {
  const x = t as { data?: unknown; shape?: unknown };
  if (x == null || typeof x !== "object" || !(x.data instanceof Float32Array) || !Array.isArray(x.shape)) {
    throw new TypeError(`${fn}: ${name} must be a tensor { data: Float32Array, shape }, got ${t === null ? "null" : typeof t}`);
  }
  const shape = x.shape as number[];
  if (!ranks.includes(shape.length) || shape.reduce((a, b) => a * b, 1) !== x.data.length) {
    throw new RangeError(`${fn}: ${name} has shape [${shape.join(", ")}], expected rank ${ranks.join(" or ")} with ${x.data.length} values`);
  }
  return { data: x.data, shape };
}

/** A label function's result, checked to be a string. */
export function labelOf(fn: string, labels: (id: number) => unknown, id: number): string {
  const l = labels(id);
  if (typeof l !== "string") throw new TypeError(`${fn}: labels(${id}) returned ${kindOf(l)}, expected a string`);
  return l;
}
