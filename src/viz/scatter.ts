import { checkOptions } from "../internal/check";
import { checkFigureTensor, checkLabels, esc, fmt, nanMark, px, svgDocument } from "./svg";

const COLOURS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00"]; // Okabe–Ito
const SHAPES = ["circle", "square", "diamond", "triangle"] as const;

/**
 * The top two principal directions of rows [N, C] (centred), by power iteration with deflation, in
 * float64; each direction's sign is fixed (its largest entry positive) so the picture is deterministic.
 * Returns the 2-D coordinates and the share of variance each direction explains.
 */
export function pca2(data: Float32Array, N: number, C: number): { xy: Float64Array; explained: [number, number] } {
  const mean = new Float64Array(C);
  for (let i = 0; i < N; i++) for (let c = 0; c < C; c++) mean[c] += data[i * C + c] / N;
  const X = new Float64Array(N * C);
  let total = 0;
  for (let i = 0; i < N * C; i++) { X[i] = data[i] - mean[i % C]; total += X[i] * X[i]; }
  const dirs: Float64Array[] = [], explained: number[] = [];
  for (let k = 0; k < 2; k++) {
    let v = Float64Array.from({ length: C }, (_, c) => 1 + ((c * 7919) % 13) / 13);
    let lambda = 0;
    for (let iter = 0; iter < 300; iter++) {
      const Xv = new Float64Array(N);
      for (let i = 0; i < N; i++) { let s = 0; for (let c = 0; c < C; c++) s += X[i * C + c] * v[c]; Xv[i] = s; }
      const w = new Float64Array(C);
      for (let i = 0; i < N; i++) for (let c = 0; c < C; c++) w[c] += X[i * C + c] * Xv[i];
      for (const d of dirs) { let dot = 0; for (let c = 0; c < C; c++) dot += w[c] * d[c]; for (let c = 0; c < C; c++) w[c] -= dot * d[c]; }
      let sq = 0;
      for (let c = 0; c < C; c++) sq += w[c] * w[c];
      const norm = Math.sqrt(sq);
      if (norm === 0) break;
      lambda = norm;
      v = w.map((x) => x / norm);
    }
    let big = 0;
    for (let c = 0; c < C; c++) if (Math.abs(v[c]) > Math.abs(v[big])) big = c;
    if (v[big] < 0) v = v.map((x) => -x);
    dirs.push(v);
    explained.push(total > 0 ? lambda / total : 0);
  }
  const xy = new Float64Array(2 * N);
  for (let i = 0; i < N; i++) for (let k = 0; k < 2; k++) { let s = 0; for (let c = 0; c < C; c++) s += X[i * C + c] * dirs[k][c]; xy[2 * i + k] = s; }
  return { xy, explained: [explained[0], explained[1]] };
}

type Box = [left: number, top: number, right: number, bottom: number];

/** Boxes on a figure, bucketed by 32-px column, so checking a label against every placed one stays cheap for many points. */
function boxGrid() {
  const cols = new Map<number, Box[]>();
  const span = (b: Box) => { const out = []; for (let c = Math.floor(b[0] / 32); c <= Math.floor(b[2] / 32); c++) out.push(c); return out; };
  return {
    add: (b: Box) => { for (const c of span(b)) (cols.get(c) ?? cols.set(c, []).get(c)!).push(b); },
    overlaps: (b: Box) => span(b).some((c) => cols.get(c)?.some((p) => b[0] < p[2] && p[0] < b[2] && b[1] < p[3] && p[1] < b[3])),
  };
}

/** A point marker: a shape per group, so groups read without colour. */
function marker(shape: (typeof SHAPES)[number], colour: string, cx: number, cy: number): string {
  if (shape === "circle") return `<circle cx="${px(cx)}" cy="${px(cy)}" r="4.5" fill="${colour}"/>`;
  if (shape === "square") return `<rect x="${px(cx - 4)}" y="${px(cy - 4)}" width="8" height="8" fill="${colour}"/>`;
  if (shape === "diamond") return `<path d="M${px(cx)} ${px(cy - 5.5)}L${px(cx + 5.5)} ${px(cy)}L${px(cx)} ${px(cy + 5.5)}L${px(cx - 5.5)} ${px(cy)}Z" fill="${colour}"/>`;
  return `<path d="M${px(cx)} ${px(cy - 5.5)}L${px(cx + 5.5)} ${px(cy + 4.5)}L${px(cx - 5.5)} ${px(cy + 4.5)}Z" fill="${colour}"/>`;
}

/**
 * Vectors as points on their first two principal components (PCA): each row of `points` is a point,
 * labelled; the axes say how much of the variance each component explains. For embeddings: the rows
 * of `wte` (which tokens the model treats alike) or of `wpe` (how positions are laid out). `groups`
 * gives each point a colour and a marker shape (readable without colour). Labels that would overlap
 * move beside their marker, or are left to its tooltip; rows holding NaN or ±∞ are not placed (the
 * PCA runs on the others) and are listed below the plot with a NaN mark.
 *
 * @param points - `[N, C]`, N ≥ 2
 * @param options - `labels` (one per row), `groups` (one group name per row), `title`
 * @returns an SVG document
 * @throws RangeError for labels or groups of the wrong count, or fewer than 2 rows
 * @category Pictures
 * @example
 * ```ts
 * scatterSvg(params.wpe, { labels: Array.from({ length: 11 }, (_, i) => `pos ${i}`), title: "position embeddings" });
 * ```
 */
export function scatterSvg(points: { data: Float32Array; shape: readonly number[] }, options?: { labels?: readonly string[]; groups?: readonly string[]; title?: string }): string {
  const fn = "scatterSvg";
  const o = checkOptions(fn, options, ["labels", "groups", "title"]);
  const { title = "PCA of the rows" } = o;
  const labels = checkLabels(fn, "labels", o.labels), groups = checkLabels(fn, "groups", o.groups);
  const x = checkFigureTensor(fn, "points", points, [2]);
  const [N, C] = x.shape;
  if (N < 2) throw new RangeError(`${fn}: points has ${N} row, expected at least 2`);
  if (labels && labels.length !== N) throw new RangeError(`${fn}: labels has ${labels.length} labels, expected ${N} (one per row)`);
  if (groups && groups.length !== N) throw new RangeError(`${fn}: groups has ${groups.length} entries, expected ${N} (one per row)`);
  // rows with a NaN or ±∞ cannot be placed: PCA runs on the finite rows, the others are listed as marked
  const finiteRows: number[] = [], badRows: number[] = [];
  for (let i = 0; i < N; i++) (x.data.subarray(i * C, (i + 1) * C).every(Number.isFinite) ? finiteRows : badRows).push(i);
  const kept = new Float32Array(finiteRows.length * C);
  finiteRows.forEach((r, i) => kept.set(x.data.subarray(r * C, (r + 1) * C), i * C));
  const { xy, explained } = pca2(kept, finiteRows.length, C);
  let lo = [Infinity, Infinity], hi = [-Infinity, -Infinity];
  for (let i = 0; i < finiteRows.length; i++) for (let k = 0; k < 2; k++) { lo[k] = Math.min(lo[k], xy[2 * i + k]); hi[k] = Math.max(hi[k], xy[2 * i + k]); }
  if (finiteRows.length === 0) { lo = [0, 0]; hi = [1, 1]; }
  lo = lo.map((v, k) => (hi[k] > v ? v : v - 1)); hi = hi.map((v, k) => (v > lo[k] ? v : v + 1));
  const W = 420, H = 320, x0 = 50, y0 = 36;
  const sx = (v: number) => x0 + 10 + ((v - lo[0]) / (hi[0] - lo[0])) * (W - 20), sy = (v: number) => y0 + H - 10 - ((v - lo[1]) / (hi[1] - lo[1])) * (H - 20);
  const names = groups ? [...new Set(groups)] : [];
  const nameOf = (i: number) => (labels ? labels[i] : String(i));
  let body = `<text x="8" y="18" font-size="13" font-weight="bold">${esc(title)}</text>`;
  body += `<rect x="${x0}" y="${y0}" width="${W}" height="${H}" fill="none" stroke="#999"/>`;
  body += `<text x="${x0 + W / 2}" y="${y0 + H + 18}" text-anchor="middle">${esc(`PC1 (${(explained[0] * 100).toFixed(0)}% of the variance)`)}</text>`;
  body += `<text x="16" y="${y0 + H / 2}" transform="rotate(-90 16 ${y0 + H / 2})" text-anchor="middle">${esc(`PC2 (${(explained[1] * 100).toFixed(0)}%)`)}</text>`;
  body += `<g aria-label="${finiteRows.length} points">`;
  // labels are placed right, left, above or below their marker, wherever they overlap no marker and no
  // label placed before them; one that fits nowhere is left to the marker's tooltip
  const placed = boxGrid();
  finiteRows.forEach((_, i) => { // every marker is in the way too
    const cx = sx(xy[2 * i]), cy = sy(xy[2 * i + 1]);
    placed.add([cx - 5, cy - 5, cx + 5, cy + 5]);
  });
  finiteRows.forEach((row, i) => {
    const g = groups ? names.indexOf(groups[row]) : 0, colour = COLOURS[g % COLOURS.length], shape = SHAPES[g % SHAPES.length];
    const cx = sx(xy[2 * i]), cy = sy(xy[2 * i + 1]);
    const label = nameOf(row), w = 6.5 * [...label].length;
    const spots: [number, number, string][] = [[cx + 7, cy + 4, "start"], [cx - 7, cy + 4, "end"], [cx, cy - 8, "middle"], [cx, cy + 16, "middle"]];
    let text = "";
    for (const [tx, ty, anchor] of spots) {
      const left = anchor === "start" ? tx : anchor === "end" ? tx - w : tx - w / 2;
      const box: Box = [left, ty - 10, left + w, ty + 2];
      if (placed.overlaps(box)) continue;
      placed.add(box);
      text = `<text x="${px(tx)}" y="${px(ty)}"${anchor === "start" ? "" : ` text-anchor="${anchor}"`}>${esc(label)}</text>`;
      break;
    }
    body += `<g aria-label="${esc(label)}"><title>${esc(`${label}: (${fmt(xy[2 * i])}, ${fmt(xy[2 * i + 1])})`)}</title>${marker(shape, colour, cx, cy)}${text}</g>`;
  });
  body += "</g>";
  let height = y0 + H + 30;
  if (badRows.length) {
    body += `<g aria-label="${badRows.length} rows not drawn: not finite"><text x="${x0}" y="${px(height + 8)}">not finite, not placed:</text>`;
    badRows.forEach((row, k) => {
      const bx = x0 + 140 + (k % 6) * 70, by = height + (Math.floor(k / 6)) * 16;
      body += `<g>${nanMark(bx, by, 10, 10)}<title>${esc(`${nameOf(row)}: has NaN or ±∞`)}</title><text x="${px(bx + 14)}" y="${px(by + 9)}">${esc(nameOf(row))}</text></g>`;
    });
    body += "</g>";
    height += 16 * Math.ceil(badRows.length / 6) + 8;
  }
  names.forEach((name, g) => {
    const ly = y0 + 8 + g * 16;
    body += `${marker(SHAPES[g % SHAPES.length], COLOURS[g % COLOURS.length], x0 + W + 18, ly)}<text x="${x0 + W + 28}" y="${ly + 4}">${esc(name)}</text>`;
  });
  return svgDocument(x0 + W + 130, height, title, `${finiteRows.length} vectors of ${C} dimensions on their first two principal components (${(explained[0] * 100).toFixed(0)}% and ${(explained[1] * 100).toFixed(0)}% of the variance)${badRows.length ? `; ${badRows.length} with non-finite values not placed` : ""}.`, body);
}
