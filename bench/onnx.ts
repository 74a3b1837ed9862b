// A tiny ONNX protobuf writer: just enough to build one-op graphs (weights as initializers) for
// onnxruntime-node, in memory, with no .onnx files and no protobuf dependency.

type Bytes = number[];

function varint(out: Bytes, n: number): void {
  let v = BigInt.asUintN(64, BigInt(n)); // negative int64s are ten bytes of two's complement
  while (v > 127n) {
    out.push(Number(v & 127n) | 128);
    v >>= 7n;
  }
  out.push(Number(v));
}
function key(out: Bytes, field: number, wire: number): void {
  varint(out, field * 8 + wire);
}
function int(out: Bytes, field: number, n: number): void {
  key(out, field, 0);
  varint(out, n);
}
function bytes(out: Bytes, field: number, data: ArrayLike<number>): void {
  key(out, field, 2);
  varint(out, data.length);
  for (let i = 0; i < data.length; i++) out.push(data[i]);
}
function str(out: Bytes, field: number, s: string): void {
  bytes(out, field, new TextEncoder().encode(s));
}
function float(out: Bytes, field: number, f: number): void {
  key(out, field, 5);
  const b = new Uint8Array(new Float32Array([f]).buffer);
  out.push(...b);
}
function message(build: (m: Bytes) => void): Bytes {
  const m: Bytes = [];
  build(m);
  return m;
}

export type Attr = { name: string; f?: number; i?: number; ints?: number[]; s?: string };
export interface OnnxNode { op: string; inputs: string[]; outputs: string[]; attrs?: Attr[]; domain?: string }
export interface Initializer { name: string; dims: number[]; data: Float32Array }

function valueInfo(name: string, dims: number[]): Bytes {
  return message((m) => {
    str(m, 1, name);
    bytes(m, 2, message((t) => bytes(t, 1, message((tt) => {
      int(tt, 1, 1); // FLOAT
      bytes(tt, 2, message((shape) => { for (const d of dims) bytes(shape, 1, message((dim) => int(dim, 1, d))); }));
    }))));
  });
}

/** Serialises a model: one graph, float32 inputs/outputs of fixed shapes, the given opset. */
export function onnxModel(spec: {
  nodes: OnnxNode[]; initializers: Initializer[];
  inputs: { name: string; dims: number[] }[]; outputs: { name: string; dims: number[] }[]; opset?: number;
}): Uint8Array {
  const graph = message((g) => {
    for (const n of spec.nodes) {
      bytes(g, 1, message((m) => {
        for (const i of n.inputs) str(m, 1, i);
        for (const o of n.outputs) str(m, 2, o);
        str(m, 4, n.op);
        for (const a of n.attrs ?? []) {
          bytes(m, 5, message((at) => {
            str(at, 1, a.name);
            if (a.f !== undefined) { float(at, 2, a.f); int(at, 20, 1); }
            else if (a.i !== undefined) { int(at, 3, a.i); int(at, 20, 2); }
            else if (a.s !== undefined) { str(at, 4, a.s); int(at, 20, 3); }
            else if (a.ints) { for (const v of a.ints) int(at, 8, v); int(at, 20, 7); }
          }));
        }
        if (n.domain) str(m, 7, n.domain);
      }));
    }
    str(g, 2, "g");
    for (const t of spec.initializers) {
      bytes(g, 5, message((m) => {
        for (const d of t.dims) int(m, 1, d);
        int(m, 2, 1);
        str(m, 8, t.name);
        bytes(m, 9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
      }));
    }
    for (const i of spec.inputs) bytes(g, 11, valueInfo(i.name, i.dims));
    for (const o of spec.outputs) bytes(g, 12, valueInfo(o.name, o.dims));
  });
  return Uint8Array.from(message((m) => {
    int(m, 1, 8); // ir_version
    bytes(m, 8, message((op) => { str(op, 1, ""); int(op, 2, spec.opset ?? 20); }));
    bytes(m, 7, graph);
  }));
}

/**
 * Causal attention as ONNX ops, the way a graph without a fused attention op computes it: q·kᵀ
 * (`perm` transposes k's last two axes: [0, 2, 1] for [H, T, D], [0, 1, 3, 2] for [B, H, T, D]),
 * times 1/√D, plus a [T, T] mask of −∞, softmax, times v. Inputs q, k, v; output y.
 */
export function causalAttentionGraph(T: number, D: number, perm: number[], mask: Float32Array): { nodes: OnnxNode[]; inits: Initializer[] } {
  return {
    nodes: [
      { op: "Transpose", inputs: ["k"], outputs: ["kt"], attrs: [{ name: "perm", ints: perm }] },
      { op: "MatMul", inputs: ["q", "kt"], outputs: ["s"] },
      { op: "Mul", inputs: ["s", "scale"], outputs: ["ss"] },
      { op: "Add", inputs: ["ss", "mask"], outputs: ["sm"] },
      { op: "Softmax", inputs: ["sm"], outputs: ["p"], attrs: [{ name: "axis", i: -1 }] },
      { op: "MatMul", inputs: ["p", "v"], outputs: ["y"] },
    ],
    inits: [{ name: "scale", dims: [], data: new Float32Array([1 / Math.sqrt(D)]) }, { name: "mask", dims: [T, T], data: mask }],
  };
}
