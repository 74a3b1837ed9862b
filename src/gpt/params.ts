/**
 * A GPT's parameters: the tree named as the checkpoint (`wte`, `wpe`, `h`, `ln_f`, `lm_head`), its
 * table (every tensor's path, checkpoint name, shape and initialisation: initGpt, the checks,
 * countParameters and gptFromStateDict all read it), and nanoGPT's initialisation.
 * @module
 */
import type { Rng } from "../random";
import type { Tensor } from "../tensor";
import type { Weight } from "../weight";
import { ShapeError } from "../tensor";
import type { BlockParams, Norm } from "../block";
import { checkOptions, describe as describeValue } from "../internal/check";
import { initFromTable, tableProblems } from "../internal/param-table";
import { type GptConfig, type ResolvedConfig, resolveConfig } from "./config";

/** A GPT's parameters, mirroring the checkpoint (`wte`, `wpe`, `h`, `ln_f`, `lm_head`). @category 13–20 · The model */
export interface GptParams<W extends Weight = Tensor> {
  config: GptConfig;
  /** Token embeddings `[V, C]`; also the LM head unless `lmHead` is present (tied, as GPT-2). */
  wte: W;
  /** Position embeddings `[blockSize, C]`. */
  wpe: W;
  /** The blocks. */
  h: BlockParams<W>[];
  /** The final layer norm. */
  lnF: Norm;
  /** A separate LM head `[V, C]` (minGPT); absent when tied to `wte`. */
  lmHead?: W;
}

/**
 * Initialises a GPT as nanoGPT does: linear and embedding weights N(0, 0.02), residual projections
 * (`attn.c_proj`, `mlp.c_proj`) N(0, 0.02/√(2·nLayer)), biases 0, layer norms weight 1 and bias 0;
 * the LM head is tied to `wte`.
 *
 * @param config - the model's shape
 * @param rng - from {@link createRng}
 * @returns fresh parameters, `config` included (with defaults filled in)
 * @throws RangeError for a bad config (e.g. nEmbd not divisible by nHead)
 * @category 13–20 · The model
 * @example
 * ```ts
 * const params = initGpt({ vocabSize: 3, blockSize: 11, nLayer: 3, nHead: 3, nEmbd: 48 }, createRng(0));
 * params.h.length; // 3
 * ```
 */
export function initGpt(config: GptConfig, rng: Rng): GptParams {
  const c = resolveConfig("initGpt", config);
  if (rng == null || typeof rng.normal !== "function") throw new TypeError(`initGpt: rng must come from createRng(seed), got ${describeValue(rng)}`);
  const params = { config: c, h: [] } as unknown as Record<string, unknown>;
  initFromTable(params, parameterSpecs(c, false), rng, { normal: 0.02, residual: 0.02 / Math.sqrt(2 * Math.max(1, c.nLayer)) });
  return params as unknown as GptParams;
}

/** One parameter: where it lives in GptParams, its checkpoint name, shape and initialisation. */
export interface ParamSpec {
  path: (string | number)[];
  name: string;
  shape: number[];
  /** Stored as `[in, out]` by Hugging Face's Conv1D. */
  conv1d: boolean;
  init: "normal" | "residual" | "ones" | "zeros";
}

/** Every parameter of a GPT with this config, in checkpoint order. */
export function parameterSpecs(c: ResolvedConfig, lmHead: boolean): ParamSpec[] {
  const C = c.nEmbd;
  const specs: ParamSpec[] = [
    { path: ["wte"], name: "wte.weight", shape: [c.vocabSize, C], conv1d: false, init: "normal" },
    { path: ["wpe"], name: "wpe.weight", shape: [c.blockSize, C], conv1d: false, init: "normal" },
  ];
  const norm = (path: (string | number)[], name: string) => {
    specs.push({ path: [...path, "weight"], name: `${name}.weight`, shape: [C], conv1d: false, init: "ones" });
    if (c.bias) specs.push({ path: [...path, "bias"], name: `${name}.bias`, shape: [C], conv1d: false, init: "zeros" });
  };
  const lin = (path: (string | number)[], name: string, out: number, inp: number, residual: boolean) => {
    specs.push({ path: [...path, "weight"], name: `${name}.weight`, shape: [out, inp], conv1d: true, init: residual ? "residual" : "normal" });
    if (c.bias) specs.push({ path: [...path, "bias"], name: `${name}.bias`, shape: [out], conv1d: false, init: "zeros" });
  };
  for (let i = 0; i < c.nLayer; i++) {
    norm(["h", i, "ln1"], `h.${i}.ln_1`);
    lin(["h", i, "attn", "cAttn"], `h.${i}.attn.c_attn`, 3 * C, C, false);
    lin(["h", i, "attn", "cProj"], `h.${i}.attn.c_proj`, C, C, true);
    norm(["h", i, "ln2"], `h.${i}.ln_2`);
    lin(["h", i, "mlp", "cFc"], `h.${i}.mlp.c_fc`, 4 * C, C, false);
    lin(["h", i, "mlp", "cProj"], `h.${i}.mlp.c_proj`, C, 4 * C, true);
  }
  norm(["lnF"], "ln_f");
  if (lmHead) specs.push({ path: ["lmHead"], name: "lm_head.weight", shape: [c.vocabSize, C], conv1d: false, init: "normal" });
  return specs;
}


/** Checks every tensor of params against the config; one error lists every problem. */
export function checkGptParams(fn: string, params: GptParams<Weight>, stored = false): ResolvedConfig {
  if (params == null || typeof params !== "object") throw new TypeError(`${fn}: params must be GptParams, got ${describeValue(params)}`);
  const c = resolveConfig(fn, params.config);
  const problems = tableProblems(params, parameterSpecs(c, params.lmHead != null), stored);
  if (problems.length) throw new ShapeError(`${fn}: params do not fit the config: ${problems.join("; ")}`);
  return c;
}
/**
 * The number of parameters of a GPT with this config (every weight and bias, position embeddings
 * included; the LM head counted only when untied).
 * @param config - the model's shape
 * @param options - `lmHead: true` to count a separate LM head
 * @category 13–20 · The model
 * @example
 * ```ts
 * countParameters({ vocabSize: 50257, blockSize: 1024, nLayer: 12, nHead: 12, nEmbd: 768 }); // 124,439,808 (GPT-2 small)
 * ```
 */
export function countParameters(config: GptConfig, options?: { lmHead?: boolean }): number {
  const c = resolveConfig("countParameters", config);
  checkOptions("countParameters", options, ["lmHead"]);
  return parameterSpecs(c, !!options?.lmHead).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
}

