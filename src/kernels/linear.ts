// Matrix-product kernels. `linearForward` computes x·Wᵀ + b with both operands row-major, so every
// output is a contiguous dot product (the PyTorch nn.Linear layout needs no transpose).

/**
 * The plain reference: out[i, j] = b[j] + Σ_k x[i, k]·w[j, k], for x [M, K], w [N, K].
 * Tests compare the fast kernel against this one.
 * @category Kernels
 * @example
 * ```ts
 * linearForwardReference(out, x, w, b, M, K, N); // out [M, N] = x [M, K] · w [N, K]ᵀ + b
 * ```
 */
export function linearForwardReference(
  out: Float32Array, x: Float32Array, w: Float32Array, b: Float32Array | null,
  M: number, K: number, N: number,
): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let acc = b === null ? 0 : b[j];
      for (let k = 0; k < K; k++) acc += x[i * K + k] * w[j * K + k];
      out[i * N + j] = acc;
    }
  }
}

import { isPanels, isResident, linearBackwardWasm, linearForwardWasm, WASM_MIN_ROWS } from "./wasm";

/** Rows of W kept hot while every row of x passes over them (64 rows × K floats fits in L2). */
const PANEL = 64;

/**
 * Same result as {@link linearForwardReference}, computed in 4×4 register tiles over panels of W.
 * @category Kernels
 * @example
 * ```ts
 * linearForward(out, x, w, null, M, K, N); // no bias
 * ```
 */
export function linearForward(
  out: Float32Array, x: Float32Array, w: Float32Array, b: Float32Array | null,
  M: number, K: number, N: number,
): void {
  for (let j0 = 0; j0 < N; j0 += PANEL) {
    const j1 = Math.min(N, j0 + PANEL);
    let i = 0;
    for (; i + 4 <= M; i += 4) {
      const x0 = i * K, x1 = x0 + K, x2 = x1 + K, x3 = x2 + K;
      let j = j0;
      for (; j + 4 <= j1; j += 4) {
        const w0 = j * K, w1 = w0 + K, w2 = w1 + K, w3 = w2 + K;
        let a00 = 0, a01 = 0, a02 = 0, a03 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0;
        let a20 = 0, a21 = 0, a22 = 0, a23 = 0, a30 = 0, a31 = 0, a32 = 0, a33 = 0;
        for (let k = 0; k < K; k++) {
          const p0 = x[x0 + k], p1 = x[x1 + k], p2 = x[x2 + k], p3 = x[x3 + k];
          const q0 = w[w0 + k], q1 = w[w1 + k], q2 = w[w2 + k], q3 = w[w3 + k];
          a00 += p0 * q0; a01 += p0 * q1; a02 += p0 * q2; a03 += p0 * q3;
          a10 += p1 * q0; a11 += p1 * q1; a12 += p1 * q2; a13 += p1 * q3;
          a20 += p2 * q0; a21 += p2 * q1; a22 += p2 * q2; a23 += p2 * q3;
          a30 += p3 * q0; a31 += p3 * q1; a32 += p3 * q2; a33 += p3 * q3;
        }
        const b0 = b === null ? 0 : b[j], b1 = b === null ? 0 : b[j + 1];
        const b2 = b === null ? 0 : b[j + 2], b3 = b === null ? 0 : b[j + 3];
        let o = i * N + j;
        out[o] = a00 + b0; out[o + 1] = a01 + b1; out[o + 2] = a02 + b2; out[o + 3] = a03 + b3; o += N;
        out[o] = a10 + b0; out[o + 1] = a11 + b1; out[o + 2] = a12 + b2; out[o + 3] = a13 + b3; o += N;
        out[o] = a20 + b0; out[o + 1] = a21 + b1; out[o + 2] = a22 + b2; out[o + 3] = a23 + b3; o += N;
        out[o] = a30 + b0; out[o + 1] = a31 + b1; out[o + 2] = a32 + b2; out[o + 3] = a33 + b3;
      }
      for (; j < j1; j++) {
        const wj = j * K;
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        for (let k = 0; k < K; k++) {
          const q = w[wj + k];
          a0 += x[x0 + k] * q; a1 += x[x1 + k] * q; a2 += x[x2 + k] * q; a3 += x[x3 + k] * q;
        }
        const bj = b === null ? 0 : b[j];
        out[i * N + j] = a0 + bj; out[(i + 1) * N + j] = a1 + bj;
        out[(i + 2) * N + j] = a2 + bj; out[(i + 3) * N + j] = a3 + bj;
      }
    }
    for (; i < M; i++) { // leftover rows (all of them when M < 4, as in generation): 1×4 tiles
      const xi = i * K;
      let j = j0;
      for (; j + 4 <= j1; j += 4) {
        const w0 = j * K, w1 = w0 + K, w2 = w1 + K, w3 = w2 + K;
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        for (let k = 0; k < K; k++) {
          const p = x[xi + k];
          a0 += p * w[w0 + k]; a1 += p * w[w1 + k]; a2 += p * w[w2 + k]; a3 += p * w[w3 + k];
        }
        const o = i * N + j;
        out[o] = a0 + (b === null ? 0 : b[j]); out[o + 1] = a1 + (b === null ? 0 : b[j + 1]);
        out[o + 2] = a2 + (b === null ? 0 : b[j + 2]); out[o + 3] = a3 + (b === null ? 0 : b[j + 3]);
      }
      for (; j < j1; j++) {
        const wj = j * K;
        let acc = 0;
        for (let k = 0; k < K; k++) acc += x[xi + k] * w[wj + k];
        out[i * N + j] = acc + (b === null ? 0 : b[j]);
      }
    }
  }
}

/**
 * out[batch, i, j] = Σ_k a[batch, i, k]·b[batch?, k, j] for a [batch, M, K] and b [K, N]
 * (shared, `bBatched` false) or [batch, K, N]. Accumulates each output row in float64.
 * @category Kernels
 * @example
 * ```ts
 * matmulForward(out, a, b, 1, M, K, N, false); // out [M, N] = a [M, K] · b [K, N]
 * ```
 */
export function matmulForward(
  out: Float32Array, a: Float32Array, b: Float32Array,
  batch: number, M: number, K: number, N: number, bBatched: boolean,
): void {
  const acc = new Float64Array(N);
  for (let p = 0; p < batch; p++) {
    const aBase = p * M * K, bBase = bBatched ? p * K * N : 0, oBase = p * M * N;
    for (let i = 0; i < M; i++) {
      acc.fill(0);
      for (let k = 0; k < K; k++) {
        const aik = a[aBase + i * K + k];
        const bRow = bBase + k * N;
        for (let j = 0; j < N; j++) acc[j] += aik * b[bRow + j];
      }
      const o = oBase + i * N;
      for (let j = 0; j < N; j++) out[o + j] = acc[j];
    }
  }
}

/**
 * x·Wᵀ + b by the fastest kernel here: WebAssembly SIMD for M ≥ 16 rows, or any M when W lives
 * in the kernels' memory (a running generation's weights), where available and switched on ({@link useWasm}); else
 * {@link linearForward}.
 * @category Kernels
 * @example
 * ```ts
 * linearKernel(out, x, w, b, M, K, N);
 * ```
 */
export function linearKernel(
  out: Float32Array, x: Float32Array, w: Float32Array, b: Float32Array | null,
  M: number, K: number, N: number,
): void {
  const resident = isResident(w, N, K);
  if ((M >= WASM_MIN_ROWS || resident) && linearForwardWasm(out, x, w, b, M, K, N)) return;
  // a generation's weight kept as the kernels' panels is not [N, K]: the JavaScript kernel cannot read it
  if (resident && isPanels(w)) throw new RangeError(`linearKernel: the WebAssembly kernel could not run over a weight [${N}, ${K}] kept as its panels (its memory is full)`);
  linearForward(out, x, w, b, M, K, N);
}

/**
 * The linear backward pass, the plain reference, added into its outputs (each may be null when not
 * wanted), for dy [M, N], x [M, K], w [N, K]:
 * dx[i, k] += Σ_j dy[i, j]·w[j, k] (dx = dy·W), dw[j, k] += Σ_i dy[i, j]·x[i, k] (dW = dyᵀ·x),
 * db[j] += Σ_i dy[i, j]. Each sum runs in float64. Tests compare {@link linearBackwardKernel} with it.
 * @category Kernels
 * @example
 * ```ts
 * linearBackwardReference(dx, dw, db, dy, x, w, M, K, N);
 * ```
 */
export function linearBackwardReference(
  dx: Float32Array | null, dw: Float32Array | null, db: Float32Array | null,
  dy: Float32Array, x: Float32Array, w: Float32Array, M: number, K: number, N: number,
): void {
  if (dx !== null) {
    for (let i = 0; i < M; i++) {
      for (let k = 0; k < K; k++) {
        let acc = 0;
        for (let j = 0; j < N; j++) acc += dy[i * N + j] * w[j * K + k];
        dx[i * K + k] += acc;
      }
    }
  }
  if (dw !== null) {
    for (let j = 0; j < N; j++) {
      for (let k = 0; k < K; k++) {
        let acc = 0;
        for (let i = 0; i < M; i++) acc += dy[i * N + j] * x[i * K + k];
        dw[j * K + k] += acc;
      }
    }
  }
  if (db !== null) columnSums(db, dy, M, N);
}

// Scratch for linearBackwardKernel's transposed operands and products, grown when a call needs more.
let scratchA: Float32Array = new Float32Array(0), scratchB: Float32Array = new Float32Array(0), scratchOut: Float32Array = new Float32Array(0);

function grow(buffer: Float32Array, n: number): Float32Array {
  return buffer.length >= n ? buffer : new Float32Array(n);
}

/** out [cols, rows] = aᵀ for a [rows, cols], in 32×32 blocks so that both sides stay in cache. */
function transposeInto(out: Float32Array, a: Float32Array, rows: number, cols: number): void {
  for (let i0 = 0; i0 < rows; i0 += 32) {
    const i1 = Math.min(rows, i0 + 32);
    for (let j0 = 0; j0 < cols; j0 += 32) {
      const j1 = Math.min(cols, j0 + 32);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * rows + i] = a[i * cols + j];
    }
  }
}

let columnScratch = new Float64Array(0);

/** db[j] += Σ_i dy[i, j], summed in float64, row by row (contiguous reads). */
function columnSums(db: Float32Array, dy: Float32Array, M: number, N: number): void {
  if (columnScratch.length < N) columnScratch = new Float64Array(N);
  const acc = columnScratch;
  acc.fill(0, 0, N);
  for (let i = 0; i < M; i++) {
    const row = i * N;
    for (let j = 0; j < N; j++) acc[j] += dy[row + j];
  }
  for (let j = 0; j < N; j++) db[j] += acc[j];
}

/**
 * Same contract as {@link linearBackwardReference}, by the fastest kernel here: WebAssembly SIMD
 * ({@link linearBackwardWasm}) where available and switched on; else both products are written as
 * x·Wᵀ products — dx = dy·(Wᵀ)ᵀ and dW = dyᵀ·(xᵀ)ᵀ — so that after transposing the operands they run
 * on the forward pass's tiled JavaScript kernel. Scratch is reused between calls.
 * @category Kernels
 * @example
 * ```ts
 * linearBackwardKernel(dx, dw, db, dy, x, w, M, K, N); // dx [M, K], dw [N, K], db [N]: all added into
 * ```
 */
export function linearBackwardKernel(
  dx: Float32Array | null, dw: Float32Array | null, db: Float32Array | null,
  dy: Float32Array, x: Float32Array, w: Float32Array, M: number, K: number, N: number,
): void {
  if (linearBackwardWasm(dx, dw, dy, x, w, M, K, N, db)) return;
  if (db !== null) columnSums(db, dy, M, N);
  if (dx !== null) {
    const wT = (scratchA = grow(scratchA, K * N)), out = (scratchOut = grow(scratchOut, M * K));
    transposeInto(wT, w, N, K);
    linearKernel(out, dy, wT, null, M, N, K);
    for (let i = 0, n = M * K; i < n; i++) dx[i] += out[i];
  }
  if (dw !== null) {
    const dyT = (scratchA = grow(scratchA, N * M)), xT = (scratchB = grow(scratchB, K * M)), out = (scratchOut = grow(scratchOut, N * K));
    transposeInto(dyT, dy, M, N);
    transposeInto(xT, x, M, K);
    linearKernel(out, dyT, xT, null, N, M, K);
    for (let i = 0, n = N * K; i < n; i++) dw[i] += out[i];
  }
}
