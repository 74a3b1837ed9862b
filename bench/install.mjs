// Installs the benchmark's heavier peers (bench/package.json) on first use. onnxruntime-node's
// postinstall would try to download GPU binaries; its CPU binary is inside the npm package, so the
// download is skipped.
import { existsSync } from "node:fs";
import { execSync } from "node:child_process";

const dir = new URL(".", import.meta.url).pathname;
const peers = ["onnxruntime-node", "onnxruntime-web", "@tensorflow/tfjs-backend-wasm", "@wllama/wllama"];
if (!peers.every((p) => existsSync(`${dir}node_modules/${p}`))) {
  console.log("bench: installing peers into bench/node_modules (tfjs, onnxruntime-node, onnxruntime-web, wllama)…");
  execSync("npm ci --no-audit --no-fund", { cwd: dir, stdio: "inherit", env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: "skip" } });
}
