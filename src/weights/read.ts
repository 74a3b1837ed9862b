/**
 * Weight files read from a `Blob` — a browser's `File`, or Node's `fs.openAsBlob(path)` — a slice at
 * a time, each tensor written straight into its own buffer: in the kernels' memory where it is
 * shared, so the file's bytes never sit in memory beside the weights, and a model is held once.
 * @module
 */
import type { Tensor } from "../tensor";
import type { QuantizedTensor } from "../weight";
import { residency, wasmBackend } from "../backend/index";
import { canReleaseWithViews, releaseWithViews } from "../resident";
import { checkOptions, describe } from "../internal/check";
import { sizeOf } from "../tensor";
import { HeaderNeedsMore, parseGgufHeader, type Gguf } from "./gguf";
import { decode, readHeader, safetensorsEntries, safetensorsHeaderLength } from "./safetensors";

/** Options of {@link readSafetensors} and {@link readGguf}. @category 20 · Weights */
export interface ReadWeightsOptions {
  /** Bytes read at a time (a multiple of 8): 16 MiB by default. Also the first read of a GGUF header, which grows as it needs. */
  chunkBytes?: number;
}

const CHUNK = 1 << 24;

/** One tensor's buffer: in the kernels' memory (shared), given back when the array is garbage collected; a JavaScript array elsewhere. */
function buffers(): { floats(shape: readonly number[]): Float32Array; bytes(n: number): Uint8Array } {
  const be = wasmBackend();
  if (be === null || !be.mem.shared || !canReleaseWithViews) return { floats: (shape) => new Float32Array(sizeOf(shape)), bytes: (n) => new Uint8Array(n) };
  const own = <T extends ArrayBufferView>(make: (res: ReturnType<typeof residency>) => T): T => {
    const res = residency(), view = make(res);
    releaseWithViews(res, [view]);
    return view;
  };
  return {
    floats: (shape) => own((res) => shape.length === 2 ? res.emptyMatrix(shape[0], shape[1]) : res.floats(sizeOf(shape))),
    bytes: (n) => own((res) => res.emptyBytes(n)),
  };
}

function checkArgs(fn: string, file: unknown, options: ReadWeightsOptions | undefined): number {
  const f = file as Blob | null;
  if (f === null || typeof f !== "object" || typeof f.size !== "number" || typeof f.slice !== "function") {
    throw new TypeError(`${fn}: file must be a Blob (a File, or Node's fs.openAsBlob(path)), got ${describe(file)}`);
  }
  checkOptions(fn, options, ["chunkBytes"]);
  const chunk = options?.chunkBytes ?? CHUNK;
  if (!Number.isSafeInteger(chunk) || chunk <= 0 || chunk % 8 !== 0) throw new RangeError(`${fn}: options.chunkBytes must be a positive multiple of 8, got ${describe(chunk)}`);
  return chunk;
}

async function slice(file: Blob, from: number, to: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(await file.slice(from, to).arrayBuffer());
  if (bytes.length !== to - from) throw new RangeError(`the file gave ${bytes.length} bytes at offset ${from}, expected ${to - from} (did it change while it was read?)`);
  return bytes;
}

/** Copies file bytes [from, from + dst.length) into dst, a chunk at a time. */
async function fill(file: Blob, from: number, dst: Uint8Array, chunk: number): Promise<void> {
  for (let at = 0; at < dst.length; at += chunk) dst.set(await slice(file, from + at, from + Math.min(dst.length, at + chunk)), at);
}

/** The loader's errors, named after the function the caller called. */
async function renamed<T>(fn: string, from: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof Error && !e.message.startsWith(`${fn}:`)) e.message = `${fn}: ${e.message.startsWith(`${from}: `) ? e.message.slice(from.length + 2) : e.message}`;
    throw e;
  }
}

/**
 * Reads a `.safetensors` file as {@link loadSafetensors} does — the same tensors, checks and errors —
 * but from a `Blob`, a chunk at a time, each tensor written straight into its buffer: in the
 * kernels' WebAssembly memory where it is shared (Node, Workers, cross-origin-isolated pages), so
 * that {@link generate} and {@link residentParams} read the weights where they are. The whole file is
 * never in memory: a model loaded this way is held once. Each tensor's memory is given back when
 * its array is garbage collected (keep the tensor while you use views of its array).
 * @param file - the file: a browser `File` / `Blob`, or `await fs.openAsBlob(path)` in Node
 * @param options - `chunkBytes`: bytes read at a time (16 MiB)
 * @returns tensors by name, float32 (F16, BF16 and F64 widened as they are read)
 * @throws TypeError for a file that is not a Blob; RangeError as {@link loadSafetensors}
 * @category 20 · Weights
 * @example
 * ```ts
 * const params = gptFromStateDict(await readSafetensors(await openAsBlob("model.safetensors")), config);
 * for (const id of generate(params, prompt, { maxNewTokens: 30 })) process.stdout.write(`${id} `);
 * ```
 */
export async function readSafetensors(file: Blob, options?: ReadWeightsOptions): Promise<Record<string, Tensor>> {
  const fn = "readSafetensors", chunk = checkArgs(fn, file, options);
  return renamed(fn, "loadSafetensors", async () => {
    const n = safetensorsHeaderLength(await slice(file, 0, Math.min(8, file.size)), file.size);
    const { header, dataStart } = readHeader(await slice(file, 0, 8 + n), file.size);
    const entries = safetensorsEntries(header, file.size - dataStart), make = buffers();
    const out: Record<string, Tensor> = {};
    for (const [name, e] of entries) {
      const data = make.floats(e.shape), [begin, end] = e.data_offsets;
      if (e.dtype === "F32") await fill(file, dataStart + begin, new Uint8Array(data.buffer, data.byteOffset, data.length * 4), chunk);
      else {
        const size = (end - begin) / Math.max(1, data.length); // bytes an element
        for (let at = 0; at < end - begin; at += chunk) {
          const bytes = await slice(file, dataStart + begin + at, dataStart + Math.min(end, begin + at + chunk));
          decode(new DataView(bytes.buffer), e, data.subarray(at / size, (at + bytes.length) / size), 0);
        }
      }
      Object.defineProperty(out, name, { value: { data, shape: [...e.shape] }, enumerable: true, writable: true, configurable: true });
    }
    return out;
  });
}

/**
 * Reads a GGUF file as {@link loadGguf} does — the same metadata, tensors, checks and errors — but
 * from a `Blob`: the header first (read again, larger, until it fits), then each tensor a chunk at a
 * time straight into its buffer, in the kernels' WebAssembly memory where it is shared. The whole
 * file is never in memory, so `residentParams(modelFromGguf(await readGguf(file)))` holds the weights
 * once (it copies only the tensors `modelFromGguf` made anew: llama.cpp's Q/K row order undone).
 * Each tensor's memory is given back when its array is garbage collected.
 * @param file - the file: a browser `File` / `Blob`, or `await fs.openAsBlob(path)` in Node
 * @param options - `chunkBytes`: bytes read at a time (16 MiB), and the header's first read
 * @returns `{ version, metadata, tensors }`: F32 tensors as `Tensor`s, the other types as `QuantizedTensor`s, never views of the file
 * @throws TypeError for a file that is not a Blob; RangeError or TypeError as {@link loadGguf}
 * @category 25 · Quantized weights
 * @example
 * ```ts
 * const gguf = await readGguf(await openAsBlob("smollm2-135m-q8_0.gguf"));
 * const model = residentParams(modelFromGguf(gguf)), tokenizer = tokenizerFromGguf(gguf);
 * ```
 */
export async function readGguf(file: Blob, options?: ReadWeightsOptions): Promise<Gguf> {
  const fn = "readGguf", chunk = checkArgs(fn, file, options);
  return renamed(fn, "loadGguf", async () => {
    let length = Math.min(file.size, chunk), head: ReturnType<typeof parseGgufHeader> | null = null;
    while (head === null) {
      try {
        head = parseGgufHeader(await slice(file, 0, length), file.size);
      } catch (e) {
        if (!(e instanceof HeaderNeedsMore)) throw e;
        length = Math.min(file.size, Math.max(2 * length, e.upTo));
      }
    }
    const make = buffers(), tensors: Record<string, Tensor | QuantizedTensor> = {};
    for (const t of head.infos) {
      const from = head.dataStart + t.offset;
      if (t.type === "f32") {
        const data = make.floats(t.shape);
        await fill(file, from, new Uint8Array(data.buffer, data.byteOffset, t.size), chunk);
        tensors[t.name] = { data, shape: t.shape };
      } else {
        const bytes = make.bytes(t.size);
        await fill(file, from, bytes, chunk);
        tensors[t.name] = { type: t.type, shape: t.shape, bytes };
      }
    }
    return { version: head.version, metadata: head.metadata, tensors };
  });
}
