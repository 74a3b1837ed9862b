// Loads the built package through its own name (Node's package self-reference), with both
// `import` and `require`, at the root and at every subpath in package.json "exports", and checks
// that each entry exposes functions, has types for moduleResolution node10 (typesVersions), and
// that the root exposes every subpath's exports.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const require = createRequire(import.meta.url);
const subpaths = Object.keys(pkg.exports).filter((k) => k !== "./package.json");
let failures = 0;
const root = await import(pkg.name);
for (const sub of subpaths) {
  const id = sub === "." ? pkg.name : `${pkg.name}/${sub.slice(2)}`;
  try {
    const esm = await import(id);
    const cjs = require(id);
    const names = Object.keys(esm).sort();
    if (names.length === 0) throw new Error("no exports");
    if (names.join() !== Object.keys(cjs).sort().join()) throw new Error(`ESM and CJS exports differ: ${names} vs ${Object.keys(cjs).sort()}`);
    // moduleResolution node10 finds a subpath's types only through typesVersions (attw checks they resolve)
    const typesFor = pkg.typesVersions?.["*"]?.[sub.slice(2)]?.[0];
    if (sub !== "." && typesFor !== `./dist/${sub.slice(2)}.d.cts`) throw new Error(`typesVersions["*"]["${sub.slice(2)}"] is ${JSON.stringify(typesFor)}, expected ["./dist/${sub.slice(2)}.d.cts"]`);
    if (sub !== "./kernels" && sub !== "./pretrained" && sub !== "./viz") { // low-level kernels, shipped data and pictures: the root must not pull them in
      const missing = names.filter((n) => !(n in root));
      if (missing.length) throw new Error(`not re-exported from the root: ${missing.join(", ")}`);
    }
    console.log(`ok  ${id}  (${names.length} exports, import + require)`);
  } catch (e) {
    failures++;
    console.error(`FAIL ${id}: ${e.message}`);
  }
}
if (failures) process.exit(1);
