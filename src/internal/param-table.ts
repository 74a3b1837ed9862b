// What both families' parameter tables share: a tensor's place in a params tree, read and written by
// path; the check of params against a table; the initialisation from one.
import type { Rng } from "../random";
import { type Tensor, formatShape } from "../tensor";
import { isFloat32Array, sameShape } from "./check";
import { checkQuantized, isQuantized } from "../weight";

/** Reads root[path[0]][path[1]]…, or undefined where a step is missing. */
export function getPath(root: unknown, path: (string | number)[]): unknown {
  let node = root as Record<string | number, unknown> | undefined;
  for (const key of path) node = node == null ? undefined : (node[key] as Record<string | number, unknown>);
  return node;
}

/** Writes value at root[path[0]][path[1]]…, creating arrays (numeric keys) and objects on the way. */
export function setPath(root: Record<string | number, unknown>, path: (string | number)[], value: unknown): void {
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    if (node[key] == null) node[key] = typeof path[i + 1] === "number" ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  }
  node[path[path.length - 1]] = value;
}

/** One row of a family's parameter table: where a tensor lives, its shape, and how it starts. */
export interface TableRow {
  path: (string | number)[];
  shape: number[];
  init: "normal" | "residual" | "ones" | "zeros";
}

/**
 * Each tensor the table names that params lacks, or holds with another shape: "params.h.0.… is
 * missing, expected [..]". With `stored`, a weight matrix (a row of rank 2) may be a
 * QuantizedTensor of the table's shape (inference reads it as it is; training takes float32 only).
 */
export function tableProblems(params: unknown, rows: readonly TableRow[], stored = false): string[] {
  const problems: string[] = [];
  for (const s of rows) {
    const t = getPath(params, s.path) as Tensor | undefined;
    const where = `params.${s.path.join(".")}`;
    if (isQuantized(t)) {
      if (!stored || s.shape.length !== 2) problems.push(`${where} is a ${t.type} QuantizedTensor, expected float32 ${formatShape(s.shape)}${stored ? "" : " (training and this call read float32 weights: dequantize it first)"}`);
      else if (!sameShape(t.shape, s.shape)) problems.push(`${where} has shape ${formatShape(t.shape)}, expected ${formatShape(s.shape)}`);
      else {
        try { checkQuantized("params", where, t); } catch (e) { problems.push((e as Error).message.replace(/^params: /, "")); }
      }
    } else if (t == null || !isFloat32Array(t.data)) problems.push(`${where} is missing, expected ${formatShape(s.shape)}`);
    else if (!sameShape(t.shape, s.shape) || t.data.length !== sizeOf(s.shape)) problems.push(`${where} has shape ${formatShape(t.shape)}, expected ${formatShape(s.shape)}`);
  }
  return problems;
}

/** Writes every tensor of the table into root, initialised: N(0, std.normal) or N(0, std.residual), ones, zeros. */
export function initFromTable(root: Record<string | number, unknown>, rows: readonly TableRow[], rng: Rng, std: { normal: number; residual: number }): void {
  for (const s of rows) {
    const data = new Float32Array(sizeOf(s.shape));
    if (s.init === "ones") data.fill(1);
    else if (s.init !== "zeros") {
      const sd = s.init === "residual" ? std.residual : std.normal;
      for (let i = 0; i < data.length; i++) data[i] = rng.normal() * sd;
    }
    setPath(root, s.path, { data, shape: s.shape });
  }
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
