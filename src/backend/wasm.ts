/**
 * The WebAssembly SIMD backend: the module (module.ts) over one memory (memory.ts), with the
 * scratch and the copies its op entry points (ops.ts) share.
 *
 * An operand that is already a view into the memory (a session's weights, KV cache and
 * activations, where the memory is shared) is read or written where it is: nothing is copied. Any
 * other operand is copied into a scratch region (zero-padded to the kernel's tile sizes) and the
 * result copied out; {@link KernelMemory.copiedBytes} counts those copies. Where the memory is not
 * shared, a {@link Residency} keeps its weight matrices in regions of their own, found by their
 * arrays (see resident.ts), so they are not copied per call either.
 * @module
 */
import { KernelMemory } from "./memory";
import type { KernelExports } from "./module";

/** A weight matrix `[N, K]` kept in a region of its own, rows padded to Kp = K rounded up to 4, and zero rows up to N rounded up to 8. */
export interface ResidentMatrix { readonly offset: number; readonly N: number; readonly K: number }

/** What an attention call computes, beyond its arrays (the record the 17 positional numbers became). */
export interface AttentionDims {
  /** Heads (batch × query heads). */
  readonly BH: number;
  /** Query rows per head. */
  readonly T: number;
  /** Keys seen per head. */
  readonly S: number;
  /** Query/key width and value width. */
  readonly D: number;
  readonly Dv: number;
  /** The factor on q·k (usually 1/√D). */
  readonly scale: number;
  /** Query row t sees keys up to S − T + t. */
  readonly causal: boolean;
  /** Rows per head in the k and v arrays (a KV cache's capacity; the first S are used). */
  readonly kvRows: number;
  /** Query heads per k/v head (grouped-query attention), a sliding window (0: none), ALiBi slopes. */
  readonly group: number;
  readonly window: number;
  readonly slopes: Float32Array | null;
}

/**
 * Weight matrices a residency keeps as matmulPacked's panels `[N/8][K][8]` (a generation's own
 * snapshot: not `[N, K]` any more, so only this backend's kernels may read them), by their views.
 */
const panelViews = new WeakMap<Float32Array, { readonly backend: WasmBackend; readonly N: number; readonly K: number }>();

/** The backend whose panels these are (see {@link WasmBackend.keepPanels}), or undefined for an ordinary array. */
export function panelsOwner(w: Float32Array): WasmBackend | undefined {
  return panelViews.get(w)?.backend;
}

/**
 * Splits a kernel's work over threads (pool.ts). A backend without one (the default: one thread)
 * runs every kernel on the caller.
 */
export interface KernelThreads {
  /** The most slices a split kernel is cut into (a few per thread: see pool.ts); per-slice scratch is sized for this many. */
  readonly slices: number;
  /** Bytes of the kernels' memory the threads hold for themselves (their control block). */
  readonly heldBytes: number;
  /** Work (multiply-adds) from which a kernel is split (THREAD_MIN_MACS; tests set 0 to split every kernel). */
  minWork: number;
  /**
   * `name`(args) over items [0, total) cut into slices on multiples of `align`: one call per slice,
   * with args + lo·perItem + slice·perSlice and args[count] = its number of items. `work` (its
   * multiply-adds) decides how many slices: one per thread for a small job, more for a big one.
   */
  range(name: string, args: ArrayLike<number>, perItem: ArrayLike<number>, perSlice: ArrayLike<number> | null, count: number, total: number, align: number, work: number): void;
  /** `name` once per item (item i's `n` args at items[i·n …]), the items cut into slices, perSlice added to each slice's calls. */
  each(name: string, n: number, items: ArrayLike<number>, total: number, perSlice: ArrayLike<number> | null, work: number): void;
  /** A module whose exports the workers need too (the block formats' module, made on first use). */
  addModule(module: object, exports: object): void;
}

/** Training's copies: memcpy (a subarray view) above this many floats. */
export const BIG = 256;
/**
 * Element-wise kernels stream through WebAssembly memory in chunks of this many floats (a multiple
 * of 4), in place: the chunk stays in the core's cache between the copy in, the kernel and the copy out.
 */
export const CHUNK = 32768;

/** The WebAssembly SIMD backend over one memory. */
export class WasmBackend {
  private scratchAt = 0;
  private scratchBytes = 0;
  private zerosAt = 0;
  private zerosFloats = 0;
  /** Weight matrices a residency keeps in regions of their own (where views cannot be handed out). */
  readonly residentMatrices = new WeakMap<Float32Array, ResidentMatrix>();

  /** The threads the kernels split their work over (null: one thread; see setThreads). */
  threads: KernelThreads | null = null;

  /** The compiled modules over this memory and their exports here: what worker threads instantiate too. */
  readonly modules: { readonly module: object; readonly exports: object }[] = [];

  /** @param module - the compiled kernel module */
  constructor(readonly mem: KernelMemory, readonly exports: KernelExports, readonly fused: boolean, module: object) {
    this.modules.push({ module, exports });
  }

  /** Another module over this memory (the block formats' kernels, made on first use), for the threads too. */
  addModule(module: object, exports: object): void {
    this.modules.push({ module, exports });
    this.threads?.addModule(module, exports);
  }

  /** A scratch region of at least `bytes` bytes, as a float index (-1 if the memory cannot hold it); valid until the next call. */
  scratch(bytes: number): number {
    if (bytes > this.scratchBytes) {
      const size = Math.max(bytes, 65536);
      const at = this.scratchAt === 0 ? this.mem.alloc(size) : this.mem.resize(this.scratchAt, size);
      this.scratchAt = at < 0 ? 0 : at;
      this.scratchBytes = at < 0 ? 0 : size;
      if (at < 0) return -1;
    }
    return this.scratchAt / 4;
  }

  /**
   * Marks a view (`N·K` floats at a region of this memory) as holding a weight `[N, K]` packed as
   * panels (K a multiple of 4, N of 8), written there from `src` by packRows.
   */
  keepPanels(view: Float32Array, src: Float32Array, N: number, K: number): boolean {
    const stage = this.scratch(N * K * 4);
    if (stage < 0) return false;
    this.copy(this.mem.f32, stage, src, 0, N * K, 0);
    this.exports.packRows(stage * 4, view.byteOffset, N, K, 8);
    panelViews.set(view, { backend: this, N, K });
    return true;
  }

  /** Bytes of memory this backend holds for its own use (scratch, zeros, the threads' control block), not for any session. */
  scratchHeld(): number {
    return this.mem.sizeOf(this.scratchAt) + this.mem.sizeOf(this.zerosAt) + (this.threads?.heldBytes ?? 0);
  }

  /** `n` zeros in memory (a float index): the bias of a product without one. */
  zeros(n: number): number {
    if (n > this.zerosFloats) {
      if (this.zerosAt !== 0) this.mem.release(this.zerosAt);
      const at = this.mem.alloc(n * 4);
      if (at < 0) { this.zerosAt = 0; this.zerosFloats = 0; return -1; }
      this.zerosAt = at;
      this.zerosFloats = n;
      this.mem.f32.fill(0, at / 4, at / 4 + n);
    }
    return this.zerosAt / 4;
  }

  /** dst[at…] = src[from…from+n], counted when it crosses between JavaScript and this memory. */
  copy(dst: Float32Array, at: number, src: Float32Array, from: number, n: number, loopUpTo = 65536): void {
    if (!this.mem.holds(dst) || !this.mem.holds(src)) this.mem.copiedBytes += n * 4;
    if (n > loopUpTo) dst.set(src.subarray(from, from + n), at);
    else for (let i = 0; i < n; i++) dst[at + i] = src[from + i];
  }

  /** Copies `rows` rows of K floats to f[at…], each padded to Kp with zeros, then zero rows up to paddedRows. */
  placeRows(f: Float32Array, src: Float32Array, rows: number, paddedRows: number, K: number, Kp: number, at: number, loopUpTo = 65536): void {
    if (Kp === K) this.copy(f, at, src, 0, rows * K, loopUpTo);
    else for (let r = 0; r < rows; r++) {
      this.copy(f, at + r * Kp, src, r * K, K, loopUpTo);
      f.fill(0, at + r * Kp + K, at + (r + 1) * Kp);
    }
    f.fill(0, at + rows * Kp, at + paddedRows * Kp);
  }

  /** dst [rows, K] = the first K columns of src's rows of Kp floats from `from` (placeRows' inverse). */
  takeRows(dst: Float32Array, src: Float32Array, from: number, rows: number, K: number, Kp: number, loopUpTo = BIG): void {
    if (Kp === K) this.copy(dst, 0, src, from, rows * K, loopUpTo);
    else for (let r = 0; r < rows; r++) this.copy(dst, r * K, src, from + r * Kp, K, loopUpTo);
  }

  /** Views of weight matrices a residency made with zero rows after them up to a multiple of 8 rows. */
  readonly paddedViews = new WeakSet<Float32Array>();

  /**
   * Where a weight matrix can be read without a copy (a float index, its row length), and whether
   * rows up to a multiple of 8 exist there (so a kernel may read a whole panel), or null.
   */
  weightAt(w: Float32Array, N: number, K: number): { at: number; Kp: number; rows8: boolean; panels: boolean } | null {
    const p = panelViews.get(w);
    if (p !== undefined) return p.backend === this && p.N === N && p.K === K ? { at: w.byteOffset / 4, Kp: K, rows8: true, panels: true } : null;
    if (K % 4 === 0 && w.length >= N * K && this.mem.holds(w)) {
      // the dot-product kernels read rows up to a multiple of 4, the packing up to 8: a view whose rows stop at N serves only where they need no more
      const padded = this.paddedViews.has(w);
      if (N % 4 !== 0 && !padded) return null;
      return { at: w.byteOffset / 4, Kp: K, rows8: N % 8 === 0 || padded, panels: false };
    }
    const r = this.residentMatrices.get(w);
    return r !== undefined && r.N === N && r.K === K ? { at: r.offset, Kp: (K + 3) & ~3, rows8: true, panels: false } : null;
  }

  /** Whether linear finds this weight in memory (so even one row runs here). */
  hasWeight(w: Float32Array, N: number, K: number): boolean {
    return this.weightAt(w, N, K) !== null;
  }

}
