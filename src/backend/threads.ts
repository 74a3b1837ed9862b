/**
 * How many threads the kernels split their work over: {@link setThreads} and {@link threadStatus}
 * over the default backend's {@link ThreadPool} (pool.ts).
 * @module
 */
import { loadDefaultBackend, wasmBackend } from "./index";
import type { WasmBackend } from "./wasm";
import { browserSpawner, nodeSpawner, ThreadPool, type Spawner } from "./pool";

/** The most threads setThreads accepts. */
export const MAX_THREADS = 64;
/** What "auto" uses at most: past four, decode is bound by memory bandwidth and small kernels by dispatch. */
const AUTO_MAX = 4;

let requested: number | "auto" = 1;
let pool: ThreadPool | null = null;
let reason: string | null = null;

/** Cores this process may use (os.availableParallelism in Node, navigator.hardwareConcurrency in a browser, else 1). */
function cores(): number {
  const g = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown }; navigator?: { hardwareConcurrency?: number } };
  const os = g.process?.getBuiltinModule?.("node:os") as { availableParallelism?: () => number; cpus(): unknown[] } | undefined;
  if (os !== undefined) return os.availableParallelism?.() ?? os.cpus().length;
  return Math.max(1, g.navigator?.hardwareConcurrency ?? 1);
}

/** Whether this thread may block in Atomics.wait (not on a page's main thread). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** The threads `n` gives here, with the reason where it gives fewer than asked (or than "auto" would elsewhere). */
function resolve(n: number | "auto", be: WasmBackend | null): { count: number; why: string | null; spawn: Spawner | null } {
  const one = (why: string) => ({ count: 1, why, spawn: null });
  if (n === 1) return { count: 1, why: null, spawn: null };
  if (be === null) return one("no WebAssembly SIMD here: the JavaScript kernels run on one thread");
  if (!be.mem.shared) {
    if (typeof SharedArrayBuffer === "undefined") {
      return one((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false ? "not cross-origin isolated (serve the page with COOP/COEP headers)" : "no SharedArrayBuffer");
    }
    return one("the kernels' memory is not shared");
  }
  if (!canBlock()) return one("main thread of a page (it may not block: run the model in a Worker)");
  const spawn = nodeSpawner() ?? browserSpawner();
  if (spawn === null) return one("no worker threads here (Node 20.16+ or a browser's Worker)");
  const count = n === "auto" ? Math.min(AUTO_MAX, cores()) : n;
  return { count, why: count === 1 ? "one core" : null, spawn };
}

/**
 * Sets how many threads the WebAssembly kernels split their work over: the caller plus `n − 1`
 * worker threads over the kernels' one shared memory. `"auto"` is `min(4, cores)` where threads
 * can run (Node; a Worker of a cross-origin-isolated page) and 1 elsewhere — {@link threadStatus}
 * says why. Workers start at the first kernel that splits, never keep a Node process alive, and
 * are ended by `setThreads(1)`.
 *
 * Results are bitwise identical for every thread count: `linear` splits by output rows (or, for
 * one row, by output columns), attention by heads, softmax by rows — never a sum. Small kernels
 * (under `THREAD_MIN_MACS` multiply-adds) stay on the caller. The calls stay synchronous: the
 * caller runs a slice itself and waits for the rest, which a page's main thread may not do, so there
 * it runs on one thread (run the model in a Worker). If a worker thread ends (killed, crashed), the
 * next kernel that would use it throws; call setThreads again to start new ones.
 * @param n - an integer from 1 to 64, or "auto"
 * @category Kernels
 * @example
 * ```ts
 * setThreads("auto");
 * threadStatus(); // { threads: 2, requested: "auto", cores: 2, workers: 0, workerSlices: 0, reason: null } on a 2-core machine, before the first kernel
 * ```
 */
export function setThreads(n: number | "auto"): void {
  if (n !== "auto" && !(typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= MAX_THREADS)) {
    throw new TypeError(`setThreads: n must be an integer from 1 to ${MAX_THREADS} or "auto", got ${typeof n === "number" ? n : typeof n === "string" ? JSON.stringify(n) : typeof n}`);
  }
  requested = n;
  const be = loadDefaultBackend();
  const { count, why, spawn } = resolve(n, be);
  reason = why;
  if (pool !== null && be !== null && be.threads === pool && pool.threads === count && pool.endedReason === null) return;
  if (pool !== null) {
    if (be !== null && be.threads === pool) be.threads = null;
    pool.close();
    pool = null;
  }
  if (count > 1 && be !== null && spawn !== null) {
    pool = new ThreadPool(be.mem, be.modules, count, spawn);
    be.threads = pool;
  }
}

/** What {@link threadStatus} reports. @category Kernels */
export interface ThreadStatus {
  /** Threads the kernels split over now (1: the caller alone). */
  threads: number;
  /** What {@link setThreads} was given (1 until it is called). */
  requested: number | "auto";
  /** Cores this process may use. */
  cores: number;
  /** Worker threads started (they start at the first kernel that splits). */
  workers: number;
  /** Slices of split kernels the workers have run since they started (the caller runs the rest: a worker still starting takes none). */
  workerSlices: number;
  /** Why fewer threads run than asked ("not cross-origin isolated", "main thread of a page", a worker that ended, …), or null. */
  reason: string | null;
}

/**
 * How many threads the kernels split over, what was asked, the cores, the workers started, and why
 * fewer run than asked where they do.
 * @category Kernels
 * @example
 * ```ts
 * threadStatus(); // { threads: 1, requested: 1, cores: 2, workers: 0, workerSlices: 0, reason: null }
 * ```
 */
export function threadStatus(): ThreadStatus {
  const on = wasmBackend() !== null;
  const ended = pool?.endedReason ?? null;
  return {
    threads: on && pool !== null ? pool.threads : 1,
    requested,
    cores: cores(),
    workers: pool?.workerCount ?? 0,
    workerSlices: pool?.workerSlices ?? 0,
    reason: ended !== null ? `a worker thread ${ended}` : !on && pool !== null ? "the JavaScript kernels run (useWasm(false)): threads split the WebAssembly ones" : reason,
  };
}

/** The default backend's pool (tests: to end a worker as if it had died). */
export function currentPool(): ThreadPool | null {
  return pool;
}
