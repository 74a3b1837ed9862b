// The quantizer Q4_K and Q5_K share (ggml's quantize_row_q4_K_ref / quantize_row_q5_K_ref): per
// sub-block of 32 a scale and a minimum by make_qkx2_quants, weighted by rms + |x|; the 8 of each
// quantized to 6 bits against the super-block's F16 d and dmin; then every value requantized to the
// stored scales. Levels 0 … nmax (15 or 31) into L; the caller packs them.
import { writeHalf, readHalf } from "./common";
import { nearestInt, makeQkx2Quants } from "./k-search";
import { packScaleMinK4, scaleMinK4 } from "./k-scales";

const f = Math.fround;
// one super-block's working values, reused (quantizing runs one super-block at a time)
const weights = new Float32Array(32), Laux = new Uint8Array(32), scales = new Float32Array(8), mins = new Float32Array(8);
const ls = new Uint8Array(8), lm = new Uint8Array(8), sc = new Uint8Array(8), m = new Uint8Array(8);

/** Fills the header (d, dmin, 12 scale bytes) of the super-block at dst[o …) and its 256 levels into L. */
export function quantizeScaleMinBlock(
  x: Float32Array, at: number, dst: Uint8Array, o: number, L: Uint8Array, nmax: number, rmin: number, rdelta: number, nstep: number,
): void {
  let maxScale = 0, maxMin = 0;
  for (let j = 0; j < 8; j++) {
    let sumX2 = 0;
    for (let l = 0; l < 32; l++) sumX2 = f(sumX2 + f(x[at + 32 * j + l] * x[at + 32 * j + l]));
    const avX = f(Math.sqrt(f(sumX2 / 32)));
    for (let l = 0; l < 32; l++) weights[l] = f(avX + Math.abs(x[at + 32 * j + l]));
    [scales[j], mins[j]] = makeQkx2Quants(32, nmax, x, at + 32 * j, weights, L, 32 * j, Laux, rmin, rdelta, nstep);
    if (scales[j] > maxScale) maxScale = scales[j];
    if (mins[j] > maxMin) maxMin = mins[j];
  }
  const invScale = maxScale > 0 ? f(63 / maxScale) : 0, invMin = maxMin > 0 ? f(63 / maxMin) : 0;
  for (let j = 0; j < 8; j++) { // C stores nearest_int in a uint8_t, then takes MIN(63, ·)
    ls[j] = Math.min(63, nearestInt(f(invScale * scales[j])) & 255);
    lm[j] = Math.min(63, nearestInt(f(invMin * mins[j])) & 255);
  }
  packScaleMinK4(dst, o + 4, ls, lm);
  writeHalf(dst, o, f(maxScale / 63));
  writeHalf(dst, o + 2, f(maxMin / 63));
  const d = readHalf(dst, o), dmin = readHalf(dst, o + 2);
  scaleMinK4(dst, o + 4, sc, m);
  for (let j = 0; j < 8; j++) {
    const dj = f(d * sc[j]);
    if (!dj) continue; // L keeps make_qkx2_quants' levels
    const dm = f(dmin * m[j]);
    for (let i = 0; i < 32; i++) L[32 * j + i] = Math.max(0, Math.min(nmax, nearestInt(f(f(x[at + 32 * j + i] + dm) / dj))));
  }
}
