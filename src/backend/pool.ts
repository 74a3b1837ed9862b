/**
 * A pool of threads over a backend's shared memory: the caller plus `n − 1` workers (Node
 * `worker_threads` or a page's `Worker`s), each with its own instance of the backend's modules over
 * the one memory, so a kernel's slice on a worker reads and writes the caller's buffers in place.
 *
 * A job (one kernel call split into slices, a few per thread) is written into a control block in that memory,
 * in one of two slots chosen by the job's parity. The caller then publishes it: DONE = 0, CLAIM =
 * the job's id with slice 0, GEN = the job's number (and wakes the workers that sleep on GEN).
 * Every thread, the caller included, claims slices by compare-and-swap on CLAIM until none is
 * left, runs each and counts it in DONE; the caller returns once every slice is counted. A claim names its job,
 * so a worker that wakes late never runs a slice of the next one, and a worker that has not
 * started yet (workers start asynchronously) or is descheduled simply claims nothing: the caller
 * runs its slice. How the work is cut does not depend on who runs it, so the result is the same
 * bit for bit whoever does.
 *
 * Workers spin on GEN for a fraction of a millisecond after a job (the gaps between a
 * generation step's kernels are shorter), then sleep in `Atomics.wait`. They never keep a Node
 * process alive (`unref`); one that ends is reported, and the next call throws.
 * @module
 */
import type { KernelMemory } from "./memory";
import type { KernelThreads } from "./wasm";
import { THREAD_MIN_MACS } from "./thresholds";

type Kernel = (...args: number[]) => void;

/** What a worker is given: the memory, the modules to instantiate over it, where the control block is, the kernels' names by index. */
interface WorkerInit {
  memory: object;
  modules: object[];
  control: number;
  names: string[];
  spinMs: number;
  /** Which roster of workers this one belongs to: a worker whose roster is no longer the control block's claims nothing and ends. */
  roster: number;
}

/**
 * The code every thread runs, caller and workers alike: one function with no reference outside
 * itself, so that its text (`String(threadRuntime)`) is a worker's whole script, in Node, in a
 * browser, bundled or not.
 */
function threadRuntime() {
  // Int32 slots of the control block, then two job slots of float64s from byte 64
  const GEN = 0, CLAIM = 1, DONE = 2, SLEEPERS = 3, FAULT = 4, WORKED = 5, ROSTER = 6, INTS = 16;
  const SLOT = 8192, ARGS = 8, PER_ITEM = 24, PER_SLICE = 40, ITEMS = 56, MAX_ARGS = 16;
  const KIND_RANGE = 0, KIND_EACH = 1;
  const STALE = "stale";

  /** Where slice t of `slices` begins: an even share of the items, on a multiple of `align`. */
  function bound(total: number, align: number, slices: number, t: number): number {
    return t >= slices ? total : Math.min(total, Math.floor(Math.floor((total * t) / slices) / align) * align);
  }

  function runSlice(f: Float64Array, base: number, s: number, fns: Kernel[], a: number[]): void {
    const fn = fns[f[base]], kind = f[base + 1], total = f[base + 2], align = f[base + 3];
    const n = f[base + 4], count = f[base + 5], slices = f[base + 6];
    const lo = bound(total, align, slices, s), hi = bound(total, align, slices, s + 1);
    a.length = n;
    if (kind === KIND_RANGE) {
      if (hi <= lo) return;
      for (let j = 0; j < n; j++) a[j] = f[base + ARGS + j] + lo * f[base + PER_ITEM + j] + s * f[base + PER_SLICE + j];
      a[count] = hi - lo;
      fn.apply(null, a);
    } else {
      for (let i = lo; i < hi; i++) {
        for (let j = 0; j < n; j++) a[j] = f[base + ITEMS + i * n + j] + s * f[base + PER_SLICE + j];
        fn.apply(null, a);
      }
    }
  }

  /**
   * Claims and runs slices of job `gen` until none is left; returns the first error a slice threw
   * (also flagged in FAULT). A worker passes its roster number: it counts its slices in WORKED, and
   * claims nothing once the pool's roster has moved on (it is being replaced: return value STALE).
   */
  function runSlices(c: Int32Array, f: Float64Array, fns: Kernel[], gen: number, a: number[], roster: number): unknown {
    const id = gen & 0xfffff, base = (gen & 1) * SLOT, worker = roster !== 0;
    let error: unknown = null;
    for (;;) {
      if (worker && Atomics.load(c, ROSTER) !== roster) return STALE;
      const w = Atomics.load(c, CLAIM);
      if (w >>> 12 !== id) return error;
      const s = w & 0xfff;
      if (s >= f[base + 6]) return error;
      if (Atomics.compareExchange(c, CLAIM, w, w + 1) !== w) continue;
      try {
        runSlice(f, base, s, fns, a);
      } catch (e) {
        error ??= e;
        Atomics.store(c, FAULT, 1);
      }
      if (worker) Atomics.add(c, WORKED, 1);
      if (Atomics.add(c, DONE, 1) + 1 === f[base + 6]) Atomics.notify(c, DONE);
    }
  }

  /** A worker's life: instantiate the modules over the memory, then run the jobs it can claim, forever. */
  function workerLoop(init: WorkerInit): void {
    const exports: Record<string, Kernel> = {};
    const api = (globalThis as unknown as { WebAssembly: { Instance: new (m: object, i: object) => { exports: object } } }).WebAssembly;
    for (const m of init.modules) Object.assign(exports, new api.Instance(m, { env: { memory: init.memory } }).exports);
    const fns = init.names.map((name) => exports[name]);
    const buffer = (init.memory as { buffer: ArrayBufferLike }).buffer;
    const c = new Int32Array(buffer, init.control, INTS), f = new Float64Array(buffer, init.control + INTS * 4, 2 * SLOT);
    const a: number[] = [];
    let seen = Atomics.load(c, GEN);
    for (;;) {
      if (runSlices(c, f, fns, seen, a, init.roster) === STALE) return; // replaced: end, claiming nothing more
      const until = performance.now() + init.spinMs;
      let g: number;
      for (let spin = 0; (g = Atomics.load(c, GEN)) === seen; spin++) {
        if ((spin & 1023) === 1023 && performance.now() > until) {
          Atomics.add(c, SLEEPERS, 1);
          Atomics.wait(c, GEN, seen);
          Atomics.sub(c, SLEEPERS, 1);
        }
      }
      seen = g;
    }
  }

  return {
    runSlices, workerLoop,
    layout: { GEN, CLAIM, DONE, SLEEPERS, FAULT, WORKED, ROSTER, INTS, SLOT, ARGS, PER_ITEM, PER_SLICE, ITEMS, MAX_ARGS, KIND_RANGE, KIND_EACH },
  };
}

/** A started worker, whichever API made it. */
interface WorkerHandle {
  /** Ends it without reporting (the pool is being closed or remade). */
  close(): void;
  /** Ends it as if it had died (tests: the next call must throw). */
  kill(): void;
}

/** Starts a worker running `script` with `init`; `onEnd` is called if it ends on its own (an error, an exit). */
export type Spawner = (script: string, init: WorkerInit, onEnd: (why: string) => void) => WorkerHandle;

interface NodeWorker {
  unref(): void;
  on(event: string, fn: (v: unknown) => void): void;
  removeAllListeners(event: string): void;
  terminate(): Promise<number>;
}

/** Node's worker_threads, reached without an import a bundler would follow (process.getBuiltinModule: Node 20.16+), or null. */
export function nodeSpawner(): Spawner | null {
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  if (typeof get !== "function") return null;
  const wt = get("node:worker_threads") as { Worker: new (code: string, o: object) => NodeWorker } | undefined;
  if (wt === undefined) return null;
  return (script, init, onEnd) => {
    const code = `const rt = (${script})(); rt.workerLoop(process.getBuiltinModule("node:worker_threads").workerData);`;
    const w = new wt.Worker(code, { eval: true, workerData: init });
    w.unref();
    w.on("error", (e) => onEnd(`failed: ${e instanceof Error ? e.message : String(e)}`));
    w.on("exit", (code) => onEnd(`exited with code ${String(code)}`));
    return {
      close() {
        w.removeAllListeners("error");
        w.removeAllListeners("exit");
        w.on("error", () => {}); // an error still on its way must not become an uncaught one
        void w.terminate();
      },
      kill() { void w.terminate(); },
    };
  };
}

interface PageWorker { postMessage(m: unknown): void; terminate(): void; onerror: ((e: { message?: string }) => void) | null }

/** A page's (or a Worker's) `Worker`, its script a blob URL, or null where there is none. */
export function browserSpawner(): Spawner | null {
  const g = globalThis as { Worker?: new (url: string) => PageWorker; Blob?: new (parts: string[], o: object) => object; URL?: { createObjectURL(b: object): string } };
  if (g.Worker === undefined || g.Blob === undefined || g.URL?.createObjectURL === undefined) return null;
  const Worker = g.Worker, Blob = g.Blob, URL = g.URL;
  let url: string | undefined;
  return (script, init, onEnd) => {
    url ??= URL.createObjectURL(new Blob([`const rt = (${script})(); self.onmessage = (e) => { self.onmessage = null; rt.workerLoop(e.data); };`], { type: "text/javascript" }));
    const w = new Worker(url);
    let ended = false;
    w.onerror = (e) => { if (!ended) onEnd(`failed: ${e.message ?? "error"}`); };
    w.postMessage(init);
    return {
      close() { ended = true; w.terminate(); },
      kill() { w.terminate(); onEnd("was terminated"); },
    };
  };
}

/** Rosters of workers started in this process (see WorkerInit.roster). */
let rosters = 0;

/**
 * Slices per thread in a job. More slices than threads balance the load: a thread that runs slower
 * (a virtual core that shares its physical core, a worker that woke late) claims fewer of them.
 * Measured on this project's 2-vCPU machines, where one vCPU ran up to 1.4× slower than the other
 * for seconds at a time: the halves of an even split waited for the slower one.
 */
const SLICES_PER_THREAD = 4;
/** Work (multiply-adds) from which a job is cut into SLICES_PER_THREAD slices per thread; below, one per thread (a generation step's products: each claim costs a few µs). */
const BALANCED_WORK = 1 << 22;

/** How long a worker spins on GEN after a job before it sleeps (ms). */
const SPIN_MS = 0.3;
/** How long the caller waits for a claimed slice before it gives the pool up (ms): only a worker that died mid-slice takes this long. */
const WAIT_LIMIT_MS = 60_000;

/** The threads of one backend (see the module's comment). */
export class ThreadPool implements KernelThreads {
  /** The slices a job is cut into: SLICES_PER_THREAD per thread. */
  readonly slices: number;
  private readonly rt = threadRuntime();
  private readonly L = this.rt.layout;
  private readonly control: number;
  private readonly c: Int32Array;
  private readonly f: Float64Array;
  private readonly names: string[] = [];
  private readonly fns: Kernel[] = [];
  private readonly index = new Map<string, number>();
  private readonly modules: object[] = [];
  private readonly a: number[] = [];
  private workers: WorkerHandle[] = [];
  private gen = 0;
  minWork = THREAD_MIN_MACS;
  private ended: string | null = null;

  /**
   * @param modules - the backend's compiled modules, with their instances' exports on this thread
   * @param threads - the thread count (the caller and threads − 1 workers)
   */
  constructor(private readonly mem: KernelMemory, modules: readonly { module: object; exports: object }[], readonly threads: number, private readonly spawn: Spawner) {
    this.slices = threads * SLICES_PER_THREAD;
    const L = this.L, bytes = L.INTS * 4 + 2 * L.SLOT * 8;
    this.control = mem.alloc(bytes);
    if (this.control < 0) throw new Error(`setThreads: the kernels' memory cannot hold the threads' control block (${bytes} bytes)`);
    const buffer = mem.memory.buffer;
    this.c = new Int32Array(buffer, this.control, L.INTS);
    this.c.fill(0);
    this.f = new Float64Array(buffer, this.control + L.INTS * 4, 2 * L.SLOT);
    for (const m of modules) this.addModule(m.module, m.exports);
  }

  get heldBytes(): number { return this.mem.sizeOf(this.control); }

  /** Slices of split kernels that worker threads have run (the caller runs the rest). */
  get workerSlices(): number { return Atomics.load(this.c, this.L.WORKED); }

  /** Workers started (they may still be starting) and whether the pool has lost one. */
  get workerCount(): number { return this.workers.length; }
  get endedReason(): string | null { return this.ended; }

  addModule(module: object, exports: object): void {
    this.modules.push(module);
    for (const [name, fn] of Object.entries(exports)) {
      if (typeof fn !== "function" || this.index.has(name)) continue;
      this.index.set(name, this.names.length);
      this.names.push(name);
      this.fns.push(fn as Kernel);
    }
    if (this.workers.length > 0) { // workers instantiate their modules once: remake them with the new one
      this.stopWorkers();
      this.startWorkers();
    }
  }

  range(name: string, args: ArrayLike<number>, perItem: ArrayLike<number>, perSlice: ArrayLike<number> | null, count: number, total: number, align: number, work: number): void {
    const base = this.header(name, this.L.KIND_RANGE, total, align, args.length, count, work), f = this.f, L = this.L;
    for (let j = 0; j < args.length; j++) {
      f[base + L.ARGS + j] = args[j];
      f[base + L.PER_ITEM + j] = perItem[j] ?? 0;
      f[base + L.PER_SLICE + j] = perSlice === null ? 0 : perSlice[j] ?? 0;
    }
    this.publish(name, base);
  }

  each(name: string, n: number, items: ArrayLike<number>, total: number, perSlice: ArrayLike<number> | null, work: number): void {
    const L = this.L, room = Math.floor((L.SLOT - L.ITEMS) / n);
    for (let from = 0; from < total; from += room) { // more items than a slot holds: one job per slotful
      const count = Math.min(room, total - from), base = this.header(name, L.KIND_EACH, count, 1, n, 0, work), f = this.f;
      for (let j = 0; j < n; j++) f[base + L.PER_SLICE + j] = perSlice === null ? 0 : perSlice[j] ?? 0;
      for (let i = 0; i < count * n; i++) f[base + L.ITEMS + i] = items[from * n + i];
      this.publish(name, base);
    }
  }

  /** Ends the workers and gives the control block back (setThreads with another count, or 1). */
  close(): void {
    this.stopWorkers();
    this.mem.release(this.control);
  }

  /** Ends worker i as if it had died (tests). */
  killWorker(i: number): void {
    this.workers[i]?.kill();
  }

  private endedError(kernel: string): Error {
    return new Error(`setThreads: a worker thread ${this.ended} (found at the kernel ${kernel}); call setThreads() again to start new ones`);
  }

  /** Writes the next job's header into its slot (the job after this.gen); returns the slot's base. */
  private header(name: string, kind: number, total: number, align: number, n: number, count: number, work: number): number {
    if (this.ended !== null) throw this.endedError(name);
    const fn = this.index.get(name);
    if (fn === undefined) throw new Error(`${name}: no such kernel in the threads' modules`);
    if (n > this.L.MAX_ARGS) throw new Error(`${name}: ${n} arguments, at most ${this.L.MAX_ARGS} can be split`);
    if (this.workers.length === 0) this.startWorkers();
    const gen = (this.gen + 1) | 0, base = (gen & 1) * this.L.SLOT, f = this.f;
    f[base] = fn; f[base + 1] = kind; f[base + 2] = total; f[base + 3] = align; f[base + 4] = n; f[base + 5] = count; f[base + 6] = work >= BALANCED_WORK ? this.slices : this.threads;
    return base;
  }

  /** Publishes the job just written, runs what slices the caller can claim, and waits for the rest. */
  private publish(name: string, base: number): void {
    const L = this.L, c = this.c, gen = (this.gen + 1) | 0; // the job header() just wrote, at base
    Atomics.store(c, L.DONE, 0);
    Atomics.store(c, L.CLAIM, (gen & 0xfffff) << 12);
    Atomics.store(c, L.GEN, gen);
    this.gen = gen;
    if (Atomics.load(c, L.SLEEPERS) > 0) Atomics.notify(c, L.GEN);
    const error = this.rt.runSlices(c, this.f, this.fns, gen, this.a, 0);
    const deadline = performance.now() + WAIT_LIMIT_MS;
    const slices = this.f[base + 6];
    for (let spin = 0, d = 0; (d = Atomics.load(c, L.DONE)) < slices; spin++) {
      if (spin < 20000) continue;
      Atomics.wait(c, L.DONE, d, 20);
      if (this.ended === null && performance.now() > deadline) this.ended = `did not finish its part of ${name} in ${WAIT_LIMIT_MS / 1000} s`;
      if (this.ended !== null) throw this.endedError(name);
    }
    if (error !== null) { Atomics.store(c, L.FAULT, 0); throw error; }
    if (Atomics.load(c, L.FAULT) !== 0) {
      Atomics.store(c, L.FAULT, 0);
      throw new Error(`${name}: the kernel failed on a worker thread`);
    }
  }

  private startWorkers(): void {
    // a roster number no other pool in this process has used: workers still ending (terminate is asynchronous), of this
    // pool or of one whose control block this one reuses, see that it is not theirs and claim nothing
    const roster = ++rosters;
    Atomics.store(this.c, this.L.ROSTER, roster);
    const init: WorkerInit = { memory: this.mem.memory, modules: this.modules, control: this.control, names: this.names, spinMs: SPIN_MS, roster };
    // esbuild's keepNames (tsx, vitest) wraps functions in __name(fn, "name"): a worker's script has no such helper of its own
    const script = `(() => { const __name = (f) => f; return ${String(threadRuntime)}; })()`;
    for (let i = 1; i < this.threads; i++) {
      const handle = this.spawn(script, init, (why) => { if (this.workers.includes(handle)) this.ended ??= why; });
      this.workers.push(handle);
    }
  }

  private stopWorkers(): void {
    const ending = this.workers;
    this.workers = [];
    Atomics.store(this.c, this.L.ROSTER, 0); // no roster: the ending workers claim nothing more
    for (const w of ending) w.close();
  }
}
