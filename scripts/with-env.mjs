// Runs a command with extra environment variables, portably: node scripts/with-env.mjs A=1 B=2 cmd args…
import { spawnSync } from "node:child_process";

const args = process.argv.slice(2);
const env = { ...process.env };
while (args.length && /^[A-Z_][A-Z0-9_]*=/.test(args[0])) {
  const [k, ...v] = args.shift().split("=");
  env[k] = v.join("=");
}
const r = spawnSync(args[0], args.slice(1), { stdio: "inherit", env, shell: process.platform === "win32" });
process.exit(r.status ?? 1);
