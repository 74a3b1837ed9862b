// The same GPT training step in tfjs, for `npm run bench train`: forward (tf ops), loss,
// tf.variableGrads, global-norm clipping and an AdamW written with tf ops (decay on ≥ 2-D tensors,
// then Adam, as torch.optim.AdamW). Weights are copied from our params, linear weights stored
// [in, out] (tfjs's fast matMul layout, see ../shared/PEERS.md); attention as batched [B·H, T, D]
// matMuls.
import type { GptParams } from "../src/index";
type TF = typeof import("@tensorflow/tfjs-core");
type T = import("@tensorflow/tfjs-core").Tensor;
type Var = import("@tensorflow/tfjs-core").Variable;

function transposeData(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j];
  return out;
}

export interface TfStep { loss(): number; step(): number; dispose(): void }

export function tfjsTrainer(tf: TF, params: GptParams, ids: number[][], targets: number[][], hyper: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number }): TfStep {
  const c = params.config, C = c.nEmbd, H = c.nHead, D = C / H, B = ids.length, Tn = ids[0].length, V = c.vocabSize, eps = c.eps ?? 1e-5;
  const vars: Var[] = [];
  const v = (data: Float32Array, shape: number[]) => { const t = tf.variable(tf.tensor(data, shape)); vars.push(t); return t; };
  const lin = (l: { weight: { data: Float32Array; shape: readonly number[] }; bias?: { data: Float32Array } | null }) => ({
    w: v(transposeData(l.weight.data, l.weight.shape[0], l.weight.shape[1]), [l.weight.shape[1], l.weight.shape[0]]),
    b: l.bias ? v(l.bias.data, [l.weight.shape[0]]) : null,
  });
  const norm = (n: { weight: { data: Float32Array }; bias?: { data: Float32Array } | null }) => ({ g: v(n.weight.data, [C]), b: n.bias ? v(n.bias.data, [C]) : null });
  const wte = v(params.wte.data, [V, C]), wpe = v(params.wpe.data, [c.blockSize, C]);
  const layers = params.h.map((b) => ({ ln1: norm(b.ln1), attn: lin(b.attn.cAttn), proj: lin(b.attn.cProj), ln2: norm(b.ln2), fc: lin(b.mlp.cFc), out: lin(b.mlp.cProj) }));
  const lnF = norm(params.lnF);
  const head = params.lmHead ? v(params.lmHead.data, [V, C]) : null;
  const idsOneHot = tf.cast(tf.oneHot(tf.tensor1d(ids.flat(), "int32"), V), "float32");
  const flatTargets = targets.flat();
  const valid = tf.tensor1d(flatTargets.map((t) => (t === -1 ? 0 : 1)), "float32");
  const oneHot = tf.oneHot(tf.tensor1d(flatTargets.map((t) => Math.max(0, t)), "int32"), V);
  const count = flatTargets.filter((t) => t !== -1).length;
  const mask = tf.tensor2d(Array.from({ length: Tn * Tn }, (_, i) => (i % Tn <= Math.floor(i / Tn) ? 0 : -1e9)), [Tn, Tn]);
  const layerNorm = (x: T, n: { g: T; b: T | null }) => {
    const mean = tf.mean(x, -1, true), d = tf.sub(x, mean);
    const y = tf.mul(tf.mul(d, tf.rsqrt(tf.add(tf.mean(tf.square(d), -1, true), eps))), n.g);
    return n.b ? tf.add(y, n.b) : y;
  };
  const dense = (x: T, l: { w: T; b: T | null }) => (l.b ? tf.add(tf.matMul(x, l.w), l.b) : tf.matMul(x, l.w));
  const gelu = (x: T) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))));
  const heads = (x: T) => tf.reshape(tf.transpose(tf.reshape(x, [B, Tn, H, D]), [0, 2, 1, 3]), [B * H, Tn, D]);
  const lossFn = () => {
    // the token embedding as a one-hot product: tfjs-wasm has no gradient kernel for gather (UnsortedSegmentSum)
    let x = tf.add(tf.matMul(idsOneHot, wte), tf.tile(tf.slice(wpe, [0, 0], [Tn, C]), [B, 1]));
    for (const l of layers) {
      const qkv = dense(layerNorm(x, l.ln1), l.attn);
      const [q, k, vv] = tf.split(qkv, 3, 1);
      const att = tf.softmax(tf.add(tf.mul(tf.matMul(heads(q), heads(k), false, true), 1 / Math.sqrt(D)), mask));
      const y = tf.reshape(tf.transpose(tf.reshape(tf.matMul(att, heads(vv)), [B, H, Tn, D]), [0, 2, 1, 3]), [B * Tn, C]);
      x = tf.add(x, dense(y, l.proj));
      x = tf.add(x, dense(gelu(dense(layerNorm(x, l.ln2), l.fc)), l.out));
    }
    const logits = tf.matMul(layerNorm(x, lnF), head ?? wte, false, true);
    const nll = tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), -1));
    return tf.div(tf.sum(tf.mul(nll, valid)), count) as import("@tensorflow/tfjs-core").Scalar;
  };
  const m = vars.map((x) => tf.variable(tf.zerosLike(x))), s = vars.map((x) => tf.variable(tf.zerosLike(x)));
  let t = 0;
  return {
    loss: () => tf.tidy(() => lossFn().dataSync()[0]),
    step: () => {
      t++;
      const value = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(lossFn, vars);
        const list = vars.map((x) => grads[x.name]);
        const norm = tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g)))));
        const scale = tf.minimum(1, tf.div(1, tf.add(norm, 1e-6)));
        const bc1 = 1 - hyper.beta1 ** t, bc2 = Math.sqrt(1 - hyper.beta2 ** t);
        vars.forEach((p, i) => {
          const g = tf.mul(list[i], scale);
          const decayed = p.shape.length >= 2 ? tf.mul(p, 1 - hyper.lr * hyper.weightDecay) : p;
          m[i].assign(tf.add(tf.mul(m[i], hyper.beta1), tf.mul(g, 1 - hyper.beta1)));
          s[i].assign(tf.add(tf.mul(s[i], hyper.beta2), tf.mul(tf.square(g), 1 - hyper.beta2)));
          p.assign(tf.sub(decayed, tf.div(tf.mul(m[i], hyper.lr / bc1), tf.add(tf.div(tf.sqrt(s[i]), bc2), hyper.eps))));
        });
        return value;
      });
      const loss = value.dataSync()[0];
      value.dispose();
      return loss;
    },
    dispose: () => {
      tf.dispose([...vars, ...m, ...s, idsOneHot, valid, oneHot, mask]);
    },
  };
}
