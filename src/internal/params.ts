// The parameter table of a GPT: every tensor's place in GptParams, checkpoint name, shape and
// initialisation. initGpt, gptForward's checks, countParameters and gptFromStateDict all read it.
import type { GptConfig, GptParams } from "../gpt";
import type { Tensor } from "../tensor";
import { ShapeError, formatShape } from "../tensor";
import { checkGelu, checkInteger, checkOptions, checkPositive, describe as describeValue, isFloat32Array, sameShape } from "./check";

/** A config with every default filled in and checked. */
export type ResolvedConfig = Required<GptConfig>;

const CONFIG_FIELDS = ["vocabSize", "blockSize", "nLayer", "nHead", "nEmbd", "bias", "gelu", "eps"];

/** Fills in the defaults of a config and checks every field (an unknown one is an error), naming fn in errors. */
export function resolveConfig(fn: string, config: GptConfig): ResolvedConfig {
  if (config == null || typeof config !== "object") throw new TypeError(`${fn}: config must be a GptConfig object, got ${describeValue(config)}`);
  checkOptions(fn, config, CONFIG_FIELDS, "config field");
  const { vocabSize, blockSize, nLayer, nHead, nEmbd, bias = true, gelu = "tanh", eps = 1e-5 } = config;
  checkInteger(fn, "config.vocabSize", vocabSize, 1);
  checkInteger(fn, "config.blockSize", blockSize, 1);
  checkInteger(fn, "config.nLayer", nLayer, 0);
  checkInteger(fn, "config.nHead", nHead, 1);
  checkInteger(fn, "config.nEmbd", nEmbd, 1);
  if (nEmbd % nHead !== 0) {
    throw new RangeError(`${fn}: config.nEmbd = ${nEmbd} is not divisible by config.nHead = ${nHead}, expected a multiple of ${nHead}`);
  }
  if (typeof bias !== "boolean") throw new TypeError(`${fn}: config.bias must be a boolean, got ${describeValue(bias)}`);
  checkGelu(fn, "config.gelu", gelu);
  checkPositive(fn, "config.eps", eps);
  return { vocabSize, blockSize, nLayer, nHead, nEmbd, bias, gelu, eps };
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

/** Reads root[path[0]][path[1]]…, or undefined where a step is missing. */
export function getPath(root: unknown, path: (string | number)[]): unknown {
  let node = root as Record<string | number, unknown> | undefined;
  for (const key of path) node = node == null ? undefined : (node[key] as Record<string | number, unknown>);
  return node;
}

/** Writes value at root[path[0]][path[1]]…, creating arrays (numeric keys) and objects on the way. */
export function setPath(root: Record<string | number, unknown>, path: (string | number)[], value: unknown): void {
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    if (node[key] == null) node[key] = typeof path[i + 1] === "number" ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  }
  node[path[path.length - 1]] = value;
}

/** Checks every tensor of params against the config; one error lists every problem. */
export function checkGptParams(fn: string, params: GptParams): ResolvedConfig {
  if (params == null || typeof params !== "object") throw new TypeError(`${fn}: params must be GptParams, got ${describeValue(params)}`);
  const c = resolveConfig(fn, params.config);
  const problems: string[] = [];
  for (const s of parameterSpecs(c, params.lmHead != null)) {
    const t = getPath(params, s.path) as Tensor | undefined;
    const where = `params.${s.path.join(".")}`;
    if (t == null || !isFloat32Array(t.data)) problems.push(`${where} is missing, expected ${formatShape(s.shape)}`);
    else if (!sameShape(t.shape, s.shape) || t.data.length !== s.shape.reduce((a, b) => a * b, 1)) {
      problems.push(`${where} has shape ${formatShape(t.shape)}, expected ${formatShape(s.shape)}`);
    }
  }
  if (problems.length) throw new ShapeError(`${fn}: params do not fit the config: ${problems.join("; ")}`);
  return c;
}
