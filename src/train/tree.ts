// Nested records of tensors (GptParams, its gradients, optimizer moments) walked by dotted path:
// "wte", "h.0.attn.cAttn.weight". Leaves that are not tensors (a config) are skipped.
import type { Tensor } from "../tensor";
import { ShapeError, formatShape } from "../tensor";
import { describe, isFloat32Array, sameShape } from "../internal/check";
import { residentBuffers } from "../resident";

/** One tensor of a tree and where it is. */
export interface TensorLeaf {
  readonly path: string;
  readonly tensor: Tensor;
}

function isTensor(x: unknown): x is Tensor {
  return x != null && typeof x === "object" && isFloat32Array((x as Tensor).data) && Array.isArray((x as Tensor).shape);
}

/**
 * Every tensor in a nested record or array, depth first in key order, with its dotted path.
 * Values that are neither tensors nor records (numbers, strings, a config's fields) are skipped.
 * @param tree - e.g. {@link GptParams}
 * @returns the leaves, e.g. `[{ path: "wte", tensor }, { path: "wpe", tensor }, { path: "h.0.ln1.weight", … }, …]`
 * @category 22–23 · Training
 * @example
 * ```ts
 * tensorLeaves(params).map((l) => l.path); // ["wte", "wpe", "h.0.ln1.weight", …]
 * ```
 */
export function tensorLeaves(tree: unknown): TensorLeaf[] {
  const out: TensorLeaf[] = [];
  const seen = new Set<object>();
  const walk = (node: unknown, path: string) => {
    if (isTensor(node)) {
      out.push({ path, tensor: node });
      return;
    }
    if (node == null || typeof node !== "object" || ArrayBuffer.isView(node) || seen.has(node)) return;
    seen.add(node);
    for (const key of Object.keys(node)) walk((node as Record<string, unknown>)[key], path === "" ? key : `${path}.${key}`);
  };
  walk(tree, "");
  return out;
}

/**
 * The same structure as `tree` with a fresh zero tensor for every tensor leaf (and nothing else: a
 * config is left out) — e.g. gradient buffers for {@link GptParams}.
 * @category 22–23 · Training
 * @example
 * ```ts
 * const grads = zerosLike(params); // grads.h[0].attn.cAttn.weight: zeros [3C, C]
 * ```
 */
export function zerosLike<T>(tree: T): T {
  return zerosLikeIn(tree, (n) => new Float32Array(n));
}

/**
 * zerosLike with the buffers in the kernels' memory where it is shared (gradients and moments the
 * library makes for itself: the kernels add into them where they are), given back when the last is
 * garbage collected.
 */
export function residentZerosLike<T>(tree: T): T {
  const buffers = residentBuffers();
  const zeros = zerosLikeIn(tree, buffers.floats);
  buffers.done();
  return zeros;
}

function zerosLikeIn<T>(tree: T, floats: (n: number) => Float32Array): T {
  const copy = (node: unknown): unknown => {
    if (isTensor(node)) return { data: floats(node.data.length), shape: [...node.shape] };
    if (Array.isArray(node)) return node.map(copy);
    if (node == null || typeof node !== "object" || ArrayBuffer.isView(node)) return undefined;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(node)) {
      const v = copy((node as Record<string, unknown>)[key]);
      if (v !== undefined && !(typeof v === "object" && v !== null && !Array.isArray(v) && tensorLeaves(v).length === 0)) out[key] = v;
    }
    return out;
  };
  return copy(tree) as T;
}

/**
 * Pairs every tensor of `params` with the tensor at the same path in `other` (gradients, moments),
 * checking that both have the same tensors with the same shapes; the error names the first path
 * that differs.
 */
export function pairLeaves(fn: string, name: string, params: readonly TensorLeaf[], other: unknown): Tensor[] {
  if (other == null || typeof other !== "object") throw new TypeError(`${fn}: ${name} must have the structure of params, got ${describe(other)}`);
  const byPath = new Map(tensorLeaves(other).map((l) => [l.path, l.tensor]));
  const out: Tensor[] = [];
  for (const { path, tensor } of params) {
    const t = byPath.get(path);
    if (t === undefined) throw new ShapeError(`${fn}: ${name}.${path} is missing, expected a tensor of shape ${formatShape(tensor.shape)} (as params.${path})`);
    if (!sameShape(t.shape, tensor.shape) || t.data.length !== tensor.data.length) {
      throw new ShapeError(`${fn}: ${name}.${path} has shape ${formatShape(t.shape)}, expected ${formatShape(tensor.shape)} (as params.${path})`);
    }
    byPath.delete(path);
    out.push(t);
  }
  for (const path of byPath.keys()) throw new ShapeError(`${fn}: ${name}.${path} has no parameter at params.${path}, expected the structure of params`);
  return out;
}

/**
 * A tree of tensors as a flat record by dotted path (with an optional prefix), for
 * {@link saveSafetensors}; {@link unflattenTensors} is the inverse.
 * @category 22–23 · Training
 * @example
 * ```ts
 * saveSafetensors({ ...flattenTensors(state.m, "m."), ...flattenTensors(state.v, "v.") });
 * ```
 */
export function flattenTensors(tree: unknown, prefix = ""): Record<string, Tensor> {
  const out: Record<string, Tensor> = Object.create(null);
  for (const { path, tensor } of tensorLeaves(tree)) out[prefix + path] = tensor;
  return out;
}

/**
 * The inverse of {@link flattenTensors}: the entries whose name starts with `prefix`, nested by
 * their dotted paths (numeric keys become array indices).
 * @throws RangeError for a name with an empty, `__proto__`, `constructor` or `prototype` segment; a
 *   name that is both a tensor and the prefix of another (`a` and `a.b`); numbered entries with holes
 *   (`h.0` and `h.2`) or an index past the number of names; a level with both numbered and named keys
 * @category 22–23 · Training
 * @example
 * ```ts
 * const m = unflattenTensors(loadSafetensors(bytes), "m.");
 * ```
 */
export function unflattenTensors(record: Record<string, Tensor>, prefix = ""): Record<string, unknown> {
  const fn = "unflattenTensors";
  const root: Record<string, unknown> = {};
  const names = Object.keys(record).filter((name) => name.startsWith(prefix));
  const isLeaf = (v: unknown) => v != null && typeof v === "object" && !Array.isArray(v) && (v as { data?: unknown }).data !== undefined && Object.hasOwn(v, "shape");
  const arrays: [string, unknown[]][] = [];
  for (const name of names) {
    const keys = name.slice(prefix.length).split(".");
    const bad = keys.find((k) => k === "__proto__" || k === "constructor" || k === "prototype" || k === "");
    if (bad !== undefined) throw new RangeError(`${fn}: the name ${JSON.stringify(name)} has the path segment ${JSON.stringify(bad)}, expected dotted keys of a record of tensors`);
    let node: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i], path = prefix + keys.slice(0, i + 1).join(".");
      const numeric = /^(0|[1-9]\d*)$/.test(k);
      if (Array.isArray(node) !== numeric) throw new RangeError(`${fn}: ${JSON.stringify(prefix + keys.slice(0, i).join("."))} has both numbered and named entries (${JSON.stringify(name)}), expected one kind`);
      if (numeric && Number(k) >= names.length) throw new RangeError(`${fn}: the name ${JSON.stringify(name)} has index ${k}, but there are only ${names.length} names: the indices cannot be consecutive from 0`);
      const here = (node as Record<string, unknown>)[k];
      if (i === keys.length - 1) {
        if (here !== undefined) throw new RangeError(`${fn}: ${JSON.stringify(name)} is a tensor and also the prefix of other names, expected one or the other`);
        (node as Record<string, unknown>)[k] = record[name];
      } else {
        if (isLeaf(here)) throw new RangeError(`${fn}: ${JSON.stringify(name)} is under ${JSON.stringify(path)}, which is a tensor, expected one or the other`);
        if (here === undefined) {
          const child = /^(0|[1-9]\d*)$/.test(keys[i + 1]) ? [] : {};
          if (Array.isArray(child)) arrays.push([path, child]);
          (node as Record<string, unknown>)[k] = child;
        }
        node = (node as Record<string, unknown>)[k] as Record<string, unknown>;
      }
    }
  }
  for (const [path, list] of arrays) {
    for (let i = 0; i < list.length; i++) if (!(i in list)) throw new RangeError(`${fn}: ${JSON.stringify(path)} has entries up to ${list.length - 1} but none at ${i}, expected consecutive indices from 0`);
  }
  return root;
}
