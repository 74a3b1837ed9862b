// Broadcasting a mask against a [..., T, S] target: where each row of the target finds its mask row.
import type { Tensor } from "../tensor";
import { ShapeError, formatShape } from "../tensor";

/**
 * For every row of `target` (all axes but the last), the offset of the matching mask row, and the
 * step along the last axis (0 when the mask broadcasts over it). NumPy rules, right-aligned; the
 * mask may not have more axes than the target.
 */
export function maskRowOffsets(
  fn: string, name: string, mask: Tensor, target: readonly number[], targetName: string,
): { offsets: Int32Array; stride: number } {
  const ms = mask.shape, r = target.length, lead = r - ms.length;
  const bad = (): never => {
    throw new ShapeError(`${fn}: ${name} has shape ${formatShape(ms)}, expected a shape broadcastable to ${formatShape(target)} (${targetName})`);
  };
  if (lead < 0 || r === 0) bad();
  const strides = new Array<number>(r).fill(0);
  let step = 1;
  for (let i = ms.length - 1; i >= 0; i--) {
    const d = ms[i], td = target[lead + i];
    if (d !== td && d !== 1) bad();
    strides[lead + i] = d === 1 ? 0 : step;
    step *= d;
  }
  let rows = 1;
  for (let i = 0; i < r - 1; i++) rows *= target[i];
  const offsets = new Int32Array(rows);
  for (let row = 0; row < rows; row++) {
    let rem = row, off = 0;
    for (let i = r - 2; i >= 0; i--) {
      const idx = rem % target[i];
      rem = (rem - idx) / target[i];
      off += idx * strides[i];
    }
    offsets[row] = off;
  }
  return { offsets, stride: strides[r - 1] };
}
