// scripts/check-cycles.mjs, on small trees: a cycle made only of type imports is a cycle too.
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

function check(files: Record<string, string>): { status: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), "cycles-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const r = spawnSync(process.execPath, ["scripts/check-cycles.mjs", dir], { encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe("check-cycles", () => {
  it("fails on a cycle of type-only imports, naming its files", () => {
    const r = check({
      "a.ts": 'import type { B } from "./sub/b";\nexport interface A { b?: B }\n',
      "sub/b.ts": 'export type { A } from "../a";\nimport type { A } from "../a";\nexport interface B { a?: A }\n',
    });
    expect(r.status).toBe(1);
    expect(r.out).toContain("a.ts → sub/b.ts → a.ts");
  });

  it("fails on a cycle through an index file and a type in an import() position", () => {
    const r = check({
      "lib/index.ts": 'export { f } from "./f";\n',
      "lib/f.ts": 'export function f(x: import("./index").Unused): void {}\n',
    });
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/lib\/(index|f)\.ts → lib\/(f|index)\.ts → lib\/(index|f)\.ts/);
  });

  it("passes a tree whose imports point one way, type imports included", () => {
    const r = check({
      "low.ts": "export interface Low { n: number }\n",
      "mid.ts": 'import type { Low } from "./low";\nexport const mid = (l: Low) => l.n;\n',
      "top.ts": 'import { mid } from "./mid";\nimport type { Low } from "./low";\nexport const top = (l: Low) => mid(l);\n',
    });
    expect(r.status).toBe(0);
    expect(r.out).toContain("no import cycles among 3 files");
  });
});
