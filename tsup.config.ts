import { readFileSync, existsSync } from "node:fs";
import { defineConfig } from "tsup";

// One source of truth: every subpath in package.json "exports" is an entry point.
// "./foo" is built from src/foo.ts, or src/foo/index.ts when foo is a folder.
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { exports: Record<string, unknown> };
const entry: Record<string, string> = {};
for (const key of Object.keys(pkg.exports)) {
  if (key === "./package.json") continue;
  const name = key === "." ? "index" : key.slice(2);
  const file = existsSync(`src/${name}.ts`) ? `src/${name}.ts` : `src/${name}/index.ts`;
  entry[name] = file;
}

export default defineConfig({
  entry,
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  splitting: true,
  treeshake: true,
});
