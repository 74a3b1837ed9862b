// Installs the benchmark's heavier peers (bench/package.json) on first use. onnxruntime-node's
// postinstall would try to download GPU binaries; its CPU binary is inside the npm package, so the
// download is skipped.
import { existsSync } from "node:fs";
import { execSync } from "node:child_process";

const dir = new URL(".", import.meta.url).pathname;
if (!existsSync(`${dir}node_modules/onnxruntime-node`) || !existsSync(`${dir}node_modules/@tensorflow/tfjs-backend-wasm`)) {
  console.log("bench: installing peers into bench/node_modules (tfjs, onnxruntime-node)…");
  execSync("npm ci --no-audit --no-fund", { cwd: dir, stdio: "inherit", env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: "skip" } });
}
