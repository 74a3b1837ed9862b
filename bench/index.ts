// npm run bench [tokenizer|ops|model …]: runs the chosen suites (all by default), prints tables with
// ratios against the peers measured in the same process, and writes bench/results.json.
import { writeFileSync } from "node:fs";
import os from "node:os";

const wanted = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const run = (name: string) => wanted.length === 0 || wanted.includes(name);
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: os.cpus()[0]?.model,
  cores: os.cpus().length,
};
console.log(`transformer-primitives bench — ${results.cpu}, Node ${process.version}, single thread, medians`);
if (run("ops")) results.ops = await (await import("./ops")).benchOps();
if (run("model")) results.model = await (await import("./model")).benchModel();
if (run("tokenizer")) results.tokenizer = await (await import("./tokenizer")).benchTokenizer();
writeFileSync(new URL("./results.json", import.meta.url), JSON.stringify(results, null, 2));
console.log("\nwrote bench/results.json");
