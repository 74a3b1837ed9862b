// Fails if the library's imports (src/**/*.ts) form a cycle — type-only imports included: a type
// that two layers need lives in the lower one. The layers point one way — ops → backend → model
// families → generate and training → viz. `node scripts/check-cycles.mjs DIR` checks another tree
// (the test that this check can fail runs it on a tree with a cycle injected).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const src = process.argv[2] ? resolve(process.argv[2]) : fileURLToPath(new URL("../src/", import.meta.url));
const files = [];
const walk = (dir) => {
  for (const f of readdirSync(dir)) {
    const path = join(dir, f);
    if (statSync(path).isDirectory()) walk(path);
    else if (f.endsWith(".ts")) files.push(path);
  }
};
walk(src);

const resolveImport = (from, spec) => {
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, join(base, "index.ts")]) if (files.includes(candidate)) return candidate;
  return null;
};
const graph = new Map();
for (const file of files) {
  const text = readFileSync(file, "utf8");
  const deps = new Set();
  // import … from "./x" and export … from "./x", `import type` / `export type` too, and import("./x") in type positions
  for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"|\bimport\("(\.[^"]+)"\)/gms)) {
    const target = resolveImport(file, m[1] ?? m[2]);
    if (target) deps.add(target);
  }
  graph.set(file, deps);
}

const state = new Map(); // 1 = on the stack, 2 = done
const cycles = [];
const visit = (file, stack) => {
  state.set(file, 1);
  stack.push(file);
  for (const dep of graph.get(file)) {
    if (state.get(dep) === 1) cycles.push([...stack.slice(stack.indexOf(dep)), dep].map((f) => relative(src, f)).join(" → "));
    else if (!state.has(dep)) visit(dep, stack);
  }
  stack.pop();
  state.set(file, 2);
};
for (const file of files) if (!state.has(file)) visit(file, []);
if (cycles.length) {
  console.error(`FAIL import cycles in src (${cycles.length}):\n${cycles.map((c) => `  ${c}`).join("\n")}`);
  process.exit(1);
}
console.log(`ok   no import cycles among ${files.length} files in src`);
