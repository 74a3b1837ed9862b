/**
 * From a checkpoint's state dict (names → tensors) to {@link GptParams}.
 * @module
 */
import type { Tensor } from "../tensor";
import { ShapeError, formatShape } from "../tensor";
import { type GptConfig, resolveConfig } from "../gpt/config";
import { type GptParams, checkGptParams, parameterSpecs } from "../gpt/params";
import { getPath, setPath } from "../internal/param-table";
import { sameShape, isFloat32Array } from "../internal/check";

/** Buffers that checkpoints carry but that are not parameters (causal-mask caches). */
const BUFFER = /^h\.\d+\.attn\.(bias|masked_bias)$/;

function transpose(t: Tensor): Tensor {
  const [r, c] = t.shape;
  const data = new Float32Array(t.data.length);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) data[j * r + i] = t.data[i * c + j];
  return { data, shape: [c, r] };
}

function equal(a: Tensor, b: Tensor): boolean {
  return sameShape(a.shape, b.shape) && a.data.every((v, i) => Object.is(v, b.data[i]));
}

/**
 * The model config a checkpoint carries in its safetensors metadata: the JSON of a
 * {@link GptConfig} under `config`, as this library's `npm run train` and `scripts/python/gpt.py`
 * write it. Checked as {@link initGpt} checks a config.
 *
 * @param metadata - from {@link safetensorsMetadata}
 * @returns the config (defaults not filled in: as written)
 * @throws RangeError when there is no `config` entry (Hugging Face checkpoints have none: pass
 *   {@link GPT2_CONFIGS}`.small` or the model's own shape) or it is not a config's JSON
 * @category 20 · Weights
 * @example
 * ```ts
 * const params = gptFromStateDict(loadSafetensors(bytes), gptConfigFromMetadata(safetensorsMetadata(bytes)));
 * ```
 */
export function gptConfigFromMetadata(metadata: Record<string, string>): GptConfig {
  const fn = "gptConfigFromMetadata";
  if (metadata == null || typeof metadata !== "object") throw new TypeError(`${fn}: metadata must be the object safetensorsMetadata returns, got ${String(metadata)}`);
  const text = Object.prototype.hasOwnProperty.call(metadata, "config") ? metadata.config : undefined;
  if (text === undefined) {
    const keys = Object.keys(metadata);
    throw new RangeError(`${fn}: the checkpoint's metadata has no "config" entry (it has ${keys.length ? keys.map((k) => JSON.stringify(k)).join(", ") : "none"}); Hugging Face checkpoints carry none: pass the model's shape instead, e.g. GPT2_CONFIGS.small`);
  }
  let config: unknown;
  try { config = JSON.parse(text); } catch { throw new RangeError(`${fn}: metadata.config is not JSON: ${JSON.stringify(text.slice(0, 80))}`); }
  resolveConfig(fn, config as GptConfig);
  return config as GptConfig;
}

/**
 * Builds GPT parameters from a state dict, e.g. from {@link loadSafetensors}.
 *
 * Accepts nanoGPT/minGPT names (`transformer.h.0.attn.c_attn.weight`, `nn.Linear` layout
 * `[out, in]`) and Hugging Face GPT-2 names (`h.0.attn.c_attn.weight`, Conv1D layout `[in, out]`,
 * transposed on load); the layout is recognised from the shape of `c_attn.weight` (`[C, 3C]` is
 * Conv1D), so Hugging Face checkpoints saved with a `transformer.` prefix load too. Causal-mask
 * buffers (`attn.bias`, `attn.masked_bias`) are skipped. An `lm_head.weight` is kept as an untied
 * head, unless it equals `wte` exactly (then the head stays tied).
 *
 * @param record - tensors by checkpoint name
 * @param config - the model's shape
 * @returns parameters (sharing tensors with `record` where no transpose was needed)
 * @throws ShapeError listing every missing, unexpected and wrongly shaped tensor at once
 * @category 20 · Weights
 * @example
 * ```ts
 * const params = gptFromStateDict(loadSafetensors(bytes), { vocabSize: 3, blockSize: 11, nLayer: 3, nHead: 3, nEmbd: 48 });
 * ```
 */
export function gptFromStateDict(record: Record<string, Tensor>, config: GptConfig): GptParams {
  const fn = "gptFromStateDict";
  const c = resolveConfig(fn, config);
  if (record == null || typeof record !== "object") throw new TypeError(`${fn}: record must be an object of tensors`);
  const byName = new Map<string, [string, Tensor]>();
  for (const [key, t] of Object.entries(record)) byName.set(key.startsWith("transformer.") ? key.slice("transformer.".length) : key, [key, t]);
  const hasHead = byName.has("lm_head.weight");
  const specs = parameterSpecs(c, hasHead);
  const C = c.nEmbd;
  const firstAttn = byName.get("h.0.attn.c_attn.weight")?.[1];
  const conv1d = firstAttn != null && sameShape(firstAttn.shape, [C, 3 * C]);

  // names in problems are spelt as the record spells them (with its "transformer." prefix, if it uses one)
  const prefix = Object.keys(record).some((k) => k.startsWith("transformer.")) ? "transformer." : "";
  const spelt = (name: string) => (name === "lm_head.weight" ? name : prefix + name);
  const problems: string[] = [];
  const params = { config: c, h: [] } as unknown as Record<string, unknown>;
  const used = new Set<string>();
  for (const s of specs) {
    const found = byName.get(s.name);
    if (!found) {
      problems.push(`missing ${spelt(s.name)} ${formatShape(s.shape)}`);
      continue;
    }
    const [key, t] = found;
    used.add(s.name);
    if (t == null || !isFloat32Array(t.data) || !Array.isArray(t.shape)) {
      problems.push(`${key} is not a tensor`);
      continue;
    }
    const stored = s.conv1d && conv1d ? [s.shape[1], s.shape[0]] : s.shape;
    if (!sameShape(t.shape, stored)) {
      problems.push(`${key} has shape ${formatShape(t.shape)}, expected ${formatShape(stored)}${s.conv1d && conv1d ? " (Conv1D layout [in, out])" : ""}`);
      continue;
    }
    setPath(params, s.path, s.conv1d && conv1d ? transpose(t) : t);
  }
  for (const [name, [key]] of byName) if (!used.has(name) && !BUFFER.test(name)) problems.push(`unexpected ${key}`);
  if (problems.length) throw new ShapeError(`${fn}: the state dict does not fit the config (${problems.length} problem${problems.length > 1 ? "s" : ""}):\n${problems.map((p) => `  ${p}`).join("\n")}`);
  const result = params as unknown as GptParams;
  if (result.lmHead && equal(result.lmHead, result.wte)) delete result.lmHead;
  return result;
}

/**
 * The inverse of {@link gptFromStateDict}: a GPT's parameters as a state dict with nanoGPT names
 * (`transformer.wte.weight`, `transformer.h.0.attn.c_attn.weight` in the `nn.Linear` layout `[out, in]`,
 * `lm_head.weight` for an untied head, omitted when tied) — what {@link saveSafetensors} writes and
 * `scripts/python/gpt.py` (or nanoGPT) loads with `load_state_dict`.
 *
 * @param params - the model
 * @returns tensors by checkpoint name (sharing the params' tensors, not copies)
 * @throws ShapeError when params do not fit their config
 * @category 20 · Weights
 * @example
 * ```ts
 * const bytes = saveSafetensors(gptToStateDict(params), { config: JSON.stringify(params.config) });
 * ```
 */
export function gptToStateDict(params: GptParams): Record<string, Tensor> {
  const c = checkGptParams("gptToStateDict", params);
  const record: Record<string, Tensor> = Object.create(null);
  for (const s of parameterSpecs(c, params.lmHead != null)) {
    record[s.name === "lm_head.weight" ? s.name : `transformer.${s.name}`] = getPath(params, s.path) as Tensor;
  }
  return record;
}
