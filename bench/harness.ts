// Timing: warm up, then repeat until both a minimum count and a minimum time are reached; report
// the median (robust to the odd GC pause or scheduler hiccup). Single-threaded, same process for
// every library, so the ratios compare like with like.
export interface Timing {
  median: number;
  runs: number;
  min: number;
}

/** A full garbage collection where the bench runs with --expose-gc, so that one case's garbage is not timed in the next. */
export function collect(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export function measure(fn: () => unknown, options: { warmup?: number; minRuns?: number; minMs?: number; maxRuns?: number } = {}): Timing {
  const { warmup = 2, minRuns = 5, minMs = 1000, maxRuns = 200 } = options;
  collect();
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < maxRuns && (times.length < minRuns || performance.now() - start < minMs)) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1], runs: times.length, min: times[0] };
}

export type Row = Record<string, string | number | null>;

/** Prints rows as an aligned text table. */
export function table(title: string, rows: Row[]): void {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]);
  const cell = (v: string | number | null) => (v === null ? "—" : typeof v === "number" ? fmt(v) : v);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  console.log(`\n${title}`);
  console.log(cols.map((c, i) => c.padEnd(width[i])).join("  "));
  console.log(width.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(cols.map((c, i) => (typeof r[c] === "number" ? cell(r[c]).padStart(width[i]) : cell(r[c]).padEnd(width[i]))).join("  "));
}

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toFixed(3);
}

/** "2.31×" — how many times faster ours is than the peer (peer time / our time). */
export function ratio(peerMs: number | null, oursMs: number): string | null {
  return peerMs === null ? null : `${(peerMs / oursMs).toFixed(2)}×`;
}

/** {@link measure} for async work (onnxruntime's run returns a promise). */
export async function measureAsync(fn: () => Promise<unknown>, options: { warmup?: number; minRuns?: number; minMs?: number; maxRuns?: number } = {}): Promise<Timing> {
  const { warmup = 2, minRuns = 5, minMs = 1000, maxRuns = 200 } = options;
  collect();
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < maxRuns && (times.length < minRuns || performance.now() - start < minMs)) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1], runs: times.length, min: times[0] };
}

/** The largest |a − b|, to check a peer's output before timing it. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return a.length === b.length ? m : Infinity;
}
