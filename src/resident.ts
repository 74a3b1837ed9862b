/**
 * Model weights kept in the kernels' WebAssembly memory, so that they are held once: `generate`
 * (and every linear) reads them where they are instead of copying them.
 * @module
 */
import { residency, wasmBackend } from "./backend/index";
import type { Residency } from "./backend/resident";
import { snapshotParams } from "./internal/snapshot";

/** Releases a residency once every view it handed out has been garbage collected. */
const finalizer = typeof FinalizationRegistry === "function"
  ? new FinalizationRegistry<{ views: number; release(): void }>((owner) => { if (--owner.views === 0) owner.release(); })
  : null;

/** Whether residencies can be released with their views (see {@link releaseWithViews}). */
export const canReleaseWithViews = finalizer !== null;

/** Arrays in the kernels' memory that live as long as they are reachable (their residency released with them). */
const ownedViews = new WeakSet<ArrayBufferView>();

/** Gives res's memory back once every one of `views` has been garbage collected (at once when there are none). */
export function releaseWithViews(res: Residency, views: readonly ArrayBufferView[]): void {
  if (views.length === 0) return res.release();
  if (finalizer === null) return;
  const owner = { views: views.length, release: () => res.release() };
  for (const view of views) {
    finalizer.register(view, owner);
    ownedViews.add(view);
  }
}

/**
 * A copy of a model's parameters whose tensors live in the kernels' WebAssembly memory, where that
 * memory is shared (Node, Workers, cross-origin-isolated pages): `generate` then reads the weights
 * where they are rather than snapshotting them, so a model is held once while it generates — let
 * go of the original (e.g. `residentParams(gptFromStateDict(loadSafetensors(bytes)))`, the bytes
 * dropped) and it is garbage. The memory is given back when the last of the returned tensors is
 * garbage collected (`wasmStatus().residentBytes` shows it). Because `generate` does not copy them,
 * do not change these tensors while a generation over them runs. Tensors already resident (an earlier
 * `residentParams`' own, or read there by {@link readGguf} or {@link readSafetensors}) are kept as
 * they are, not copied again. Elsewhere (unshared memory, or after `useWasm(false)`) it returns
 * `params` itself.
 * @param params - a model's parameters ({@link GptParams}, {@link LlamaParams}, or any tree of tensors)
 * @returns the same tree, every `Float32Array` (and every QuantizedTensor's bytes) copied into the kernels' memory
 * @category Kernels
 * @example
 * ```ts
 * const model = residentParams(gptFromStateDict(loadSafetensors(bytes), GPT2_CONFIGS.small));
 * for (const id of generate(model, prompt, { maxNewTokens: 30, temperature: 0 })) process.stdout.write(`${id} `);
 * ```
 */
export function residentParams<P extends object>(params: P): P {
  const be = wasmBackend();
  if (be === null || !be.mem.shared || finalizer === null) return params;
  const res = residency();
  const isOwned = (a: ArrayBufferView) => ownedViews.has(a); // resident already (residentParams' own, or read there by readSafetensors or readGguf): kept, not copied
  const copy = snapshotParams(params, res, false, isOwned);
  const views: ArrayBufferView[] = [];
  forEachFloat32(copy, (view) => { if (!isOwned(view) && be.mem.holds(view)) views.push(view); });
  releaseWithViews(res, views);
  return copy;
}

/**
 * A maker of zeroed float32 buffers that live in the kernels' memory where it is shared (the kernels
 * then read and write them where they are: a training step's activations, gradients and moments),
 * else plain arrays. Call `done()` once every buffer is made: their memory comes back when the last
 * of them has been garbage collected.
 */
export function residentBuffers(): { floats(n: number): Float32Array; done(): void } {
  const be = wasmBackend();
  if (be === null || !be.mem.shared || finalizer === null) return { floats: (n) => new Float32Array(n), done() {} };
  const res = residency(), views: Float32Array[] = [];
  return {
    floats(n) {
      const view = res.floats(n);
      views.push(view);
      return view;
    },
    done: () => releaseWithViews(res, views),
  };
}

/** Whether every `Float32Array` (and stored weight's bytes) of params lives in the kernels' memory (what {@link residentParams} returns). */
export function isResidentParams(params: object): boolean {
  const be = wasmBackend();
  if (be === null) return false;
  let all = true, any = false;
  forEachFloat32(params, (a) => {
    any = true;
    all &&= be.mem.holds(a);
  });
  return all && any;
}

/** Calls fn with every Float32Array of a tree of tensors (objects and arrays), and every stored weight's bytes. */
function forEachFloat32(value: unknown, fn: (a: Float32Array | Uint8Array) => void): void {
  if (value instanceof Float32Array || value instanceof Uint8Array) fn(value);
  else if (Array.isArray(value)) for (const v of value) forEachFloat32(v, fn);
  else if (value !== null && typeof value === "object" && !ArrayBuffer.isView(value)) for (const v of Object.values(value)) forEachFloat32(v, fn);
}
