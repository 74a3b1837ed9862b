// Training checkpoints as one safetensors file: the weights under nanoGPT's names (what
// scripts/python/gpt.py and the demo load), AdamW's moments under "optimizer.m." and
// "optimizer.v.", and the config, step and anything else in the metadata.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import {
  flattenTensors, gptConfigFromMetadata, gptFromStateDict, gptToStateDict, loadSafetensors, safetensorsMetadata, saveSafetensors, unflattenTensors,
  type AdamWState, type GptParams, type Tensor,
} from "transformer-primitives";

export function saveCheckpoint(path: string, params: GptParams, metadata: Record<string, string>, optimizer?: AdamWState): void {
  const record: Record<string, Tensor> = { ...gptToStateDict(params) };
  if (optimizer) Object.assign(record, flattenTensors(optimizer.m, "optimizer.m."), flattenTensors(optimizer.v, "optimizer.v."));
  const meta = { ...metadata, config: JSON.stringify(params.config), ...(optimizer ? { optimizer_step: String(optimizer.step) } : {}) };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, saveSafetensors(record, meta));
}

export function loadCheckpoint(path: string): { params: GptParams; metadata: Record<string, string>; optimizer?: AdamWState } {
  const bytes = new Uint8Array(readFileSync(path));
  const metadata = safetensorsMetadata(bytes);
  const all = loadSafetensors(bytes);
  const weights: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(all)) if (!name.startsWith("optimizer.")) weights[name] = t;
  const params = gptFromStateDict(weights, gptConfigFromMetadata(metadata));
  const optimizer = metadata.optimizer_step === undefined ? undefined
    : { step: Number(metadata.optimizer_step), m: unflattenTensors(all, "optimizer.m."), v: unflattenTensors(all, "optimizer.v.") };
  return { params, metadata, optimizer };
}
