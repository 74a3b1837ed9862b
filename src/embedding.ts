/**
 * Token and position embeddings (lessons 3, 4 and 5): looking up rows of learned tables.
 * Shapes: ids of length T, wte `[V, C]`, wpe `[maxT, C]`, result `[T, C]`.
 * @module
 */
import type { GradOptions, Tensor } from "./tensor";
import { ShapeError, formatShape } from "./tensor";
import { checkAccumulate, checkIds, checkInteger, checkOptions, checkRank, gradTarget } from "./internal/check";
import { embeddingBackwardKernel } from "./kernels/embedding";
import { embeddingWeightKernel } from "./kernels/linear-typed";
import { type Weight, checkQuantized, isQuantized } from "./weight";

function idCount(fn: string, ids: ArrayLike<number>): number {
  if (ids == null || typeof ids === "string" || typeof ids.length !== "number") {
    throw new TypeError(`${fn}: ids must be an array of token ids (number[], Int32Array, Uint32Array), got ${ids === null ? "null" : typeof ids}`);
  }
  return ids.length;
}

/** Checks a table (`[V, C]`, `[maxT, C]`) of any weight type. */
function checkTable(fn: string, name: string, table: Weight, axes: string): void {
  if (isQuantized(table)) {
    checkQuantized(fn, name, table);
    if (table.shape.length !== 2) throw new ShapeError(`${fn}: ${name} has shape ${formatShape(table.shape)}, expected ${axes}`);
  } else checkRank(fn, name, table, 2, axes, 2);
}

function checkPositions(fn: string, T: number, wpe: Weight, offset: unknown): asserts offset is number {
  checkInteger(fn, "offset", offset, 0);
  const maxT = wpe.shape[0];
  if (offset + T > maxT) {
    throw new RangeError(`${fn}: positions ${offset}…${offset + T - 1} are needed (T = ${T}, offset = ${offset}), but wpe has shape ${formatShape(wpe.shape)}, expected at least ${offset + T} rows (the model's block size is ${maxT})`);
  }
}

/**
 * Token embedding: row `ids[t]` of the table, for every t: `y[t, :] = wte[ids[t], :]`.
 *
 * @param ids - T token ids, each an integer in [0, V)
 * @param wte - the token embedding table `[V, C]`: float32, or stored (its rows dequantized as they are gathered)
 * @returns `[T, C]`
 * @throws RangeError naming the first bad id, its position and V; ShapeError when wte is not rank 2
 * @remarks Matches `torch.nn.functional.embedding(ids, wte)`.
 * @category 3–5 · Embeddings and positions
 * @example
 * ```ts
 * const wte = tensor([0, 0, 1, 1, 2, 2], [3, 2]); // V = 3, C = 2
 * embedTokens([2, 0], wte).data; // [2, 2, 0, 0]
 * ```
 */
export function embedTokens(ids: ArrayLike<number>, wte: Weight): Tensor {
  const fn = "embedTokens";
  const T = idCount(fn, ids);
  checkTable(fn, "wte", wte, "[V, C]");
  const [V, C] = wte.shape;
  checkIds(fn, "ids", ids, V);
  const data = new Float32Array(T * C);
  embeddingWeightKernel(data, ids, wte, null, T, C, 0);
  return { data, shape: [T, C] };
}

/**
 * Position embedding: rows `offset … offset + T − 1` of the learned table: `y[t, :] = wpe[offset + t, :]`.
 *
 * @param T - the number of positions
 * @param wpe - the position embedding table `[maxT, C]`, float32 or stored
 * @param options - `offset` (default 0): the position of the first row, e.g. the KV cache length
 * @returns `[T, C]`
 * @throws RangeError when offset + T exceeds maxT
 * @category 3–5 · Embeddings and positions
 * @example
 * ```ts
 * const wpe = tensor([0, 0, 1, 1, 2, 2], [3, 2]);
 * embedPositions(2, wpe, { offset: 1 }).data; // [1, 1, 2, 2]
 * ```
 */
export function embedPositions(T: number, wpe: Weight, options?: { offset?: number }): Tensor {
  const fn = "embedPositions";
  const { offset = 0 } = checkOptions(fn, options, ["offset"]);
  checkInteger(fn, "T", T, 0);
  checkTable(fn, "wpe", wpe, "[maxT, C]");
  checkPositions(fn, T, wpe, offset);
  const C = wpe.shape[1];
  const data = new Float32Array(T * C);
  embeddingWeightKernel(data, Array.from({ length: T }, (_, t) => offset + t), wpe, null, T, C, 0);
  return { data, shape: [T, C] };
}

/**
 * The transformer's input: token embedding plus position embedding (lesson 5):
 * `y[t, :] = wte[ids[t], :] + wpe[offset + t, :]`.
 *
 * @param ids - T token ids in [0, V)
 * @param wte - `[V, C]`, float32 or stored (rows dequantized as they are gathered)
 * @param wpe - `[maxT, C]`, with the same C, float32 or stored
 * @param options - `offset` (default 0)
 * @returns `[T, C]`
 * @throws RangeError for a bad id or too many positions; ShapeError when the tables' C differ
 * @remarks Matches nanoGPT's `tok_emb + pos_emb`.
 * @category 3–5 · Embeddings and positions
 * @example
 * ```ts
 * const rng = createRng(0);
 * const x = inputEmbedding([5, 1, 7], randn([10, 8], rng), randn([16, 8], rng)); // [3, 8]
 * ```
 */
export function inputEmbedding(ids: ArrayLike<number>, wte: Weight, wpe: Weight, options?: { offset?: number }): Tensor {
  const fn = "inputEmbedding";
  const { offset = 0 } = checkOptions(fn, options, ["offset"]);
  const T = idCount(fn, ids);
  checkTable(fn, "wte", wte, "[V, C]");
  checkTable(fn, "wpe", wpe, "[maxT, C]");
  const [V, C] = wte.shape;
  if (wpe.shape[1] !== C) {
    throw new ShapeError(`${fn}: wpe has shape ${formatShape(wpe.shape)}, expected [maxT, ${C}] (the channels of wte, shape ${formatShape(wte.shape)})`);
  }
  checkIds(fn, "ids", ids, V);
  checkPositions(fn, T, wpe, offset);
  const data = new Float32Array(T * C);
  embeddingWeightKernel(data, ids, wte, wpe, T, C, offset);
  return { data, shape: [T, C] };
}

/**
 * The embedding backward pass, a scatter-add: `dtable[ids[t], :] += dy[t, :]` — a row used by several
 * tokens receives the sum of their gradients; rows no token used get 0. For a position table, pass
 * the positions `0 … T−1` as ids and its number of rows (blockSize).
 *
 * @param dy - the upstream gradient `[T, C]`
 * @param ids - the T ids (or positions) the forward looked up, each in [0, rows)
 * @param rows - the table's number of rows (V for `wte`, blockSize for `wpe`)
 * @param options - `out` (`[rows, C]`), `accumulate` ({@link GradOptions}): e.g. add into a tied LM head's gradient
 * @returns dtable `[rows, C]`
 * @throws RangeError for an id outside [0, rows); ShapeError when dy is not `[T, C]` with T = ids.length
 * @remarks Matches `torch.autograd.grad(F.embedding(ids, table), table, dy)`.
 * @category 22–23 · Training
 * @example
 * ```ts
 * embeddingBackward(tensor([1, 2, 3, 4], [2, 2]), [1, 1], 3).data; // [0, 0, 4, 6, 0, 0]
 * ```
 */
export function embeddingBackward(dy: Tensor, ids: ArrayLike<number>, rows: number, options?: GradOptions): Tensor {
  const fn = "embeddingBackward";
  const { out, accumulate } = checkOptions(fn, options, ["out", "accumulate"]);
  const T = idCount(fn, ids);
  checkRank(fn, "dy", dy, 2, "[T, C]", 2);
  checkInteger(fn, "rows", rows, 1);
  if (dy.shape[0] !== T) {
    throw new ShapeError(`${fn}: dy has shape ${formatShape(dy.shape)}, expected [${T}, C] (one row per id; ids has length ${T})`);
  }
  checkIds(fn, "ids", ids, rows);
  const C = dy.shape[1];
  const table = gradTarget(fn, "out", out, [rows, C], checkAccumulate(fn, accumulate, { name: "out", given: out !== undefined }), [dy]);
  embeddingBackwardKernel(table.data, null, dy.data, ids, T, C, 0);
  return table;
}
