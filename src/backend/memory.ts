/**
 * The one memory the WebAssembly kernels work in: a `WebAssembly.Memory` the module imports,
 * shared where the engine allows it (Node, Workers and cross-origin-isolated pages: what threads
 * need) and unshared elsewhere, with an allocator of 64-byte-aligned regions in it.
 *
 * Growing a shared memory leaves every view into it valid, so buffers handed out as `Float32Array`
 * views (a session's weights, KV cache and activations) are read and written by the kernels where
 * they are, with no copy. Growing an unshared one detaches every view, so there the backend hands
 * out no views: it keeps regions it addresses by offset, and copies what lives in JavaScript.
 * @module
 */

/** The little of the WebAssembly API used here (the library's TypeScript lib has no DOM types). */
export interface WasmMemory { readonly buffer: ArrayBufferLike; grow(pages: number): number }
interface MemoryApi { Memory: new (d: { initial: number; maximum: number; shared?: boolean }) => WasmMemory }

const PAGE = 65536;
/** The most pages: byte offsets stay positive 32-bit integers (2 GiB). */
export const MAX_PAGES = 32768;
/** Every region starts on this many bytes; offset 0 is never a region (a null pointer stays null). */
const ALIGN = 64;

/** A memory for the kernels, or null where WebAssembly has none to give (shared: null where sharing is not allowed). */
export function createWasmMemory(shared: boolean, maxPages = MAX_PAGES): WasmMemory | null {
  const api = (globalThis as { WebAssembly?: MemoryApi }).WebAssembly;
  if (api === undefined) return null;
  if (shared && typeof SharedArrayBuffer === "undefined") return null; // a page that is not cross-origin isolated
  try {
    return new api.Memory({ initial: 1, maximum: maxPages, shared });
  } catch {
    return null;
  }
}

/**
 * The kernels' memory and its allocator: regions are taken with {@link KernelMemory.alloc} and given back with
 * {@link KernelMemory.free} (first fit over a list of free ranges, merged when neighbours are freed).
 */
export class KernelMemory {
  readonly shared: boolean;
  /** Bytes copied between JavaScript arrays and this memory by the kernels, in and out. */
  copiedBytes = 0;
  private heapF32: Float32Array;
  private readonly buffers = new WeakSet<ArrayBufferLike>(); // every buffer object the memory has had (shared: each growth makes one)
  private readonly live = new Map<number, number>(); // region offset → bytes
  private free: { at: number; bytes: number }[] = [];
  private top = ALIGN; // the end of the highest region

  constructor(readonly memory: WasmMemory) {
    this.shared = typeof SharedArrayBuffer !== "undefined" && memory.buffer instanceof SharedArrayBuffer;
    this.heapF32 = new Float32Array(memory.buffer);
    this.buffers.add(memory.buffer);
  }

  /** The whole memory as floats (a new view after growth). */
  get f32(): Float32Array {
    if (this.heapF32.buffer !== this.memory.buffer) this.heapF32 = new Float32Array(this.buffer());
    return this.heapF32;
  }

  /** The memory's buffer now, remembered as one of its own (every view is made on one of these). */
  private buffer(): ArrayBufferLike {
    const b = this.memory.buffer;
    this.buffers.add(b);
    return b;
  }

  /** The memory's size in bytes. */
  get bytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** Bytes in regions now allocated. */
  get allocatedBytes(): number {
    let n = 0;
    for (const b of this.live.values()) n += b;
    return n;
  }

  /** The size of the region at `at` (0 if there is none). */
  sizeOf(at: number): number {
    return this.live.get(at) ?? 0;
  }

  /** Whether `a` is a view into this memory, so the kernels can read and write it where it is. */
  holds(a: ArrayBufferView): boolean {
    return this.shared && this.buffers.has(a.buffer);
  }

  /**
   * A region of at least `bytes` bytes (its byte offset), growing the memory if need be; -1 if it
   * cannot grow that far. Its contents are not cleared.
   */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    for (let i = 0; i < this.free.length; i++) {
      const r = this.free[i];
      if (r.bytes < size) continue;
      const at = r.at;
      if (r.bytes === size) this.free.splice(i, 1);
      else { r.at += size; r.bytes -= size; }
      this.live.set(at, size);
      return at;
    }
    const at = this.top;
    if (!this.ensure(at + size)) return -1;
    this.top = at + size;
    this.live.set(at, size);
    return at;
  }

  /**
   * The region at `at` made at least `bytes` long: in place when it is the highest region (the
   * memory grows under it), else moved to a new region (its contents are not kept). -1 if it
   * cannot (the region is then given back).
   */
  resize(at: number, bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN), had = this.live.get(at);
    if (had === undefined) throw new Error(`KernelMemory: no region at ${at}`);
    if (size <= had) return at;
    if (at + had === this.top && this.ensure(at + size)) {
      this.top = at + size;
      this.live.set(at, size);
      return at;
    }
    this.release(at);
    return this.alloc(bytes);
  }

  /** Gives a region back (its offset as {@link alloc} returned it). */
  release(at: number): void {
    const size = this.live.get(at);
    if (size === undefined) throw new Error(`KernelMemory: no region at ${at}`);
    this.live.delete(at);
    if (at + size === this.top) {
      this.top = at;
      // the free range now at the top goes back to the top too
      const last = this.free[this.free.length - 1];
      if (last !== undefined && last.at + last.bytes === this.top) {
        this.top = last.at;
        this.free.pop();
      }
      return;
    }
    let i = 0;
    while (i < this.free.length && this.free[i].at < at) i++;
    this.free.splice(i, 0, { at, bytes: size });
    const next = this.free[i + 1];
    if (next !== undefined && at + size === next.at) {
      this.free[i].bytes += next.bytes;
      this.free.splice(i + 1, 1);
    }
    const prev = this.free[i - 1];
    if (prev !== undefined && prev.at + prev.bytes === at) {
      prev.bytes += this.free[i].bytes;
      this.free.splice(i, 1);
    }
  }

  /** Grows the memory to hold `end` bytes; false if it cannot. */
  private ensure(end: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return true;
    const pages = Math.ceil((end - have) / PAGE);
    if (have / PAGE + pages > MAX_PAGES) return false;
    try {
      this.memory.grow(pages);
    } catch {
      return false;
    }
    return true;
  }

  /** A Float32Array view of `floats` floats at byte offset `at` (valid until the memory grows, where it is not shared). */
  view(at: number, floats: number): Float32Array {
    return new Float32Array(this.buffer(), at, floats);
  }

  /** A byte view of n bytes at byte offset at. */
  bytesView(at: number, n: number): Uint8Array {
    return new Uint8Array(this.buffer(), at, n);
  }
}
