// The residual connection on tensors (the lesson forwards of both families): a + b, into `out` (may be a).
import type { Tensor } from "../tensor";
import { residualAdd } from "../kernels/residual";

export function residual(a: Tensor, b: Tensor, out?: Tensor): Tensor {
  const y = out ?? { data: new Float32Array(a.data.length), shape: [...a.shape] };
  residualAdd(y.data, a.data, b.data, y.data.length);
  return y;
}
