// The PyTorch reference values written by test/fixtures/make_fixtures.py (attention core),
// test/fixtures/make_model_fixtures.py (model), test/fixtures/make_train_fixtures.py (gradients) and
// test/fixtures/make_llama_fixtures.py (the Llama family).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Encoded } from "./close";

function load(file: string): Record<string, Record<string, unknown>> {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/${file}`, import.meta.url)), "utf8")).cases;
}
const core = load("reference.json");
const model = load("model-reference.json");
const train = load("train-reference.json");
const llama = load("llama-reference.json");

function pick(cases: Record<string, Record<string, unknown>>, file: string, name: string): Record<string, any> {
  const c = cases[name];
  if (!c) throw new Error(`no reference case "${name}" in test/fixtures/${file}: run npm run fixtures`);
  return c;
}

/** One attention-core reference case by name; fails loudly when it is missing. */
export const ref = (name: string) => pick(core, "reference.json", name);
/** One model reference case by name. */
export const modelRef = (name: string) => pick(model, "model-reference.json", name);

/** One training reference case (test/fixtures/make_train_fixtures.py) by name. */
export const trainRef = (name: string) => pick(train, "train-reference.json", name);

/** One Llama reference case (test/fixtures/make_llama_fixtures.py) by name. */
export const llamaRef = (name: string) => pick(llama, "llama-reference.json", name);

/** Bytes of a file under test/fixtures or examples/assets. */
export function fixtureBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url))));
}

export type { Encoded };
