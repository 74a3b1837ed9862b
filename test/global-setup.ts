// Makes the generated sources (the assembled WebAssembly, the embedded sort model) before any test
// file is loaded, so `npx vitest` works right after `npm ci` as `npm test` does.
import { execFileSync } from "node:child_process";

export default function setup(): void {
  for (const script of ["scripts/build-wasm.mjs", "scripts/embed-pretrained.mjs"]) execFileSync(process.execPath, [script], { stdio: "ignore" });
}
