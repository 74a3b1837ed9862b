// Argument checks shared by every wrapper. Messages are built only on failure and always name the
// function, the argument, what was expected and what was given.
import type { Tensor } from "../tensor";
import { ShapeError, formatShape, sizeOf } from "../tensor";

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 20 ? value.slice(0, 20) + "…" : value)}`;
  return String(value);
}

/**
 * Whether x is a Float32Array — also one made in another realm (an iframe, a vm context), where
 * `instanceof` would say no.
 */
export function isFloat32Array(x: unknown): x is Float32Array {
  return x instanceof Float32Array || Object.prototype.toString.call(x) === "[object Float32Array]";
}

/** Whether x is a Uint8Array, from this realm or another. */
export function isUint8Array(x: unknown): x is Uint8Array {
  return x instanceof Uint8Array || Object.prototype.toString.call(x) === "[object Uint8Array]";
}

/** Checks that `t` is a well-formed float32 tensor; returns it for chaining. */
export function checkTensor(fn: string, name: string, t: Tensor): Tensor {
  if (t == null || typeof t !== "object" || Array.isArray(t) || ArrayBuffer.isView(t) || !("data" in t)) {
    const hint = Array.isArray(t) || ArrayBuffer.isView(t) ? ` (wrap it: tensor(values, shape))` : "";
    throw new TypeError(`${fn}: ${name} must be a tensor { data: Float32Array, shape }, got ${describe(t)}${hint}`);
  }
  if (!isFloat32Array(t.data)) {
    throw new TypeError(`${fn}: ${name}.data must be a Float32Array, got ${describe(t.data)}`);
  }
  const shape = t.shape;
  if (!Array.isArray(shape)) throw new TypeError(`${fn}: ${name}.shape must be an array, got ${describe(shape)}`);
  for (let i = 0; i < shape.length; i++) {
    if (!Number.isInteger(shape[i]) || shape[i] < 0) {
      throw new ShapeError(`${fn}: ${name} has shape ${formatShape(shape)}, expected non-negative integer dimensions (dimension ${i} is ${shape[i]})`);
    }
  }
  if (t.data.length !== sizeOf(shape)) {
    throw new ShapeError(`${fn}: ${name}.data has length ${t.data.length}, expected ${sizeOf(shape)} (the product of shape ${formatShape(shape)})`);
  }
  return t;
}

/** Checks the rank is at least `min` (and at most `max`); `axes` names the trailing axes, e.g. "[..., T, C]". */
export function checkRank(fn: string, name: string, t: Tensor, min: number, axes: string, max = Infinity): void {
  checkTensor(fn, name, t);
  const r = t.shape.length;
  if (r < min || r > max) {
    const expected = max === min ? `rank ${min}` : max === Infinity ? `rank ≥ ${min}` : `rank ${min} to ${max}`;
    throw new ShapeError(`${fn}: ${name} has shape ${formatShape(t.shape)} (rank ${r}), expected ${expected} ${axes}`);
  }
}

/** Checks that `t` has exactly `shape`; `why` explains where the expectation comes from. */
export function checkShapeIs(fn: string, name: string, t: Tensor, shape: readonly number[], why = ""): void {
  checkTensor(fn, name, t);
  if (!sameShape(t.shape, shape)) {
    throw new ShapeError(`${fn}: ${name} has shape ${formatShape(t.shape)}, expected ${formatShape(shape)}${why ? ` (${why})` : ""}`);
  }
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Checks an optional `out` tensor: the right shape, and not sharing memory with any input. */
export function checkOut(fn: string, out: Tensor | undefined, shape: readonly number[], inputs: readonly (Tensor | undefined)[]): Tensor {
  if (out === undefined) return { data: new Float32Array(sizeOf(shape)), shape: [...shape] };
  checkShapeIs(fn, "out", out, shape, "the shape of the result");
  for (const t of inputs) {
    if (t !== undefined && overlaps(out.data, t.data)) {
      throw new RangeError(`${fn}: out shares memory with an input, expected a separate buffer (out may not alias an input here)`);
    }
  }
  return out;
}

/**
 * An `out` that may be x itself (in place): `out === x` skips the shape check, but out must still not
 * share memory with the other inputs (a mask or weight that is a view into x would be overwritten as
 * it is read).
 */
export function checkOutInPlace(fn: string, out: Tensor | undefined, x: Tensor, others: readonly (Tensor | null | undefined)[]): Tensor {
  if (out !== x) return checkOut(fn, out, x.shape, [x, ...others.map((t) => t ?? undefined)]);
  for (const t of others) {
    if (t != null && overlaps(x.data, t.data)) {
      throw new RangeError(`${fn}: out is x (in place), and another input shares memory with it, expected separate buffers`);
    }
  }
  return x;
}

export function overlaps(a: ArrayBufferView, b: ArrayBufferView): boolean {
  if (a.buffer !== b.buffer) return false;
  const a0 = a.byteOffset, a1 = a0 + a.byteLength, b0 = b.byteOffset, b1 = b0 + b.byteLength;
  return a0 < b1 && b0 < a1 && a.byteLength > 0 && b.byteLength > 0;
}

export function checkFinite(fn: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new TypeError(`${fn}: ${name} must be a finite number, got ${describe(value)}`);
  }
}

export function checkPositive(fn: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`${fn}: ${name} must be a finite number > 0, got ${describe(value)}`);
  }
}

export function checkInteger(fn: string, name: string, value: unknown, min: number, max = Infinity): asserts value is number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`${fn}: ${name} must be an integer ${range}, got ${describe(value)}`);
  }
}

/** Checks token ids: each a non-negative integer below `vocab`. Names the id, its position and the vocab size. */
export function checkIds(fn: string, name: string, ids: ArrayLike<number>, vocab: number): void {
  if (ids == null || typeof ids === "string" || typeof (ids as ArrayLike<number>).length !== "number") {
    throw new TypeError(`${fn}: ${name} must be an array of token ids (number[], Int32Array, Uint32Array), got ${describe(ids)}`);
  }
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id >= vocab) {
      throw new RangeError(`${fn}: ${name}[${i}] is ${describe(id)}, expected an integer id in [0, ${vocab}) (vocab size ${vocab})`);
    }
  }
}

/** The product of all but the last `n` axes. */
export function leading(shape: readonly number[], n: number): number {
  let p = 1;
  for (let i = 0; i < shape.length - n; i++) p *= shape[i];
  return p;
}

/**
 * Checks that options is undefined or a plain object; with `allowed`, also that it has no other
 * keys (a misspelt option must not silently fall back to its default).
 */
export function checkOptions<T extends object>(fn: string, options: T | undefined, allowed?: readonly string[], what = "option"): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== "object" || Array.isArray(options) || ArrayBuffer.isView(options)) {
    throw new TypeError(`${fn}: options must be an object, got ${describe(options)}`);
  }
  if (allowed !== undefined) {
    for (const key of Object.keys(options)) {
      if (!allowed.includes(key)) {
        const near = nearest(key, allowed);
        throw new TypeError(`${fn}: unknown ${what} ${JSON.stringify(key)}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ""}, expected one of ${allowed.map((k) => JSON.stringify(k)).join(", ")}`);
      }
    }
  }
  return options;
}

/** The allowed name closest to `key` by edit distance (case-insensitive), if any is close enough to be a typo. */
function nearest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined, bestDistance = Infinity;
  const k = key.toLowerCase().replace(/_/g, "");
  for (const name of allowed) {
    const n = name.toLowerCase();
    const d = n.startsWith(k) || k.startsWith(n) ? Math.min(1, editDistance(k, n)) : editDistance(k, n); // a prefix is the likeliest slip
    if (d < bestDistance) { best = name; bestDistance = d; }
  }
  return bestDistance <= Math.max(2, Math.floor((best?.length ?? 0) / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/** Checks a GELU choice: "none" (exact) or "tanh". */
export function checkGelu(fn: string, name: string, value: unknown): "none" | "tanh" {
  if (value !== "none" && value !== "tanh") {
    throw new RangeError(`${fn}: ${name} must be "none" or "tanh", got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Where a backward pass writes one gradient: a fresh zero tensor, or `out` (checked like any `out`),
 * zeroed first unless `accumulate` is set — then the gradient is added to what `out` holds.
 */
export function gradTarget(fn: string, name: string, out: Tensor | undefined, shape: readonly number[], accumulate: boolean, inputs: readonly (Tensor | undefined)[]): Tensor {
  if (out === undefined) return { data: new Float32Array(sizeOf(shape)), shape: [...shape] };
  checkShapeIs(fn, name, out, shape, "the shape of the gradient");
  for (const t of inputs) {
    if (t !== undefined && overlaps(out.data, t.data)) {
      throw new RangeError(`${fn}: ${name} shares memory with an input, expected a separate buffer`);
    }
  }
  if (!accumulate) out.data.fill(0);
  return out;
}

/**
 * Checks that the gradient buffers a backward was given share no memory with each other (each is
 * written as the others are, so an alias would mix two gradients). Call before any is zeroed.
 */
export function checkGradsApart(fn: string, given: Readonly<Record<string, Tensor | undefined>>): void {
  const named = Object.entries(given).filter((e): e is [string, Tensor] => e[1] != null && e[1].data instanceof Float32Array);
  for (let i = 0; i < named.length; i++) for (let j = i + 1; j < named.length; j++) {
    if (overlaps(named[i][1].data, named[j][1].data)) throw new RangeError(`${fn}: ${named[i][0]} and ${named[j][0]} share memory, expected a separate buffer for each gradient`);
  }
}

/** Checks an `accumulate` flag; `target` names what it adds into, which must then be given. */
export function checkAccumulate(fn: string, value: unknown, target?: { name: string; given: boolean }): boolean {
  if (value === undefined) return false;
  if (typeof value !== "boolean") throw new TypeError(`${fn}: accumulate must be a boolean, got ${describe(value)}`);
  if (value && target !== undefined && !target.given) throw new TypeError(`${fn}: accumulate: true needs ${target.name} to add into, got none`);
  return value;
}

/**
 * A model forward's ids and logit option, checked as gptForward and llamaForward both need:
 * ids an array of ids in [0, vocab), not empty, fitting the block after the `offset` positions a
 * cache holds; `logits` "all" or "last". Returns T.
 */
export function checkForwardIds(
  fn: string, ids: ArrayLike<number>, logits: unknown, vocab: number, blockSize: number, offset: number, cached: boolean,
): number {
  if (logits !== "all" && logits !== "last") throw new RangeError(`${fn}: logits must be "all" or "last", got ${describe(logits)}`);
  if (ids == null || typeof ids === "string" || typeof ids.length !== "number") throw new TypeError(`${fn}: ids must be an array of token ids, got ${describe(ids)}`);
  const T = ids.length;
  if (T === 0) throw new RangeError(`${fn}: ids is empty, expected at least one token`);
  checkIds(fn, "ids", ids, vocab);
  if (offset + T > blockSize) {
    throw new RangeError(`${fn}: ${T} tokens at positions ${offset}…${offset + T - 1} exceed the block size, expected at most ${blockSize - offset} (config.blockSize = ${blockSize}${cached ? `, ${offset} already cached` : ""})`);
  }
  return T;
}
