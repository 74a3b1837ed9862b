// Fails if the library's runtime imports (src/**/*.ts, `import type` ignored) form a cycle: the
// layers point one way — ops → blocks → model families → generate and training.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const src = fileURLToPath(new URL("../src/", import.meta.url));
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
  // import … from "./x" and export … from "./x", but not `import type` / `export type`
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+"(\.[^"]+)"/gms)) {
    const target = resolveImport(file, m[1]);
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
