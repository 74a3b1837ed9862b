/**
 * Residency: the buffers a session (one generation) keeps for its whole life — its weights, KV
 * cache and activations — made by the backend it runs on, and released together when it ends.
 * @module
 */
import type { WasmBackend } from "./wasm";

/** A residency asked for more than the kernels' memory can hold (2 GiB at most). */
export class KernelMemoryFull extends RangeError {}

/** Buffers owned together and released together (see {@link residency}). */
export interface Residency {
  /** A zeroed buffer of n floats. */
  floats(n: number): Float32Array;
  /** A copy of src. */
  copy(src: Float32Array): Float32Array;
  /** A copy of a weight matrix `[N, K]` that the linear kernel reads without copying it again. */
  matrix(src: Float32Array, N: number, K: number): Float32Array;
  /**
   * A weight matrix `[N, K]` for this backend's kernels only: kept as matmulPacked's panels where it
   * can be (shared memory, K a multiple of 4, N of 8), so that no product packs it again; else as {@link matrix}.
   */
  panels(src: Float32Array, N: number, K: number): Float32Array;
  /** A copy of a stored weight's bytes (a QuantizedTensor's), which the block kernels read where it is. */
  bytes(src: Uint8Array): Uint8Array;
  /** A zeroed weight matrix `[N, K]` to be filled, laid out as {@link matrix}'s copy (a loader writes a file's tensor straight into it). */
  emptyMatrix(N: number, K: number): Float32Array;
  /** n zeroed bytes to be filled with a stored weight's, laid out as {@link bytes}'s copy. */
  emptyBytes(n: number): Uint8Array;
  /** Gives every buffer back (the arrays must not be used after). Idempotent. */
  release(): void;
}

/** Residency in JavaScript arrays: where WebAssembly is off or missing. */
class JsResidency implements Residency {
  floats(n: number): Float32Array { return new Float32Array(n); }
  copy(src: Float32Array): Float32Array { return src.slice(); }
  matrix(src: Float32Array): Float32Array { return src.slice(); }
  panels(src: Float32Array): Float32Array { return src.slice(); }
  bytes(src: Uint8Array): Uint8Array { return src.slice(); }
  emptyMatrix(N: number, K: number): Float32Array { return new Float32Array(N * K); }
  emptyBytes(n: number): Uint8Array { return new Uint8Array(n); }
  release(): void {}
}

/**
 * Residency in the kernels' memory. Shared memory: every buffer is a view into it. Unshared memory
 * (growing it would detach views): buffers are JavaScript arrays, and each weight matrix also gets a
 * padded copy in a region of its own that linear finds by the array.
 */
class WasmResidency implements Residency {
  /** Whether the buffers are views into the kernels' memory, read and written there with no copy. */
  private readonly inPlace: boolean;
  private regions: number[] = [];
  private matrices: Float32Array[] = [];
  private released = false;

  constructor(private readonly backend: WasmBackend) {
    this.inPlace = backend.mem.shared;
  }

  private region(bytes: number): number {
    if (this.released) throw new Error("Residency: used after release()");
    const at = this.backend.mem.alloc(bytes);
    if (at < 0) throw new KernelMemoryFull(`Residency: ${bytes} more bytes do not fit in WebAssembly memory (${this.backend.mem.bytes} bytes now, 2 GiB at most)`);
    this.regions.push(at);
    return at;
  }

  floats(n: number): Float32Array {
    if (!this.inPlace) return new Float32Array(n);
    const view = this.backend.mem.view(this.region(n * 4), n);
    view.fill(0);
    return view;
  }

  copy(src: Float32Array): Float32Array {
    if (!this.inPlace) return src.slice();
    const view = this.floats(src.length);
    view.set(src);
    this.backend.mem.copiedBytes += src.byteLength;
    return view;
  }

  matrix(src: Float32Array, N: number, K: number): Float32Array {
    const Kp = (K + 3) & ~3, Np = (N + 7) & ~7;
    if (this.inPlace) {
      const view = this.emptyMatrix(N, K);
      view.set(src);
      this.backend.mem.copiedBytes += src.byteLength;
      return view;
    }
    const copy = src.slice();
    const at = this.region(Np * Kp * 4) / 4, f = this.backend.mem.f32;
    for (let r = 0; r < N; r++) {
      f.set(copy.subarray(r * K, (r + 1) * K), at + r * Kp);
      f.fill(0, at + r * Kp + K, at + (r + 1) * Kp);
    }
    f.fill(0, at + N * Kp, at + Np * Kp);
    this.backend.mem.copiedBytes += src.byteLength;
    this.backend.residentMatrices.set(copy, { offset: at, N, K });
    this.matrices.push(copy);
    return copy;
  }

  panels(src: Float32Array, N: number, K: number): Float32Array {
    if (!this.inPlace || K % 4 !== 0 || N % 8 !== 0 || N * K === 0) return this.matrix(src, N, K);
    const view = this.backend.mem.view(this.region(N * K * 4), N * K);
    if (!this.backend.keepPanels(view, src, N, K)) return this.matrix(src, N, K);
    return view;
  }

  bytes(src: Uint8Array): Uint8Array {
    if (!this.inPlace) return src.slice();
    const view = this.emptyBytes(src.length);
    view.set(src);
    this.backend.mem.copiedBytes += src.length;
    return view;
  }

  emptyMatrix(N: number, K: number): Float32Array {
    if (!this.inPlace) return new Float32Array(N * K); // unshared: the caller's array, copied by matrix() where a generation needs it
    const Np = (N + 7) & ~7; // rows up to Np exist (zeros) for the kernels that read four or eight rows at a time
    const padded = this.backend.mem.view(this.region(Np * K * 4), Np * K), view = padded.subarray(0, N * K);
    padded.fill(0);
    this.backend.paddedViews.add(view);
    return view;
  }

  emptyBytes(n: number): Uint8Array {
    if (!this.inPlace) return new Uint8Array(n);
    const view = this.backend.mem.bytesView(this.region(n + 16), n); // 16: a v128 load may run past the last block
    view.fill(0);
    return view;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    for (const m of this.matrices) this.backend.residentMatrices.delete(m);
    for (const at of this.regions) this.backend.mem.release(at);
    this.regions = [];
    this.matrices = [];
  }
}

/** A maker of zeroed binary16 buffers in the residency (JavaScript arrays without one): a KV cache in f16. */
export function halvesIn(res: Residency | null): (n: number) => Uint16Array {
  if (res === null) return (n) => new Uint16Array(n);
  return (n) => {
    const f = res.floats(Math.ceil(n / 2));
    return new Uint16Array(f.buffer, f.byteOffset, n);
  };
}

/** A residency on this backend (null: JavaScript arrays). */
export function createResidency(backend: WasmBackend | null): Residency {
  return backend === null ? new JsResidency() : new WasmResidency(backend);
}
