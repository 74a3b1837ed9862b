/**
 * The safetensors format: an 8-byte little-endian header length N, N bytes of JSON
 * (`{ name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__"?: { … } }`), then the raw
 * little-endian tensor bytes, offsets relative to the end of the header.
 * @module
 */
import type { Tensor } from "../tensor";
import { duplicateJsonKey } from "../internal/json";
import { formatShape, sizeOf } from "../tensor";
import { checkTensor, describe, isUint8Array } from "../internal/check";
import { halfToFloat } from "../kernels/half";

/** Bytes per element of the dtypes this library reads. */
const DTYPE_SIZE: Record<string, number> = { F32: 4, F16: 2, BF16: 2, F64: 8 };

function fail(message: string): never {
  throw new RangeError(`loadSafetensors: ${message}`);
}


/** The header's length from a file's first 8 bytes, checked against the file's size. */
export function safetensorsHeaderLength(first8: Uint8Array, size: number): number {
  if (size < 8) fail(`the file has ${size} bytes, expected at least 8 (the header length)`);
  const n = Number(new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true));
  if (n > size - 8) fail(`the header length is ${n} bytes, but the file has only ${size - 8} bytes after it (truncated or not safetensors)`);
  return n;
}

/** The header of a file whose first bytes (at least 8 + the header's length) are `bytes` and whose size is `size`. */
export function readHeader(bytes: Uint8Array, size = bytes.length): { header: Record<string, unknown>; dataStart: number } {
  if (!isUint8Array(bytes)) throw new TypeError(`loadSafetensors: bytes must be a Uint8Array, got ${describe(bytes)}`);
  const n = safetensorsHeaderLength(bytes, size);
  let header: unknown, text = "";
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n));
    header = JSON.parse(text);
  } catch (e) {
    fail(`the header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (header == null || typeof header !== "object" || Array.isArray(header)) fail("the header is not a JSON object");
  const twice = duplicateJsonKey(text);
  if (twice !== undefined) fail(`the header has the key ${JSON.stringify(twice)} twice, expected each name once`);
  return { header: header as Record<string, unknown>, dataStart: 8 + n };
}

/**
 * Reads a `.safetensors` file into float32 tensors. F32 is read as is; F16, BF16 and F64 are
 * converted to float32. Every offset is checked before any read: no read out of bounds, no overlap,
 * no hole in the data, no name twice in the header, `__metadata__` strings only. The tensors are
 * copies: `bytes` can be dropped (or reused) once this returns.
 *
 * @param bytes - the whole file
 * @returns tensors by name (the `__metadata__` entry is skipped: see {@link safetensorsMetadata})
 * @throws RangeError for a truncated file, a header longer than the file, a key twice in the header,
 *   offsets that overlap, leave a hole or run past the end, non-string `__metadata__` values, an unknown dtype, or a shape that does not match its byte length
 * @category 20 · Weights
 * @example
 * ```ts
 * const weights = loadSafetensors(new Uint8Array(await (await fetch("model.safetensors")).arrayBuffer()));
 * ```
 */
export function loadSafetensors(bytes: Uint8Array): Record<string, Tensor> {
  const { header, dataStart } = readHeader(bytes);
  const dataLength = bytes.length - dataStart;
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataStart, dataLength);
  const out: Record<string, Tensor> = {};
  for (const [name, e] of safetensorsEntries(header, dataLength)) { // defineProperty: a tensor named "__proto__" is a tensor, not a prototype
    Object.defineProperty(out, name, { value: { data: decode(view, e, new Float32Array(sizeOf(e.shape))), shape: [...e.shape] }, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** A tensor of the header: dtype, shape and byte range in the data. */
export interface SafetensorsEntry { dtype: string; shape: number[]; data_offsets: [number, number] }
type Entry = SafetensorsEntry;

/** The header's tensors (name and entry, in header order), every rule of the format checked against the data's length. */
export function safetensorsEntries(header: Record<string, unknown>, dataLength: number): [string, Entry][] {
  const entries: [string, Entry][] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const e = raw as Entry;
    if (e == null || typeof e !== "object") fail(`tensor "${name}" has no description`);
    if (typeof e.dtype !== "string" || !Object.hasOwn(DTYPE_SIZE, e.dtype)) fail(`tensor "${name}" has dtype ${JSON.stringify(e.dtype)}, expected one of ${Object.keys(DTYPE_SIZE).join(", ")}`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) fail(`tensor "${name}" has shape ${JSON.stringify(e.shape)}, expected non-negative integers`);
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isInteger(d) && d >= 0) || off[1] < off[0]) {
      fail(`tensor "${name}" has data_offsets ${JSON.stringify(off)}, expected [begin, end] with 0 ≤ begin ≤ end`);
    }
    if (off[1] > dataLength) fail(`tensor "${name}" has data_offsets [${off[0]}, ${off[1]}], which run past the end of the data (${dataLength} bytes)`);
    const expected = sizeOf(e.shape) * DTYPE_SIZE[e.dtype];
    if (off[1] - off[0] !== expected) {
      fail(`tensor "${name}" has ${off[1] - off[0]} bytes, expected ${expected} for shape ${formatShape(e.shape)} of ${e.dtype}`);
    }
    entries.push([name, e]);
  }
  checkMetadata(fail, header.__metadata__);
  // the format's rule: the data is covered by the tensors exactly, in some order, with no holes
  const sorted = [...entries].sort((a, b) => a[1].data_offsets[0] - b[1].data_offsets[0] || a[1].data_offsets[1] - b[1].data_offsets[1]);
  let end = 0, endName = "";
  for (const [name, e] of sorted) {
    const [begin, stop] = e.data_offsets;
    if (begin < end) fail(`tensors "${endName}" and "${name}" overlap (bytes ${begin}…${end - 1})`);
    if (begin > end) fail(`the data has a hole: bytes ${end}…${begin - 1} belong to no tensor (before "${name}"), expected tensors that cover the data exactly`);
    end = stop;
    endName = name;
  }
  if (end !== dataLength) fail(`the data has ${dataLength - end} bytes after the last tensor${endName ? ` ("${endName}")` : ""}, expected tensors that cover the data exactly`);
  return entries;
}

/**
 * out = float32 values of a tensor's elements read from `view` at byte `at` (e's dtype, `out.length`
 * elements): the whole tensor (at = its begin offset) or a run of whole elements of it.
 */
export function decode(view: DataView, e: Entry, out: Float32Array, at = e.data_offsets[0]): Float32Array {
  const n = out.length;
  switch (e.dtype) {
    case "F32": for (let i = 0; i < n; i++) out[i] = view.getFloat32(at + 4 * i, true); break;
    case "F64": for (let i = 0; i < n; i++) out[i] = view.getFloat64(at + 8 * i, true); break;
    case "BF16": {
      const bits = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < n; i++) {
        bits.setUint32(0, view.getUint16(at + 2 * i, true) << 16);
        out[i] = bits.getFloat32(0);
      }
      break;
    }
    case "F16": for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(at + 2 * i, true)); break;
  }
  return out;
}


/**
 * The `__metadata__` of a `.safetensors` file (string → string), or `{}` when it has none.
 * @param bytes - the whole file
 * @throws RangeError as {@link loadSafetensors} for a malformed header
 * @category 20 · Weights
 * @example
 * ```ts
 * safetensorsMetadata(bytes).config; // e.g. a JSON string written by the trainer
 * ```
 */
export function safetensorsMetadata(bytes: Uint8Array): Record<string, string> {
  return checkMetadata((message) => { throw new RangeError(`safetensorsMetadata: ${message}`); }, readHeader(bytes).header.__metadata__);
}

/** The `__metadata__` entry checked as the format defines it (string → string), as a record. */
function checkMetadata(fail: (message: string) => never, meta: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (meta === undefined) return out;
  if (meta === null || typeof meta !== "object" || Array.isArray(meta)) fail(`__metadata__ is ${JSON.stringify(meta)}, expected an object of strings`);
  for (const [k, v] of Object.entries(meta as Record<string, unknown>)) {
    if (typeof v !== "string") fail(`__metadata__[${JSON.stringify(k)}] is ${JSON.stringify(v)}, expected a string (the format maps strings to strings)`);
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Writes tensors as a `.safetensors` file (F32, names sorted, header padded to 8 bytes).
 * `loadSafetensors(saveSafetensors(r))` gives back `r` bit for bit.
 * @param record - tensors by name
 * @param metadata - optional string → string metadata
 * @returns the file's bytes
 * @throws TypeError for a non-tensor value or non-string metadata
 * @category 20 · Weights
 * @example
 * ```ts
 * const bytes = saveSafetensors({ "wte.weight": zeros([3, 4]) }, { note: "demo" });
 * ```
 */
export function saveSafetensors(record: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  if (record == null || typeof record !== "object") throw new TypeError(`saveSafetensors: record must be an object of tensors, got ${describe(record)}`);
  const names = Object.keys(record).sort();
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const name of names) {
    if (name === "__metadata__") throw new RangeError('saveSafetensors: "__metadata__" is reserved, expected another tensor name');
    const t = checkTensor("saveSafetensors", `record["${name}"]`, record[name]);
    header[name] = { dtype: "F32", shape: [...t.shape], data_offsets: [offset, offset + 4 * t.data.length] };
    offset += 4 * t.data.length;
  }
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== "string") throw new TypeError(`saveSafetensors: metadata["${k}"] must be a string, got ${describe(v)}`);
    }
    header.__metadata__ = metadata;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const bytes = new Uint8Array(8 + padded + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(padded), true);
  bytes.set(json, 8);
  bytes.fill(0x20, 8 + json.length, 8 + padded);
  let at = 8 + padded;
  for (const name of names) {
    const d = record[name].data;
    for (let i = 0; i < d.length; i++, at += 4) view.setFloat32(at, d[i], true);
  }
  return bytes;
}

/**
 * Reads a sharded checkpoint: the `model.safetensors.index.json` that maps each tensor to its file,
 * and the files. Each shard is read once; every tensor must be in the shard the index names, and
 * every tensor of a shard must be in the index.
 *
 * @param index - the index file's text or parsed object (`{ weight_map: { name: file } }`)
 * @param shards - the shard files' bytes by file name, or a function that reads one by name
 * @returns all tensors by name, as {@link loadSafetensors} gives them
 * @throws RangeError for an index without `weight_map`, a missing shard, or a tensor not where the index says (all listed at once)
 * @category 20 · Weights
 * @example
 * ```ts
 * const record = loadSafetensorsShards(readFileSync("model.safetensors.index.json", "utf8"), (file) => new Uint8Array(readFileSync(file)));
 * ```
 */
export function loadSafetensorsShards(index: string | { weight_map: Record<string, string> }, shards: Record<string, Uint8Array> | ((file: string) => Uint8Array)): Record<string, Tensor> {
  const fn = "loadSafetensorsShards";
  let parsed: unknown = index;
  if (typeof index === "string") {
    try { parsed = JSON.parse(index); } catch (e) { throw new RangeError(`${fn}: index is not JSON (${(e as Error).message})`); }
  }
  const map = (parsed as { weight_map?: unknown } | null)?.weight_map;
  if (map == null || typeof map !== "object" || Array.isArray(map)) {
    throw new RangeError(`${fn}: index has no weight_map of tensor name → file name (a model.safetensors.index.json), got ${describe(parsed)}`);
  }
  for (const [name, file] of Object.entries(map)) {
    if (typeof file !== "string") throw new RangeError(`${fn}: index.weight_map[${JSON.stringify(name)}] is ${describe(file)}, expected a shard's file name`);
  }
  const twice = typeof index === "string" ? duplicateJsonKey(index) : undefined;
  if (twice !== undefined) throw new RangeError(`${fn}: index has the key ${JSON.stringify(twice)} twice, expected each tensor once`);
  const weightMap = map as Record<string, string>;
  const read = typeof shards === "function" ? shards : (file: string) => {
    if (!Object.prototype.hasOwnProperty.call(shards, file)) throw new RangeError(`${fn}: the index names shard ${JSON.stringify(file)}, which shards does not have (it has ${Object.keys(shards).map((f) => JSON.stringify(f)).join(", ") || "none"})`);
    return shards[file];
  };
  const out: Record<string, Tensor> = {};
  const problems: string[] = [];
  for (const file of [...new Set(Object.values(weightMap))].sort()) {
    const tensors = loadSafetensors(read(file));
    for (const [name, t] of Object.entries(tensors)) {
      if (weightMap[name] !== file) problems.push(`${name} is in ${file}, but the index ${name in weightMap ? `says ${weightMap[name]}` : "does not list it"}`);
      else Object.defineProperty(out, name, { value: t, enumerable: true, writable: true, configurable: true });
    }
  }
  for (const [name, file] of Object.entries(weightMap)) if (!(name in out) && !problems.some((p) => p.startsWith(`${name} `))) problems.push(`${name} is not in ${file}, where the index says it is`);
  if (problems.length) throw new RangeError(`${fn}: the shards do not match the index (${problems.length} problem${problems.length > 1 ? "s" : ""}):\n${problems.map((p) => `  ${p}`).join("\n")}`);
  return out;
}
