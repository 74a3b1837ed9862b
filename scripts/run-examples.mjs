// Runs every example (examples/*.ts) with tsx, as a reader would, and fails if any exits non-zero.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";

const files = readdirSync(new URL("../examples", import.meta.url)).filter((f) => f.endsWith(".ts")).sort();
let failed = 0;
for (const f of files) {
  const r = spawnSync(process.execPath, ["--import", "tsx", `examples/${f}`], { encoding: "utf8" });
  if (r.status === 0) console.log(`ok   examples/${f}`);
  else {
    failed++;
    console.error(`FAIL examples/${f} (exit ${r.status})\n${r.stdout}\n${r.stderr}`);
  }
}
console.log(`${files.length - failed} of ${files.length} examples ran cleanly`);
mkdirSync(".test-results", { recursive: true });
writeFileSync(".test-results/examples.json", JSON.stringify({ passed: files.length - failed, failed }));
if (failed) process.exit(1);
