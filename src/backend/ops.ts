/**
 * The op entry points of the WebAssembly backend, each a function over the backend it runs on
 * (so that an app that uses one op bundles only that one): each places its operands in the
 * backend's memory (or finds them there), runs a kernel and takes the result back, and returns
 * whether it ran (false: the shape or the values are ones left to the JavaScript kernels, which
 * the caller then runs).
 * @module
 */
import { BIG, CHUNK, type AttentionDims, type KernelThreads, type WasmBackend } from "./wasm";
import { LINEAR_PANEL, MOVE_MIN_FLOATS, PACKED_MIN_ROWS } from "./thresholds";
import { bf16ToFloat, halfToFloat } from "../kernels/half";
import { expTableData } from "../kernels/exp";
import { quantKernels } from "./quant";
import { rowKernels } from "./rows";

/** The backend's threads for a kernel of `work` multiply-adds, or null (one thread, or too little work to split). */
function threadsFor(be: WasmBackend, work: number): KernelThreads | null {
  const t = be.threads;
  return t !== null && work >= t.minWork ? t : null;
}

/**
 * exports[name](args) on this thread, or split over the threads (KernelThreads.range: items [0, total)
 * on multiples of `align`, args moved by perItem per item and perSlice per slice, args[count] each
 * slice's items) where `work` multiply-adds make it worth it.
 */
function split(be: WasmBackend, exports: object, name: string, args: number[], perItem: number[], perSlice: number[] | null, count: number, total: number, align: number, work: number): void {
  const t = threadsFor(be, work);
  if (t === null) (exports as Record<string, (...a: number[]) => void>)[name](...args);
  else t.range(name, args, perItem, perSlice, count, total, align, work);
}

/** linear over M rows (even) of x at byte offsets, split by rows of x and out (from 4 rows). */
function linearRows(be: WasmBackend, x: number, w: number, b: number, out: number, M: number, K: number, N: number): void {
  split(be, be.exports, "linear", [x, w, b, out, M, K, N, LINEAR_PANEL], [K * 4, 0, 0, N * 4], null, 4, M, 2, M >= 4 ? M * K * N : 0);
}

/** One row over `[N, K]` rows of W (linearRow), or over W's panels (linearPackedRow), split by output columns on multiples of 8. */
function linearOneRow(be: WasmBackend, kernel: "linearRow" | "linearPackedRow", x: number, w: number, b: number, out: number, K: number, N: number): void {
  split(be, be.exports, kernel, [x, w, b, out, K, N], [0, K * 4, 4, 4], null, 5, N, 8, K * N);
}

/** packRows (src [M, K] → strips of `group` rows side by side), split by strips. */
function packRowsSplit(be: WasmBackend, src: number, dst: number, M: number, K: number, group: number): void {
  split(be, be.exports, "packRows", [src, dst, M, K, group], [K * 4, K * 4], null, 2, M, group, M * K);
}

/** packPanels (src [K, N] → panels of 8 columns), split by panels. */
function packPanelsSplit(be: WasmBackend, src: number, dst: number, K: number, N: number): void {
  split(be, be.exports, "packPanels", [src, dst, K, N, N], [4, K * 4], null, 3, N, 8, K * N);
}

/** c [M, N] += a·b over packed operands (a in strips of 4 rows), split by strips of rows of c. */
function matmulRows(be: WasmBackend, a: number, b: number, c: number, M: number, N: number, K: number): void {
  split(be, be.exports, "matmulPacked", [a, b, c, M, N, K], [K * 4, 0, N * 4], null, 3, M, 4, M * N * K);
}

/** exports[name] once per item (item i's n args at items[i·n …]) on this thread, or the items split over the threads. */
function eachItem(be: WasmBackend, t: KernelThreads | null, name: string, n: number, items: Float64Array, total: number, perSlice: number[], work: number, exports: object = be.exports): void {
  if (t !== null) return t.each(name, n, items, total, perSlice, work);
  const fn = (exports as Record<string, (...a: number[]) => void>)[name];
  for (let i = 0; i < total; i++) fn(...items.subarray(i * n, (i + 1) * n));
}

/**
 * x·Wᵀ + b (x [M, K], w [N, K], b [N] or null) into out [M, N]. From PACKED_MIN_ROWS rows both
 * operands are packed for matmulPacked (a weight in memory straight from where it is); below, a
 * weight in memory is read where it is by the dot-product kernels (two rows of x at a time, or one:
 * linearRow), and x and out too when they are in memory.
 */
export function wasmLinear(be: WasmBackend, out: Float32Array, x: Float32Array, w: Float32Array, b: Float32Array | null, M: number, K: number, N: number): boolean {
  const found = be.weightAt(w, N, K);
  if (found?.panels) return M === 1 ? linearPanelsRow(be, out, x, found.at, b, K, N) : linearPacked(be, out, x, w, b, M, K, N, found);
  if (M >= PACKED_MIN_ROWS) return linearPacked(be, out, x, w, b, M, K, N, found);
  const e = be.exports, mem = be.mem;
  // in place: x and out where they are (K, N multiples of 4), the bias where it is or zeros
  if (found && found.Kp === K && N % 4 === 0 && mem.holds(x) && mem.holds(out) && (b === null || mem.holds(b))) {
    const bAt = b === null ? be.zeros(N) : b.byteOffset / 4;
    if (bAt < 0) return false;
    const xAt = x.byteOffset, oAt = out.byteOffset, even = M & ~1;
    if (even > 0) linearRows(be, xAt, found.at * 4, bAt * 4, oAt, even, K, N);
    if (M & 1) linearOneRow(be, "linearRow", xAt + even * K * 4, found.at * 4, bAt * 4, oAt + even * N * 4, K, N);
    return true;
  }
  const Kp = (K + 3) & ~3, Mp = (M + 1) & ~1, Np = (N + 3) & ~3;
  const xRel = 0, wRel = Mp * Kp, bRel = wRel + (found ? 0 : Np * Kp), oRel = bRel + Np;
  const base = be.scratch((oRel + Mp * Np) * 4);
  if (base < 0) return false;
  const f = mem.f32;
  const xOff = base + xRel, wOff = found ? found.at : base + wRel, bOff = base + bRel, oOff = base + oRel;
  be.placeRows(f, x, M, Mp, K, Kp, xOff);
  if (!found) be.placeRows(f, w, N, Np, K, Kp, wOff);
  if (b === null) f.fill(0, bOff, bOff + Np);
  else {
    be.copy(f, bOff, b, 0, N);
    f.fill(0, bOff + N, bOff + Np);
  }
  // one row over resident weights (a generation step): eight weight-row streams at a time, no padding row
  if (M === 1 && found) linearOneRow(be, "linearRow", xOff * 4, wOff * 4, bOff * 4, oOff * 4, Kp, Np);
  else linearRows(be, xOff * 4, wOff * 4, bOff * 4, oOff * 4, Mp, Kp, Np);
  be.takeRows(out, f, oOff, M, N, Np, 65536);
  return true;
}

/** One row x over a weight kept as panels (linearPackedRow): x, b and out where they are, else through scratch. */
function linearPanelsRow(be: WasmBackend, out: Float32Array, x: Float32Array, wAt: number, b: Float32Array | null, K: number, N: number): boolean {
  const mem = be.mem, xIn = mem.holds(x), oIn = mem.holds(out), bIn = b === null || mem.holds(b);
  const zeros = b === null ? be.zeros(N) : 0;
  if (zeros < 0) return false;
  const base = be.scratch(((xIn ? 0 : K) + (oIn ? 0 : N) + (bIn ? 0 : N) + 4) * 4);
  if (base < 0) return false;
  const oHere = base + (xIn ? 0 : K), bHere = oHere + (oIn ? 0 : N); // scratch: x, out, b as needed
  const f = mem.f32, xAt = xIn ? x.byteOffset / 4 : base, oAt = oIn ? out.byteOffset / 4 : oHere;
  const bAt = b === null ? zeros : bIn ? b.byteOffset / 4 : bHere;
  if (!xIn) be.copy(f, xAt, x, 0, K);
  if (!bIn) be.copy(f, bAt, b!, 0, N);
  linearOneRow(be, "linearPackedRow", xAt * 4, wAt * 4, bAt * 4, oAt * 4, K, N);
  if (!oIn) be.copy(out, 0, f, oAt, N);
  return true;
}

/**
 * x·Wᵀ + b on packed operands (matmulPacked): x in strips of 4 rows, W as panels of 8 rows of Wᵀ,
 * the output starting as the bias on every row. Faster than the dot-product kernel for every x of
 * more than a few rows (~30%: the inner loop reads both operands sequentially and needs no
 * horizontal sums).
 */
function linearPacked(be: WasmBackend, out: Float32Array, x: Float32Array, w: Float32Array, b: Float32Array | null, M: number, K: number, N: number, weight: { at: number; Kp: number; rows8: boolean; panels: boolean } | null): boolean {
  const found = weight !== null && weight.rows8 ? weight : null, panels = found !== null && found.panels;
  const Mp = (M + 3) & ~3, Kq = (K + 3) & ~3, Np = (N + 7) & ~7;
  const stageRel = 0, aRel = stageRel + Math.max(Mp, panels ? 0 : Np) * Kq, bRel = aRel + Mp * Kq, cRel = bRel + (panels ? 0 : Np * Kq);
  const base = be.scratch((cRel + Mp * Np) * 4);
  if (base < 0) return false;
  const mem = be.mem, f = mem.f32, stage = base + stageRel, a = base + aRel;
  const bp = panels ? found.at : base + bRel;
  // x packed from where it is, and out written where it is, when their rows need no padding
  const xIn = M === Mp && K === Kq && mem.holds(x), oIn = M === Mp && N === Np && mem.holds(out);
  const c = oIn ? out.byteOffset / 4 : base + cRel;
  if (!xIn) be.placeRows(f, x, M, Mp, K, Kq, stage, BIG);
  packRowsSplit(be, (xIn ? x.byteOffset / 4 : stage) * 4, a * 4, Mp, Kq, 4);
  if (panels) { /* kept as panels by the residency */ } else if (found) packRowsSplit(be, found.at * 4, bp * 4, Np, Kq, 8); // a weight in memory is packed from where it is (its rows padded to 8)
  else {
    be.placeRows(f, w, N, Np, K, Kq, stage, BIG);
    packRowsSplit(be, stage * 4, bp * 4, Np, Kq, 8);
  }
  if (b === null) f.fill(0, c, c + Mp * Np);
  else {
    be.copy(f, c, b, 0, N);
    f.fill(0, c + N, c + Np);
    const rows = Mp > 1 ? rowKernels(be) : null; // the bias on every row
    if (rows !== null) split(be, rows, "moveRows", [c * 4, 0, (c + Np) * 4, Np, Mp - 1, Np], [0, 0, Np * 4, 0], null, 4, Mp - 1, 1, Mp * Np);
    else for (let r = 1; r < Mp; r++) f.copyWithin(c + r * Np, c, c + Np);
  }
  matmulRows(be, a * 4, bp * 4, c * 4, Mp, Np, Kq);
  if (!oIn) be.takeRows(out, f, c, M, N, Np);
  return true;
}

/**
 * The linear backward pass, added into dx `[M, K]`, dw `[N, K]` and db `[N]` (each may be null), for
 * dy `[M, N]`, x `[M, K]`, w `[N, K]`: dx += dy·W, dW += dyᵀ·x, db += Σ_rows dy — with no transposed
 * copies: the operands are copied in already packed the way matmulPacked reads them.
 */
export function wasmLinearBackward(be: WasmBackend, dx: Float32Array | null, dw: Float32Array | null, db: Float32Array | null, dy: Float32Array, x: Float32Array, w: Float32Array, M: number, K: number, N: number): boolean {
  // dx [Mp, Kp] += A [Mp, Nq]·B [Nq, Kp] with A = dy, B = W; dW [Nq, Kp] += A [Nq, Mp]·B [Mp, Kp] with A = dyᵀ, B = x.
  const Mp = (M + 3) & ~3, Nq = (N + 3) & ~3, Kp = (K + 7) & ~7;
  const dyRel = 0, stageRel = dyRel + Mp * Nq, aRel = stageRel + Math.max(Nq, Mp) * Kp, bRel = aRel + Mp * Nq, cRel = bRel + Math.max(Nq, Mp) * Kp;
  const base = be.scratch((cRel + Math.max(Mp, Nq) * Kp + Nq) * 4);
  if (base < 0) return false;
  const e = be.exports, mem = be.mem, f = mem.f32, stage = base + stageRel, a = base + aRel, b = base + bRel, c = base + cRel;
  // an operand in memory whose rows need no padding is read (and a gradient added into) where it is
  const here = (t: Float32Array, rows: number, width: number, paddedRows: number, paddedWidth: number) => rows === paddedRows && width === paddedWidth && mem.holds(t) ? t.byteOffset / 4 : -1;
  let dyAt = here(dy, M, N, Mp, Nq);
  if (dyAt < 0) be.placeRows(f, dy, M, Mp, N, Nq, dyAt = base + dyRel, BIG);
  if (db) { // Σ dy over rows, in float32 as PyTorch
    const sums = c + Math.max(Mp, Nq) * Kp;
    split(be, e, "columnSums", [dyAt * 4, sums * 4, M, Nq, Nq], [4, 4], null, 3, Nq, 4, M * Nq);
    for (let j = 0; j < N; j++) db[j] += f[sums + j];
  }
  // acc [accRows, K] += (dy packed at a) · src [srcRows, K], each read where it is or staged
  const addProduct = (src: Float32Array, srcRows: number, srcPadded: number, acc: Float32Array, accRows: number, accPadded: number) => {
    let srcAt = here(src, srcRows, K, srcPadded, Kp);
    if (srcAt < 0) be.placeRows(f, src, srcRows, srcPadded, K, Kp, srcAt = stage, BIG);
    packPanelsSplit(be, srcAt * 4, b * 4, srcPadded, Kp);
    const accAt = here(acc, accRows, K, accPadded, Kp);
    if (accAt < 0) be.placeRows(f, acc, accRows, accPadded, K, Kp, c, BIG);
    matmulRows(be, a * 4, b * 4, (accAt < 0 ? c : accAt) * 4, accPadded, Kp, srcPadded);
    if (accAt < 0) be.takeRows(acc, f, c, accRows, K, Kp);
  };
  if (dx) {
    packRowsSplit(be, dyAt * 4, a * 4, Mp, Nq, 4);
    addProduct(w, N, Nq, dx, M, Mp);
  }
  if (dw) {
    split(be, e, "packColumns", [dyAt * 4, a * 4, Mp, Nq, Nq], [4, Mp * 4], null, 3, Nq, 4, Mp * Nq);
    addProduct(x, M, Mp, dw, N, Nq);
  }
  return true;
}

/** softmax over `rows` rows of n at byte offsets, split by rows. */
function softmaxRows(be: WasmBackend, x: number, out: number, rows: number, n: number, invT: number): void {
  split(be, be.exports, "softmax", [x, out, rows, n, invT], [n * 4, n * 4], null, 2, rows, 1, rows >= 2 ? rows * n * 8 : 0);
}

/** Row softmax of rows × n values (n a multiple of 4), in float32 with a vectorised exp. `out` may be `x`. */
export function wasmSoftmax(be: WasmBackend, out: Float32Array, x: Float32Array, rows: number, n: number, invTemperature: number): boolean {
  // 1/temperature beyond float32's range would turn (x − max)·invT into 0·∞ = NaN at the max: JavaScript (float64) takes those
  if (n % 4 !== 0 || !Number.isFinite(Math.fround(invTemperature))) return false;
  const e = be.exports, mem = be.mem;
  if (mem.holds(x) && mem.holds(out)) {
    softmaxRows(be, x.byteOffset, out.byteOffset, rows, n, invTemperature);
    return true;
  }
  const chunkRows = Math.max(1, Math.floor(CHUNK / n));
  const base = be.scratch(Math.min(rows, chunkRows) * n * 4);
  if (base < 0) return false;
  const f = mem.f32;
  for (let r = 0; r < rows; r += chunkRows) {
    const size = Math.min(chunkRows, rows - r) * n;
    be.copy(f, base, x, r * n, size, 0);
    e.softmax(base * 4, base * 4, size / n, n, invTemperature); // a chunk copied in by this thread: too little to split (measured slower on 2 threads)
    be.copy(out, r * n, f, base, size, 0);
  }
  return true;
}

/**
 * Scaled dot-product attention without a mask (causal or not), head by head, in float32: q
 * [BH, T, D], k and v with `kvRows` rows per k/v head (the first S used), out [BH, T, Dv]. D and
 * Dv multiples of 4. Rows that see no key get zeros. Operands in memory are read where they are
 * (a session's KV cache: nothing copied); otherwise each k/v head is copied in once for the query
 * heads of its group.
 */
export function wasmAttention(be: WasmBackend, out: Float32Array, q: Float32Array, k: Float32Array, v: Float32Array, d: AttentionDims): boolean {
  const { BH, T, S, D, Dv, scale, causal, kvRows, group, window, slopes } = d;
  if (D % 4 !== 0 || Dv % 4 !== 0) return false;
  const t = BH > 1 ? threadsFor(be, BH * T * S * (D + Dv)) : null;
  if (t !== null) return attentionHeads(be, t, out, q, k, v, d);
  const e = be.exports, mem = be.mem;
  const kIn = mem.holds(k), vIn = mem.holds(v), qIn = mem.holds(q), oIn = mem.holds(out);
  const base = be.scratch(((qIn ? 0 : T * D) + (kIn ? 0 : S * D) + (vIn ? 0 : S * Dv) + (oIn ? 0 : T * Dv) + 2 * S + 8) * 4);
  if (base < 0) return false;
  const f = mem.f32;
  const sOff = base, qOff = sOff + 2 * S + 8, oOff = qOff + (qIn ? 0 : T * D), kOff = oOff + (oIn ? 0 : T * Dv), vOff = kOff + (kIn ? 0 : S * D);
  for (let p = 0, copied = -1; p < BH; p++) {
    const kv = Math.floor(p / group);
    const qAt = qIn ? q.byteOffset / 4 + p * T * D : qOff, oAt = oIn ? out.byteOffset / 4 + p * T * Dv : oOff;
    if (!qIn) be.copy(f, qOff, q, p * T * D, T * D);
    const kAt = kIn ? k.byteOffset / 4 + kv * kvRows * D : kOff, vAt = vIn ? v.byteOffset / 4 + kv * kvRows * Dv : vOff;
    if (kv !== copied) {
      if (!kIn) be.copy(f, kOff, k, kv * kvRows * D, S * D);
      if (!vIn) be.copy(f, vOff, v, kv * kvRows * Dv, S * Dv);
      copied = kv;
    }
    const slope = slopes === null ? 0 : slopes[p % slopes.length];
    e.attention(qAt * 4, kAt * 4, vAt * 4, oAt * 4, sOff * 4, T, S, D, Dv, scale, causal ? 1 : 0, window, slope);
    if (!oIn) be.copy(out, p * T * Dv, f, oOff, T * Dv);
  }
  return true;
}

/**
 * wasmAttention split over threads by heads: every operand where it is, or all of it copied into
 * scratch at once (each k/v head's first S rows), and a score scratch per slice.
 */
function attentionHeads(be: WasmBackend, t: KernelThreads, out: Float32Array, q: Float32Array, k: Float32Array, v: Float32Array, d: AttentionDims): boolean {
  const { BH, T, S, D, Dv, scale, causal, kvRows, group, window, slopes } = d;
  const mem = be.mem, kvHeads = Math.ceil(BH / group), sRow = 2 * S + 8;
  const kIn = mem.holds(k), vIn = mem.holds(v), qIn = mem.holds(q), oIn = mem.holds(out);
  const qn = qIn ? 0 : BH * T * D, kn = kIn ? 0 : kvHeads * S * D, vn = vIn ? 0 : kvHeads * S * Dv, on = oIn ? 0 : BH * T * Dv;
  const base = be.scratch((t.slices * sRow + qn + kn + vn + on) * 4);
  if (base < 0) return false;
  const f = mem.f32, sOff = base, qOff = sOff + t.slices * sRow, kOff = qOff + qn, vOff = kOff + kn, oOff = vOff + vn;
  if (!qIn) be.copy(f, qOff, q, 0, qn, BIG);
  for (let h = 0; h < kvHeads; h++) {
    if (!kIn) be.copy(f, kOff + h * S * D, k, h * kvRows * D, S * D, BIG);
    if (!vIn) be.copy(f, vOff + h * S * Dv, v, h * kvRows * Dv, S * Dv, BIG);
  }
  const items = new Float64Array(BH * 13);
  for (let p = 0; p < BH; p++) {
    const kv = Math.floor(p / group), at = p * 13;
    items[at] = ((qIn ? q.byteOffset / 4 : qOff) + p * T * D) * 4;
    items[at + 1] = (kIn ? k.byteOffset / 4 + kv * kvRows * D : kOff + kv * S * D) * 4;
    items[at + 2] = (vIn ? v.byteOffset / 4 + kv * kvRows * Dv : vOff + kv * S * Dv) * 4;
    items[at + 3] = ((oIn ? out.byteOffset / 4 : oOff) + p * T * Dv) * 4;
    items[at + 4] = sOff * 4;
    items[at + 5] = T; items[at + 6] = S; items[at + 7] = D; items[at + 8] = Dv; items[at + 9] = scale;
    items[at + 10] = causal ? 1 : 0; items[at + 11] = window; items[at + 12] = slopes === null ? 0 : slopes[p % slopes.length];
  }
  eachItem(be, t, "attention", 13, items, BH, [0, 0, 0, 0, sRow * 4], BH * T * S * (D + Dv));
  if (!oIn) be.copy(out, 0, f, oOff, BH * T * Dv, BIG);
  return true;
}

/**
 * The attention backward pass without a mask (causal or not), plain attention (no group, window
 * or slopes), head by head, in float32: gradients added into dq `[BH, T, D]`, dk `[BH, S, D]`, dv `[BH, S, Dv]`.
 */
export function wasmAttentionBackward(be: WasmBackend, dq: Float32Array, dk: Float32Array, dv: Float32Array, dout: Float32Array, q: Float32Array, k: Float32Array, v: Float32Array, d: AttentionDims): boolean {
  const { BH, T, S, D, Dv, scale, causal } = d;
  if (D % 4 !== 0 || Dv % 4 !== 0 || d.group !== 1 || d.window !== 0 || d.slopes !== null || d.kvRows !== S) return false;
  const qn = BH * T * D, kn = BH * S * D, vn = BH * S * Dv, on = BH * T * Dv;
  const t = BH > 1 ? threadsFor(be, BH * T * S * 2 * (D + Dv)) : null, slices = t === null ? 1 : t.slices, sRow = 2 * S + 8;
  const mem = be.mem, operands = [q, k, v, dout, dq, dk, dv], sizes = [qn, kn, vn, on, qn, kn, vn];
  let need = slices * sRow; // the score rows, then every operand the memory does not hold
  operands.forEach((a, i) => { if (!mem.holds(a)) need += sizes[i]; });
  const base = be.scratch(need * 4);
  if (base < 0) return false;
  const f = mem.f32, sOff = base;
  let free = sOff + slices * sRow;
  const at = operands.map((a, i) => {
    if (mem.holds(a)) return a.byteOffset / 4;
    const here = free;
    free += sizes[i];
    be.copy(f, here, a, 0, sizes[i], BIG);
    return here;
  });
  const [qOff, kOff, vOff, oOff, dqOff, dkOff, dvOff] = at;
  const items = new Float64Array(BH * 14);
  for (let p = 0; p < BH; p++) {
    const qp = p * T * D, kp = p * S * D, vp = p * S * Dv, op = p * T * Dv;
    items.set([(qOff + qp) * 4, (kOff + kp) * 4, (vOff + vp) * 4, (oOff + op) * 4, (dqOff + qp) * 4, (dkOff + kp) * 4, (dvOff + vp) * 4, sOff * 4, T, S, D, Dv, scale, causal ? 1 : 0], p * 14);
  }
  eachItem(be, t, "attentionBackward", 14, items, BH, [0, 0, 0, 0, 0, 0, 0, sRow * 4], BH * T * S * 2 * (D + Dv));
  for (let i = 4; i < 7; i++) if (!mem.holds(operands[i])) be.copy(operands[i], 0, f, at[i], sizes[i], BIG);
  return true;
}

/**
 * dst[dstAt …) float32 = the n binary16 values at src[srcAt …), where both live in the kernels'
 * memory (a generation's f16 KV cache and its float32 rows); false otherwise (the caller widens in
 * JavaScript). n any: the kernel's multiple of 8, the rest here.
 */
export function wasmWidenHalf(be: WasmBackend, dst: Float32Array, dstAt: number, src: Uint16Array, srcAt: number, n: number): boolean {
  const from = src.byteOffset + 2 * srcAt;
  if (!be.mem.holds(dst) || !be.mem.holds(src) || from % 16 !== 0) return false;
  const bulk = n & ~7;
  if (bulk > 0) be.exports.widen16(from, dst.byteOffset + 4 * dstAt, bulk, 0);
  for (let i = bulk; i < n; i++) dst[dstAt + i] = halfToFloat(src[srcAt + i]);
  return true;
}

/**
 * Runs of `width` floats (a multiple of 4) moved from src to dst, both in the kernels' memory: run i
 * is runs[5i …] = [its first float in src, src stride, its first float in dst, dst stride, rows]
 * (indices into the arrays). Split over the threads by runs. False where either array is elsewhere,
 * a run would pass the end of one, or there are fewer than MOVE_MIN_FLOATS to move.
 */
export function wasmMoveRows(be: WasmBackend, dst: Float32Array, src: Float32Array, width: number, runs: ArrayLike<number>, count: number): boolean {
  const rk = width % 4 === 0 && be.mem.holds(dst) && be.mem.holds(src) ? rowKernels(be) : null;
  if (rk === null) return false;
  let floats = 0;
  for (let r = 0; r < 5 * count; r += 5) {
    const rows = runs[r + 4];
    if (rows > 0 && (runs[r] + (rows - 1) * runs[r + 1] + width > src.length || runs[r + 2] + (rows - 1) * runs[r + 3] + width > dst.length)) return false; // past an array's end: the JavaScript loop (which writes nothing there)
    floats += rows * width;
  }
  if (floats < MOVE_MIN_FLOATS) return false;
  if (moveItems.length < 6 * count) moveItems = new Float64Array(6 * count);
  for (let i = 0; i < count; i++) {
    const r = 5 * i, at = 6 * i;
    moveItems[at] = src.byteOffset + 4 * runs[r];
    moveItems[at + 1] = runs[r + 1];
    moveItems[at + 2] = dst.byteOffset + 4 * runs[r + 2];
    moveItems[at + 3] = runs[r + 3];
    moveItems[at + 4] = runs[r + 4];
    moveItems[at + 5] = width;
  }
  eachItem(be, threadsFor(be, floats), "moveRows", 6, moveItems, count, [0, 0, 0, 0, 0, 0], floats, rk);
  return true;
}
let moveItems = new Float64Array(6 * 64); // wasmMoveRows' kernel arguments, reused (the threads copy them into their control block)

/** out = x + y over the first n − n % 4 values, where all three live in the kernels' memory (split over the threads by chunks); returns how many it added (0 elsewhere). */
export function wasmAdd(be: WasmBackend, out: Float32Array, x: Float32Array, y: Float32Array, n: number): number {
  const mem = be.mem, bulk = n & ~3;
  const rk = bulk >= MOVE_MIN_FLOATS && mem.holds(out) && mem.holds(x) && mem.holds(y) ? rowKernels(be) : null;
  if (rk === null) return 0;
  split(be, rk, "add", [x.byteOffset, y.byteOffset, out.byteOffset, bulk], [4, 4, 4], null, 3, bulk, 4, bulk * 2);
  return bulk;
}

/**
 * Layer norm over `rows` rows of C (layerNormForward's float64 arithmetic, the same bits), where every
 * array lives in the kernels' memory: split over the threads by rows. mean and rstd are both written or
 * both null. False elsewhere.
 */
export function wasmLayerNorm(be: WasmBackend, out: Float32Array, mean: Float32Array | null, rstd: Float32Array | null, x: Float32Array, w: Float32Array, b: Float32Array | null, rows: number, C: number, eps: number): boolean {
  const mem = be.mem, keep = mean !== null;
  if (C === 0 || (mean === null) !== (rstd === null) || !mem.holds(out) || !mem.holds(x) || !mem.holds(w) || (b !== null && !mem.holds(b)) || (keep && (!mem.holds(mean) || !mem.holds(rstd!)))) return false;
  const rk = rowKernels(be);
  if (rk === null) return false;
  const args = [x.byteOffset, w.byteOffset, b?.byteOffset ?? 0, out.byteOffset, mean?.byteOffset ?? 0, rstd?.byteOffset ?? 0, rows, C, eps, b === null ? 0 : 1, keep ? 1 : 0];
  split(be, rk, "layerNorm", args, [C * 4, 0, 0, C * 4, 4, 4], null, 6, rows, 1, rows * C * 4);
  return true;
}

/**
 * The layer-norm backward pass (layerNormBackwardKernel's float64 arithmetic, the same bits), added into
 * dx, dw and db (or null), where every array lives in the kernels' memory: dx split over the threads by
 * rows, dw and db by columns (each column's sum in row order whatever the split). False elsewhere.
 */
export function wasmLayerNormBackward(be: WasmBackend, dx: Float32Array, dw: Float32Array, db: Float32Array | null, dy: Float32Array, x: Float32Array, w: Float32Array, mean: Float32Array, rstd: Float32Array, rows: number, C: number): boolean {
  const mem = be.mem;
  if (C === 0 || ![dx, dw, dy, x, w, mean, rstd].every((a) => mem.holds(a)) || (db !== null && !mem.holds(db))) return false;
  const e = rowKernels(be);
  if (e === null) return false;
  split(be, e, "layerNormBackwardRows", [dx.byteOffset, dy.byteOffset, x.byteOffset, w.byteOffset, mean.byteOffset, rstd.byteOffset, rows, C], [C * 4, C * 4, C * 4, 0, 4, 4], null, 6, rows, 1, rows * C * 6);
  split(be, e, "layerNormBackwardColumns", [dw.byteOffset, db?.byteOffset ?? 0, dy.byteOffset, x.byteOffset, mean.byteOffset, rstd.byteOffset, rows, C, C, db === null ? 0 : 1], [4, 4, 4, 4, 0, 0], null, 7, C, 2, rows * C * 4);
  return true;
}

const expTables = new WeakMap<WasmBackend, number>(); // each backend's copy of expNonPositive's table (a byte offset)

/** expNonPositive's constants and table in the backend's memory, written on first use; -1 if it does not fit. */
function expTable(be: WasmBackend): number {
  let at = expTables.get(be);
  if (at === undefined) {
    const data = expTableData();
    at = be.mem.alloc(data.byteLength);
    if (at < 0) return -1;
    new Float64Array(be.mem.memory.buffer, at, data.length).set(data);
    expTables.set(be, at);
  }
  return at;
}

/** The targets as int32 in scratch after `skip` bytes, and room for `extra` bytes after them (8-aligned): their byte offsets, or null. */
function targetsIn(be: WasmBackend, targets: ArrayLike<number>, rows: number, extra: number): { at: number; after: number } | null {
  const tBytes = (rows * 4 + 15) & ~15, base = be.scratch(tBytes + extra);
  if (base < 0) return null;
  const ids = new Int32Array(be.mem.memory.buffer, base * 4, rows);
  for (let r = 0; r < rows; r++) ids[r] = targets[r];
  return { at: base * 4, after: base * 4 + tBytes };
}

/**
 * crossEntropyKernel (Σ over rows whose target is not −1 of −log softmax(logits[r])[t]) where the logits
 * live in the kernels' memory: each row's terms in WebAssembly (split over the threads by rows, the same
 * float64 arithmetic), added here in row order, so the same bits. null elsewhere.
 */
export function wasmCrossEntropy(be: WasmBackend, logits: Float32Array, targets: ArrayLike<number>, rows: number, V: number): number | null {
  const rk = V > 0 && be.mem.holds(logits) ? rowKernels(be) : null;
  const table = rk === null ? -1 : expTable(be), place = table < 0 ? null : targetsIn(be, targets, rows, rows * 16);
  if (place === null) return null;
  split(be, rk!, "crossEntropyRows", [logits.byteOffset, place.at, place.after, rows, V, table], [V * 4, 4, 16], null, 3, rows, 1, rows * V * 12);
  const terms = new Float64Array(be.mem.memory.buffer, place.after, 2 * rows);
  let total = 0;
  for (let r = 0; r < rows; r++) if (targets[r] !== -1) total += terms[2 * r] + Math.log(terms[2 * r + 1]);
  return total;
}

/** crossEntropyBackwardKernel where dlogits and logits live in the kernels' memory (split by rows, the same bits); false elsewhere. */
export function wasmCrossEntropyBackward(be: WasmBackend, dlogits: Float32Array, logits: Float32Array, targets: ArrayLike<number>, rows: number, V: number, scale: number): boolean {
  const rk = V > 0 && be.mem.holds(logits) && be.mem.holds(dlogits) ? rowKernels(be) : null;
  const table = rk === null ? -1 : expTable(be), place = table < 0 ? null : targetsIn(be, targets, rows, 0);
  if (place === null) return false;
  split(be, rk!, "crossEntropyBackwardRows", [dlogits.byteOffset, logits.byteOffset, place.at, rows, V, scale, table], [V * 4, V * 4, 4], null, 3, rows, 1, rows * V * 12);
  return true;
}

/** Whether no value of x is ±∞ or NaN, scanned in WebAssembly where the memory holds x; null where it does not. */
export function wasmAllFinite(be: WasmBackend, x: Float32Array): boolean | null {
  const rk = be.mem.holds(x) ? rowKernels(be) : null;
  if (rk === null) return null;
  const bulk = x.length & ~3;
  if (rk.allFinite(x.byteOffset, bulk) === 0) return false;
  for (let i = bulk; i < x.length; i++) if (x[i] - x[i] !== 0) return false;
  return true;
}

/** GELU (tanh form), element-wise over n values (a multiple of 4). `out` may be `x`. */
export function wasmGeluTanh(be: WasmBackend, out: Float32Array, x: Float32Array, n: number): boolean {
  if (n % 4 !== 0) return false;
  const e = be.exports, mem = be.mem;
  if (mem.holds(x) && mem.holds(out)) {
    e.geluTanh(x.byteOffset, out.byteOffset, n);
    return true;
  }
  const base = be.scratch(Math.min(n, CHUNK) * 4);
  if (base < 0) return false;
  const f = mem.f32;
  for (let i = 0; i < n; i += CHUNK) {
    const size = Math.min(CHUNK, n - i);
    be.copy(f, base, x, i, size, 0);
    e.geluTanh(base * 4, base * 4, size);
    be.copy(out, i, f, base, size, 0);
  }
  return true;
}

/**
 * SwiGLU's out = silu(gate)·up over n values (a multiple of 4), in float32, where all three live in
 * the kernels' memory (a generation's workspace): split over the threads by chunks. False otherwise
 * (the caller runs the JavaScript kernel, in float64).
 */
export function wasmSiluGated(be: WasmBackend, out: Float32Array, gate: Float32Array, up: Float32Array, n: number): boolean {
  const mem = be.mem;
  if (n % 4 !== 0 || !mem.holds(out) || !mem.holds(gate) || !mem.holds(up)) return false;
  split(be, be.exports, "siluGated", [gate.byteOffset, up.byteOffset, out.byteOffset, n], [4, 4, 4], null, 3, n, 8, n * 8);
  return true;
}

/** The GELU backward pass (tanh form) over n values (a multiple of 4): dx += dy·gelu′(x). */
export function wasmGeluTanhBackward(be: WasmBackend, dx: Float32Array, dy: Float32Array, x: Float32Array, n: number): boolean {
  if (n % 4 !== 0) return false;
  if (be.mem.holds(dx) && be.mem.holds(dy) && be.mem.holds(x)) {
    split(be, be.exports, "geluTanhBackward", [dx.byteOffset, dy.byteOffset, x.byteOffset, n], [4, 4, 4], null, 3, n, 4, n * 8);
    return true;
  }
  const chunk = Math.min(n, CHUNK);
  const base = be.scratch(3 * chunk * 4);
  if (base < 0) return false;
  const e = be.exports, f = be.mem.f32;
  const dxOff = base, dyOff = base + chunk, xOff = dyOff + chunk;
  for (let i = 0; i < n; i += CHUNK) {
    const size = Math.min(CHUNK, n - i);
    be.copy(f, dxOff, dx, i, size, 0);
    be.copy(f, dyOff, dy, i, size, 0);
    be.copy(f, xOff, x, i, size, 0);
    e.geluTanhBackward(dxOff * 4, dyOff * 4, xOff * 4, size);
    be.copy(dx, i, f, dxOff, size, 0);
  }
  return true;
}

/**
 * One AdamW update in float32 as `torch.optim.AdamW` computes it, of the first n − n % 4 values;
 * returns how many it updated (the caller does the rest).
 */
export function wasmAdamw(be: WasmBackend, p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, decay: number, beta1: number, beta2: number, eps: number, stepSize: number, bc2Sqrt: number): number {
  const n = p.length & ~3;
  if (n === 0) return 0;
  const mem = be.mem;
  if (mem.holds(p) && mem.holds(g) && mem.holds(m) && mem.holds(v)) {
    split(be, be.exports, "adamw", [p.byteOffset, g.byteOffset, m.byteOffset, v.byteOffset, n, 1 - decay, beta1, beta2, eps, stepSize, bc2Sqrt], [4, 4, 4, 4], null, 4, n, 4, n * 8);
    return n;
  }
  const chunk = Math.min(n, CHUNK);
  const base = be.scratch(4 * chunk * 4);
  if (base < 0) return 0;
  const e = be.exports, f = be.mem.f32, pOff = base, gOff = pOff + chunk, mOff = gOff + chunk, vOff = mOff + chunk;
  for (let i = 0; i < n; i += CHUNK) {
    const size = Math.min(CHUNK, n - i);
    be.copy(f, pOff, p, i, size, 0);
    be.copy(f, gOff, g, i, size, 0);
    be.copy(f, mOff, m, i, size, 0);
    be.copy(f, vOff, v, i, size, 0);
    e.adamw(pOff * 4, gOff * 4, mOff * 4, vOff * 4, size, 1 - decay, beta1, beta2, eps, stepSize, bc2Sqrt);
    be.copy(p, i, f, pOff, size, 0);
    be.copy(m, i, f, mOff, size, 0);
    be.copy(v, i, f, vOff, size, 0);
  }
  return n;
}

/**
 * x·Wᵀ + b over 16-bit weights (x [M, K], w the bytes of `[N, K]` F16 or BF16 values, kind as the
 * module's widen16: 0 F16, 1 BF16), summed in float32. One row (a generation step, K a multiple of 8,
 * N of 4) streams the weights at 2 bytes a value, widening them in registers;
 * more rows widen the whole matrix into float32 once and take the float32 kernels. Weights that are
 * not in the kernels' memory are copied in first.
 */
export function wasmLinear16(be: WasmBackend, out: Float32Array, x: Float32Array, w: Uint8Array, kind: number, b: Float32Array | null, M: number, K: number, N: number): boolean {
  const mem = be.mem, e = be.exports, n = N * K;
  const regions: number[] = [];
  const region = (bytes: number) => {
    const at = mem.alloc(bytes);
    if (at >= 0) regions.push(at);
    return at;
  };
  try {
    let wAt = w.byteOffset;
    if (!mem.holds(w) || w.byteOffset % 2 !== 0) {
      wAt = region(n * 2 + 16);
      if (wAt < 0) return false;
      new Uint8Array(mem.memory.buffer, wAt, n * 2).set(w.subarray(0, n * 2));
      mem.copiedBytes += n * 2;
    }
    if (M === 1 && K % 8 === 0 && N % 4 === 0) {
      const base = be.scratch((K + 2 * N) * 4);
      if (base < 0) return false;
      const f = mem.f32, xOff = base, bOff = xOff + K, oOff = bOff + N;
      be.copy(f, xOff, x, 0, K);
      if (b === null) f.fill(0, bOff, bOff + N);
      else be.copy(f, bOff, b, 0, N);
      split(be, e, "linearRow16", [xOff * 4, wAt, bOff * 4, oOff * 4, K, N, kind], [0, K * 2, 4, 4], null, 5, N, 8, K * N);
      be.copy(out, 0, f, oOff, N);
      return true;
    }
    if (!mem.shared || K % 4 !== 0) { // no view can be kept across the kernels' scratch: widen into JavaScript
      const wf = new Float32Array(n), h = new Uint16Array(mem.memory.buffer, wAt, n);
      for (let i = 0; i < n; i++) wf[i] = kind === 0 ? halfToFloat(h[i]) : bf16ToFloat(h[i]);
      return wasmLinear(be, out, x, wf, b, M, K, N);
    }
    // the whole matrix widened once (zero rows up to a multiple of 8, so the packed kernel reads it in place)
    const Np = (N + 7) & ~7, wide = region(Np * K * 4);
    if (wide < 0) return false;
    const bulk = n & ~7;
    e.widen16(wAt, wide, bulk, kind);
    const f = mem.f32, h = new Uint16Array(mem.memory.buffer, wAt, n);
    for (let i = bulk; i < n; i++) f[wide / 4 + i] = kind === 0 ? halfToFloat(h[i]) : bf16ToFloat(h[i]);
    f.fill(0, wide / 4 + n, wide / 4 + Np * K);
    const view = mem.view(wide, n);
    be.paddedViews.add(view);
    return wasmLinear(be, out, x, view, b, M, K, N);
  } finally {
    for (const at of regions) mem.release(at);
  }
}

/**
 * x·Wᵀ + b over a weight in a block format with an integer kernel (kind 0 Q8_0, 1 Q4_0, 2 Q4_1, 3 Q5_0, 4 Q5_1; `w` its
 * bytes, `[N, K]` values, K a multiple of 32): each row of x quantized to int8 blocks of 32 with a
 * float32 scale (quantizeQ8), then linearQ8. x, out, b and w are read and written where they are
 * when the memory holds them; what it does not hold goes through scratch (and is counted).
 */
export function wasmLinearQ8(be: WasmBackend, out: Float32Array, x: Float32Array, w: Uint8Array, kind: number, b: Float32Array | null, M: number, K: number, N: number): boolean {
  const q = quantKernels(be);
  if (q === null) return false;
  const mem = be.mem, nb = K / 32, rowBytes = N === 0 ? 0 : w.length / N; // w holds exactly N rows of K/32 blocks
  const xIn = mem.holds(x), oIn = mem.holds(out), bIn = b === null || mem.holds(b), wIn = mem.holds(w);
  const zeros = b === null ? be.zeros(N) : 0;
  if (zeros < 0) return false;
  const up = (n: number) => (n + 63) & ~63;
  const t = threadsFor(be, M * K * N), slices = t === null ? 1 : t.slices;
  const qBytes = up(M * K), dBytes = up(M * nb * 8), sBytes = up(nb * 72 + 256) * slices;
  const xBytes = xIn ? 0 : up(M * K * 4), oBytes = oIn ? 0 : up(M * N * 4), bBytes = bIn ? 0 : up(N * 4), wBytes = wIn ? 0 : up(N * rowBytes);
  const base = be.scratch(qBytes + dBytes + sBytes + xBytes + oBytes + bBytes + wBytes);
  if (base < 0) return false;
  let at = base * 4;
  const take = (bytes: number) => { const here = at; at += bytes; return here; };
  const qAt = take(qBytes), dAt = take(dBytes), sAt = take(sBytes);
  const xAt = xIn ? x.byteOffset : take(xBytes), oAt = oIn ? out.byteOffset : take(oBytes);
  const bAt = b === null ? zeros * 4 : bIn ? b.byteOffset : take(bBytes), wAt = wIn ? w.byteOffset : take(wBytes);
  const f = mem.f32;
  if (!xIn) be.copy(f, xAt / 4, x, 0, M * K);
  if (!bIn && b !== null) be.copy(f, bAt / 4, b, 0, N);
  if (!wIn) {
    new Uint8Array(mem.memory.buffer, wAt, N * rowBytes).set(w.subarray(0, N * rowBytes));
    mem.copiedBytes += N * rowBytes;
  }
  q.quantizeQ8(xAt, qAt, dAt, M * K);
  // split by output columns, four weight rows at a time (each thread streams its own rows of W once), out's rows N apart
  split(be, q, "linearQ8", [qAt, dAt, wAt, kind, bAt, oAt, M, K, N, sAt, N], [0, 0, rowBytes, 0, 4, 4], [0, 0, 0, 0, 0, 0, 0, 0, 0, sBytes / slices], 8, N, 4, M * K * N);
  if (!oIn) be.copy(out, 0, mem.f32, oAt / 4, M * N);
  return true;
}
