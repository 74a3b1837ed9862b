/**
 * Printing tensors as small readable grids, for lessons, slides and debugging.
 * @module
 */
import type { Tensor } from "./tensor";
import { formatShape } from "./tensor";
import { checkInteger, checkOptions, checkTensor } from "./internal/check";

/** Options of {@link formatTensor}. @category 1 · Tensors */
export interface FormatOptions {
  /** Digits after the decimal point. Default 4. */
  precision?: number;
  /** Rows shown per matrix; the middle ones are elided with `⋮`. Default 8. */
  maxRows?: number;
  /** Columns shown per row; the middle ones are elided with `…`. Default 8. */
  maxCols?: number;
  /** Matrices shown for rank > 2; the middle ones are elided. Default 4. */
  maxMatrices?: number;
  /** A name printed before the shape, e.g. `"q"` → `q [4, 8]`. */
  label?: string;
}

function formatNumber(v: number, precision: number): string {
  if (Number.isNaN(v)) return "nan";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  const s = v.toFixed(precision);
  return s.startsWith("-") && Number(s) === 0 ? s.slice(1) : s;
}

/** Indices to show out of n, with -1 where the elision mark goes. */
function pick(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const head = Math.ceil(max / 2), tail = Math.floor(max / 2);
  return [...Array.from({ length: head }, (_, i) => i), -1, ...Array.from({ length: tail }, (_, i) => n - tail + i)];
}

/**
 * Formats a tensor as a grid: a header with its shape, then each matrix of its last two axes,
 * numbers right-aligned to a fixed precision, large axes elided in the middle.
 *
 * @param t - any tensor
 * @param options - `precision`, `maxRows`, `maxCols`, `maxMatrices`, `label`
 * @returns a multi-line string (no trailing newline)
 * @category 1 · Tensors
 * @example
 * ```ts
 * console.log(formatTensor(tensor([1, -2, 3.5, 0], [2, 2]), { precision: 1, label: "x" }));
 * // x [2, 2]
 * //  1.0  -2.0
 * //  3.5   0.0
 * ```
 */
export function formatTensor(t: Tensor, options?: FormatOptions): string {
  const fn = "formatTensor";
  const { precision = 4, maxRows = 8, maxCols = 8, maxMatrices = 4, label } = checkOptions(fn, options, ["precision", "maxRows", "maxCols", "maxMatrices", "label"]);
  checkTensor(fn, "t", t);
  checkInteger(fn, "precision", precision, 0, 20);
  checkInteger(fn, "maxRows", maxRows, 1);
  checkInteger(fn, "maxCols", maxCols, 1);
  checkInteger(fn, "maxMatrices", maxMatrices, 1);
  const header = `${label ? `${label} ` : ""}${formatShape(t.shape)}`;
  const shape = t.shape;
  if (shape.length === 0) return `${header}\n${formatNumber(t.data[0], precision)}`;
  const cols = shape[shape.length - 1];
  const rows = shape.length >= 2 ? shape[shape.length - 2] : 1;
  const matrices = rows * cols === 0 ? 0 : t.data.length / (rows * cols);
  const colIdx = pick(cols, maxCols), rowIdx = pick(rows, maxRows), matIdx = pick(matrices, maxMatrices);

  let width = 1;
  for (const m of matIdx) for (const r of rowIdx) for (const c of colIdx) {
    if (m >= 0 && r >= 0 && c >= 0) width = Math.max(width, formatNumber(t.data[(m * rows + r) * cols + c], precision).length);
  }
  const lines = [header];
  for (const m of matIdx) {
    if (m < 0) { lines.push("…"); continue; }
    if (shape.length > 2) lines.push(`[${matrixIndex(m, shape).join(", ")}, :, :]`);
    for (const r of rowIdx) {
      const cells = colIdx.map((c) => (c < 0 || r < 0 ? "…" : formatNumber(t.data[(m * rows + r) * cols + c], precision)));
      lines.push(r < 0 ? " " + colIdx.map((c) => (c < 0 ? " " : "⋮".padStart(width))).join("  ") : " " + cells.map((s) => s.padStart(s === "…" ? 1 : width)).join("  "));
    }
  }
  if (matrices === 0) lines.push("(empty)");
  return lines.join("\n");
}

function matrixIndex(m: number, shape: readonly number[]): number[] {
  const idx: number[] = [];
  for (let i = shape.length - 3; i >= 0; i--) {
    idx.unshift(m % shape[i]);
    m = Math.floor(m / shape[i]);
  }
  return idx;
}
