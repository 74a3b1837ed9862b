// The PyTorch reference values written by test/fixtures/make_fixtures.py.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Encoded } from "./close";

const file = fileURLToPath(new URL("../fixtures/reference.json", import.meta.url));
const parsed = JSON.parse(readFileSync(file, "utf8")) as { cases: Record<string, Record<string, unknown>> };

/** One reference case by name; fails loudly when it is missing. */
export function ref(name: string): Record<string, any> {
  const c = parsed.cases[name];
  if (!c) throw new Error(`no reference case "${name}" in test/fixtures/reference.json: run npm run fixtures`);
  return c;
}

export type { Encoded };
