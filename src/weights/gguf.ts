/**
 * GGUF, the file format of llama.cpp and the local-model world: a header of typed metadata, a table
 * of tensors (name, shape, ggml type, offset) and their bytes, aligned. Read and written here byte
 * for byte, so a file from llama.cpp's tools loads and a file written here loads in llama.cpp.
 * @module
 */
import type { Tensor } from "../tensor";
import { type QuantizedTensor, type WeightType, isQuantized } from "../weight";
import { WEIGHT_TYPES, typeBytes } from "../kernels/weight-types";
import { describe } from "../internal/check";

/** The type of a metadata value, as GGUF names it (`GGUF_TYPE_UINT8` … `GGUF_TYPE_FLOAT64`). @category 25 · Quantized weights */
export type GgufType = "u8" | "i8" | "u16" | "i16" | "u32" | "i32" | "f32" | "bool" | "string" | "array" | "u64" | "i64" | "f64";

/**
 * A metadata value with its GGUF type, so that {@link saveGguf} writes back what {@link loadGguf}
 * read: numbers for the 8-, 16- and 32-bit types and f32/f64, `bigint` for u64 and i64 (exact beyond
 * 2^53), booleans, strings; an array holds its item type and its items — a typed array for numeric
 * items (`Int32Array` for i32, `BigUint64Array` for u64, …), else an array of booleans, strings or
 * arrays (each itself a `{ type: "array", itemType, value }`). @category 25 · Quantized weights
 */
export type GgufValue =
  | { type: "u8" | "i8" | "u16" | "i16" | "u32" | "i32" | "f32" | "f64"; value: number }
  | { type: "u64" | "i64"; value: bigint }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | GgufArray;

/** A metadata array: its item type and items (see {@link GgufValue}). @category 25 · Quantized weights */
export interface GgufArray {
  type: "array";
  itemType: GgufType;
  value: Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array | BigUint64Array | BigInt64Array | boolean[] | string[] | GgufArray[];
}

/** A GGUF file's contents: its version, metadata in file order, and tensors in file order. @category 25 · Quantized weights */
export interface Gguf {
  version: number;
  metadata: Record<string, GgufValue>;
  tensors: Record<string, Tensor | QuantizedTensor>;
}

const TYPES: GgufType[] = ["u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool", "string", "array", "u64", "i64", "f64"];
const SIZES: Partial<Record<GgufType, number>> = { u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, f32: 4, bool: 1, u64: 8, i64: 8, f64: 8 };
/** ggml's type ids of the weight types this library reads; the others are named in errors. */
const GGML_IDS: Record<WeightType, number> = { f32: 0, f16: 1, q4_0: 2, q4_1: 3, q5_0: 6, q5_1: 7, q8_0: 8, q4_k: 12, q5_k: 13, q6_k: 14, bf16: 30 };
const GGML_NAMES: Record<number, string> = { 9: "Q8_1", 10: "Q2_K", 11: "Q3_K", 15: "Q8_K", 16: "IQ2_XXS", 17: "IQ2_XS", 18: "IQ3_XXS", 19: "IQ1_S", 20: "IQ4_NL", 21: "IQ3_S", 22: "IQ2_S", 23: "IQ4_XS", 24: "I8", 25: "I16", 26: "I32", 27: "I64", 28: "F64", 29: "IQ1_M", 34: "TQ1_0", 35: "TQ2_0", 39: "MXFP4" };
const TYPE_OF_ID = new Map(Object.entries(GGML_IDS).map(([t, id]) => [id, t as WeightType]));
const MAX_DIMS = 4;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Thrown while parsing the first bytes of a file: the header runs past them, to byte `upTo`. */
export class HeaderNeedsMore extends Error {
  constructor(readonly upTo: number) { super(`the header runs past the bytes read, to byte ${upTo}`); }
}

/**
 * A reader over the file that checks every length against what is left before it reads or
 * allocates. `bytes` may be the file's first bytes only (`size` the whole file's): a read past
 * them throws {@link HeaderNeedsMore}, for the caller to read more and parse again.
 */
class Reader {
  pos = 0;
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array, readonly size = bytes.length) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  left(): number { return this.size - this.pos; }
  need(n: number, what: string): void {
    if (n > this.left()) throw new RangeError(`loadGguf: the file ends inside ${what} (it needs ${n} more bytes at offset ${this.pos}, ${this.left()} are left)`);
    if (this.pos + n > this.bytes.length) throw new HeaderNeedsMore(this.pos + n);
  }
  u32(what: string): number { this.need(4, what); const v = this.view.getUint32(this.pos, true); this.pos += 4; return v; }
  /** A u64 count or length, as a number; beyond 2^53 (no file holds that much) it is an error. */
  count(what: string): number {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`loadGguf: ${what} is ${v}, more than any file can hold`);
    return Number(v);
  }
  string(what: string): string {
    const n = this.count(`the length of ${what}`);
    this.need(n, what);
    const s = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    try { return utf8.decode(s); } catch { throw new RangeError(`loadGguf: ${what} is not valid UTF-8`); }
  }
  scalar(type: GgufType, what: string): GgufValue {
    const v = this.view, at = this.pos;
    this.need(SIZES[type]!, what);
    this.pos += SIZES[type]!;
    switch (type) {
      case "u8": return { type, value: v.getUint8(at) };
      case "i8": return { type, value: v.getInt8(at) };
      case "u16": return { type, value: v.getUint16(at, true) };
      case "i16": return { type, value: v.getInt16(at, true) };
      case "u32": return { type, value: v.getUint32(at, true) };
      case "i32": return { type, value: v.getInt32(at, true) };
      case "f32": return { type, value: v.getFloat32(at, true) };
      case "f64": return { type, value: v.getFloat64(at, true) };
      case "u64": return { type, value: v.getBigUint64(at, true) };
      case "i64": return { type, value: v.getBigInt64(at, true) };
      case "bool": {
        const b = v.getUint8(at);
        if (b > 1) throw new RangeError(`loadGguf: ${what} is a bool of value ${b}, expected 0 or 1`);
        return { type, value: b === 1 };
      }
      default: throw new Error("unreachable");
    }
  }
  valueType(what: string): GgufType {
    const id = this.u32(`the type of ${what}`);
    const type = TYPES[id];
    if (type === undefined) throw new RangeError(`loadGguf: ${what} has value type ${id}, expected 0 … 12 (GGUF_TYPE_UINT8 … GGUF_TYPE_FLOAT64)`);
    return type;
  }
  value(type: GgufType, what: string, depth: number): GgufValue {
    if (type === "string") return { type, value: this.string(what) };
    if (type !== "array") return this.scalar(type, what);
    if (depth > 8) throw new RangeError(`loadGguf: ${what} nests arrays more than 8 deep`);
    const itemType = this.valueType(`the items of ${what}`);
    const n = this.count(`the length of ${what}`);
    const size = SIZES[itemType] ?? 8; // a string or an array takes at least its 8-byte length
    if (n * size > this.left()) throw new RangeError(`loadGguf: ${what} claims ${n} items of ${itemType}, more than the ${this.left()} bytes left in the file hold`);
    if (itemType === "string") return { type, itemType, value: Array.from({ length: n }, (_, i) => this.string(`${what}[${i}]`)) };
    if (itemType === "array") return { type, itemType, value: Array.from({ length: n }, (_, i) => this.value("array", `${what}[${i}]`, depth + 1) as GgufArray) };
    if (itemType === "bool") return { type, itemType, value: Array.from({ length: n }, (_, i) => this.scalar("bool", `${what}[${i}]`).value as boolean) };
    this.need(n * size, what);
    const raw = this.bytes.slice(this.pos, this.pos + n * size); // copied: aligned for the typed array
    this.pos += n * size;
    return { type, itemType, value: numericArray(itemType, raw.buffer, n) };
  }
}

function numericArray(type: GgufType, buffer: ArrayBuffer, n: number): GgufArray["value"] {
  switch (type) {
    case "u8": return new Uint8Array(buffer, 0, n);
    case "i8": return new Int8Array(buffer, 0, n);
    case "u16": return new Uint16Array(buffer, 0, n);
    case "i16": return new Int16Array(buffer, 0, n);
    case "u32": return new Uint32Array(buffer, 0, n);
    case "i32": return new Int32Array(buffer, 0, n);
    case "f32": return new Float32Array(buffer, 0, n);
    case "f64": return new Float64Array(buffer, 0, n);
    case "u64": return new BigUint64Array(buffer, 0, n);
    case "i64": return new BigInt64Array(buffer, 0, n);
    default: throw new Error("unreachable");
  }
}

/**
 * Reads a GGUF file (v2 or v3, little-endian): every metadata value with its type, every tensor
 * with its shape (ggml's `ne` reversed: a linear weight `ne = {in, out}` is `[out, in]`, as
 * PyTorch's). F32 tensors come back as `Tensor`s, every other type as a {@link QuantizedTensor}
 * (no widening). Tensor data are **views** of `bytes` where their offset allows (F32 aligned to 4
 * bytes; stored types always), else copies: keep `bytes` unchanged while they are in use. Refused,
 * each with an error naming the key or tensor and before anything of the claimed size is allocated:
 * a bad magic, version 1 or above 3, a file that ends early, counts and lengths the file cannot hold,
 * unknown value or tensor types (including ggml types this library does not read yet, named: Q2_K,
 * Q3_K, the IQ formats, …), duplicate keys or tensor names, more than 4 dimensions, a `general.alignment` that is not
 * a power of two, offsets that are misaligned, overlap, or run past the end.
 * @param bytes - the whole file
 * @returns `{ version, metadata, tensors }`
 * @throws RangeError or TypeError as above
 * @category 25 · Quantized weights
 * @example
 * ```ts
 * const gguf = loadGguf(new Uint8Array(readFileSync("model.gguf")));
 * gguf.metadata["general.architecture"].value; // "llama"
 * ```
 */
export function loadGguf(bytes: Uint8Array): Gguf {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`loadGguf: bytes must be a Uint8Array (the whole file), got ${describe(bytes)}`);
  const { version, metadata, infos, dataStart } = parseGgufHeader(bytes);
  const tensors: Record<string, Tensor | QuantizedTensor> = {};
  for (const t of infos) {
    const at = dataStart + t.offset, view = bytes.subarray(at, at + t.size);
    if (t.type === "f32") {
      const n = t.size / 4;
      const data = (bytes.byteOffset + at) % 4 === 0 ? new Float32Array(bytes.buffer, bytes.byteOffset + at, n) : new Float32Array(view.slice().buffer);
      tensors[t.name] = { data, shape: t.shape };
    } else tensors[t.name] = { type: t.type, shape: t.shape, bytes: view };
  }
  return { version, metadata, tensors };
}

/** One tensor of a GGUF file's table: its offset from the start of the data, and its size in bytes. */
export interface GgufTensorInfo { name: string; shape: number[]; type: WeightType; offset: number; size: number }

/**
 * A GGUF file's header: version, metadata, tensor table and where the data starts, every count,
 * length and offset checked against the file's `size`. `bytes` may be the file's first bytes only
 * (then a header that runs past them throws {@link HeaderNeedsMore}).
 */
export function parseGgufHeader(bytes: Uint8Array, size = bytes.length): { version: number; metadata: Record<string, GgufValue>; infos: GgufTensorInfo[]; dataStart: number } {
  const r = new Reader(bytes, size);
  r.need(4, "the magic");
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== "GGUF") throw new RangeError(`loadGguf: the file starts with ${JSON.stringify(magic)}, expected "GGUF" (not a GGUF file${magic === "ggjt" || magic === "ggml" || magic === "ggmf" ? ": an older ggml format" : ""})`);
  r.pos = 4;
  const version = r.u32("the version");
  if (version < 2 || version > 3) throw new RangeError(`loadGguf: version ${version}, expected 2 or 3${version === 1 ? " (version 1 used 32-bit counts; convert it with a current llama.cpp)" : version > 0xffff ? " (a big-endian file?)" : ""}`);
  const nTensors = r.count("the tensor count"), nKv = r.count("the metadata count");
  if (nKv * 12 > r.left()) throw new RangeError(`loadGguf: the header claims ${nKv} metadata entries, more than the ${r.left()} bytes left hold`);
  if (nTensors * 24 > r.left()) throw new RangeError(`loadGguf: the header claims ${nTensors} tensors, more than the ${r.left()} bytes left hold`);
  const metadata: Record<string, GgufValue> = {};
  for (let i = 0; i < nKv; i++) {
    const key = r.string(`metadata key ${i}`);
    if (Object.prototype.hasOwnProperty.call(metadata, key)) throw new RangeError(`loadGguf: metadata key "${key}" appears twice`);
    metadata[key] = r.value(r.valueType(`"${key}"`), `"${key}"`, 0);
  }
  const alignment = alignmentOf("loadGguf", metadata);
  const infos: GgufTensorInfo[] = [];
  const names = new Set<string>();
  for (let i = 0; i < nTensors; i++) {
    const name = r.string(`the name of tensor ${i}`);
    if (names.has(name)) throw new RangeError(`loadGguf: tensor "${name}" appears twice`);
    names.add(name);
    const nDims = r.u32(`the dimensions of "${name}"`);
    if (nDims > MAX_DIMS) throw new RangeError(`loadGguf: tensor "${name}" has ${nDims} dimensions, at most ${MAX_DIMS} (GGML_MAX_DIMS)`);
    const ne: number[] = [];
    for (let d = 0; d < nDims; d++) ne.push(r.count(`dimension ${d} of "${name}"`));
    const id = r.u32(`the type of "${name}"`);
    const type = TYPE_OF_ID.get(id);
    if (type === undefined) throw new TypeError(`loadGguf: tensor "${name}" has ggml type ${id}${GGML_NAMES[id] ? ` (${GGML_NAMES[id]})` : ""}, which this library does not read (it reads ${Object.keys(GGML_IDS).join(", ")})`);
    const offset = r.count(`the offset of "${name}"`);
    const count = ne.reduce((a, b) => a * b, 1);
    if (!Number.isSafeInteger(count)) throw new RangeError(`loadGguf: tensor "${name}" has ne {${ne.join(", ")}}, more values than any file can hold`);
    const block = WEIGHT_TYPES[type].blockSize;
    if ((ne[0] ?? 1) % block !== 0) throw new RangeError(`loadGguf: tensor "${name}" has ${ne[0]} values a row, not a multiple of ${type}'s block of ${block}`);
    if (offset % alignment !== 0) throw new RangeError(`loadGguf: tensor "${name}" starts at offset ${offset}, not a multiple of the alignment ${alignment}`);
    infos.push({ name, shape: ne.slice().reverse(), type, offset, size: typeBytes(type, count) });
  }
  const dataStart = Math.ceil(r.pos / alignment) * alignment, dataBytes = size - dataStart;
  for (const t of infos) {
    if (t.offset + t.size > dataBytes) throw new RangeError(`loadGguf: tensor "${t.name}" needs bytes ${t.offset} … ${t.offset + t.size} of the data, which has ${Math.max(0, dataBytes)} (a truncated file?)`);
  }
  const byOffset = [...infos].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < byOffset.length; i++) {
    const a = byOffset[i - 1], b = byOffset[i];
    if (a.offset + a.size > b.offset) throw new RangeError(`loadGguf: tensors "${a.name}" and "${b.name}" overlap (bytes ${a.offset} … ${a.offset + a.size} and ${b.offset} …)`);
  }
  return { version, metadata, infos, dataStart };
}

function alignmentOf(fn: string, metadata: Record<string, GgufValue>): number {
  const a = metadata["general.alignment"];
  if (a === undefined) return 32;
  if (a.type !== "u32" || a.value === 0 || (a.value & (a.value - 1)) !== 0) {
    throw new RangeError(`${fn}: general.alignment must be a u32 power of two, got ${a.type} ${a.type === "array" ? "" : String(a.value)}`);
  }
  return a.value;
}

/**
 * Writes a GGUF v3 file: the metadata in the record's order (each value with its type, see
 * {@link GgufValue}), then the tensors in the record's order — a `Tensor` as F32, a
 * {@link QuantizedTensor} as its type — each at an offset aligned to `general.alignment` (32 when
 * the metadata has none). The inverse of {@link loadGguf}: `saveGguf(loadGguf(x))` gives x's bytes
 * back for a file laid out as llama.cpp writes them.
 * @param gguf - `{ metadata, tensors }` (a `version` is ignored: always 3)
 * @returns the file's bytes
 * @throws TypeError for a value whose type it cannot write, or a tensor that is neither
 * @category 25 · Quantized weights
 * @example
 * ```ts
 * const bytes = saveGguf({ metadata: { "general.architecture": { type: "string", value: "llama" } }, tensors: { "token_embd.weight": wte } });
 * ```
 */
export function saveGguf(gguf: { metadata: Record<string, GgufValue>; tensors: Record<string, Tensor | QuantizedTensor> }): Uint8Array {
  const fn = "saveGguf";
  if (gguf == null || typeof gguf !== "object" || gguf.metadata == null || gguf.tensors == null) throw new TypeError(`${fn}: expected { metadata, tensors }, got ${describe(gguf)}`);
  const alignment = alignmentOf(fn, gguf.metadata);
  const w = new Writer();
  w.bytes(new Uint8Array([0x47, 0x47, 0x55, 0x46])); // "GGUF"
  w.u32(3);
  const entries = Object.entries(gguf.tensors), kv = Object.entries(gguf.metadata);
  w.u64(entries.length);
  w.u64(kv.length);
  for (const [key, value] of kv) {
    w.string(key);
    w.u32(typeId(fn, key, value?.type));
    w.value(fn, key, value);
  }
  let offset = 0;
  const blobs: Uint8Array[] = [];
  for (const [name, t] of entries) {
    const { type, shape, bytes } = tensorBytes(fn, name, t);
    w.string(name);
    w.u32(shape.length);
    for (let d = shape.length - 1; d >= 0; d--) w.u64(shape[d]);
    w.u32(GGML_IDS[type]);
    w.u64(offset);
    blobs.push(bytes);
    offset += Math.ceil(bytes.length / alignment) * alignment;
  }
  w.pad(alignment);
  for (const b of blobs) {
    w.bytes(b);
    w.pad(alignment);
  }
  return w.finish();
}

function typeId(fn: string, key: string, type: unknown): number {
  const id = TYPES.indexOf(type as GgufType);
  if (id < 0) throw new TypeError(`${fn}: metadata "${key}" has type ${describe(type)}, expected one of ${TYPES.join(", ")}`);
  return id;
}

function tensorBytes(fn: string, name: string, t: Tensor | QuantizedTensor): { type: WeightType; shape: readonly number[]; bytes: Uint8Array } {
  if (isQuantized(t)) {
    if (!(t.type in GGML_IDS)) throw new TypeError(`${fn}: tensor "${name}" has type ${describe(t.type)}, which GGUF cannot hold here`);
    return { type: t.type, shape: t.shape, bytes: t.bytes };
  }
  if (t == null || !(t.data instanceof Float32Array) || !Array.isArray(t.shape)) throw new TypeError(`${fn}: tensor "${name}" must be a Tensor or a QuantizedTensor, got ${describe(t)}`);
  return { type: "f32", shape: t.shape, bytes: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength) };
}

/** Little-endian bytes in growing chunks. */
class Writer {
  private chunks: Uint8Array[] = [];
  private length = 0;
  private readonly scratch = new DataView(new ArrayBuffer(8));
  /** Appends b (kept by reference until finish: not to be changed before). */
  bytes(b: Uint8Array): void { this.chunks.push(b); this.length += b.length; }
  private fixed(n: number): void { this.bytes(new Uint8Array(this.scratch.buffer.slice(0, n))); }
  u32(v: number): void { this.scratch.setUint32(0, v, true); this.fixed(4); }
  u64(v: number | bigint): void { this.scratch.setBigUint64(0, BigInt(v), true); this.fixed(8); }
  string(s: string): void {
    const b = new TextEncoder().encode(s);
    this.u64(b.length);
    this.bytes(b);
  }
  pad(alignment: number): void {
    const n = (alignment - (this.length % alignment)) % alignment;
    if (n) this.bytes(new Uint8Array(n));
  }
  value(fn: string, key: string, v: GgufValue): void {
    const s = this.scratch;
    const num = (x: unknown, ok: [(n: number) => boolean, string]) => {
      if (typeof x !== "number" || !ok[0](x)) throw new TypeError(`${fn}: metadata "${key}" of type ${v.type} has value ${describe(x)}, expected ${ok[1]}`);
      return x;
    };
    const int = (lo: number, hi: number): [(n: number) => boolean, string] => [(n) => Number.isInteger(n) && n >= lo && n <= hi, `an integer in ${lo} … ${hi}`];
    const any: [(n: number) => boolean, string] = [() => true, "a number"];
    switch (v.type) {
      case "u8": s.setUint8(0, num(v.value, int(0, 255))); return this.fixed(1);
      case "i8": s.setInt8(0, num(v.value, int(-128, 127))); return this.fixed(1);
      case "u16": s.setUint16(0, num(v.value, int(0, 65535)), true); return this.fixed(2);
      case "i16": s.setInt16(0, num(v.value, int(-32768, 32767)), true); return this.fixed(2);
      case "u32": s.setUint32(0, num(v.value, int(0, 2 ** 32 - 1)), true); return this.fixed(4);
      case "i32": s.setInt32(0, num(v.value, int(-(2 ** 31), 2 ** 31 - 1)), true); return this.fixed(4);
      case "f32": s.setFloat32(0, num(v.value, any), true); return this.fixed(4);
      case "f64": s.setFloat64(0, num(v.value, any), true); return this.fixed(8);
      case "u64": case "i64": {
        const raw: unknown = v.value;
        if (typeof raw !== "bigint") throw new TypeError(`${fn}: metadata "${key}" of type ${v.type} has value ${describe(raw)}, expected a bigint`);
        if (v.type === "u64") s.setBigUint64(0, raw, true);
        else s.setBigInt64(0, raw, true);
        return this.fixed(8);
      }
      case "bool": {
        const raw: unknown = v.value;
        if (typeof raw !== "boolean") throw new TypeError(`${fn}: metadata "${key}" of type bool has value ${describe(raw)}`);
        s.setUint8(0, raw ? 1 : 0);
        return this.fixed(1);
      }
      case "string": {
        const raw: unknown = v.value;
        if (typeof raw !== "string") throw new TypeError(`${fn}: metadata "${key}" of type string has value ${describe(raw)}`);
        return this.string(raw);
      }
      case "array": {
        const items = v.value as ArrayLike<unknown>;
        if (items == null || typeof items.length !== "number") throw new TypeError(`${fn}: metadata "${key}" of type array has value ${describe(items)}`);
        this.u32(typeId(fn, key, v.itemType));
        this.u64(items.length);
        if (ArrayBuffer.isView(items)) {
          const view = items as unknown as Uint8Array;
          if (SIZES[v.itemType] !== view.BYTES_PER_ELEMENT) throw new TypeError(`${fn}: metadata "${key}" holds ${v.itemType} items in a ${view.constructor.name}`);
          this.bytes(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
        } else for (let i = 0; i < items.length; i++) this.value(fn, `${key}[${i}]`, (v.itemType === "array" ? items[i] : { type: v.itemType, value: items[i] }) as GgufValue);
        return;
      }
      default: throw new TypeError(`${fn}: metadata "${key}" has type ${describe((v as { type: unknown }).type)}`);
    }
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) { out.set(c, at); at += c.length; }
    return out;
  }
}
