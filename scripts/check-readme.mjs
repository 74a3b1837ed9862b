// The npm user's first hour, tested: packs the package as a publisher would (from a fresh copy of the
// sources, so its prepack must build dist/), checks the tarball has no install-time scripts, installs it
// into a fresh app in a temporary folder, and there type-checks (moduleResolution node16 and node10)
// and runs every ```ts block of README.md as written. A block that needs a file from the repository,
// or an export the tarball lacks, fails here. Writes .test-results/readme.json for the summary.
import { copyFileSync, existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("..", import.meta.url));
const run = (cmd, args, cwd) => spawnSync(cmd, args, { cwd, encoding: "utf8", shell: false });
const app = mkdtempSync(join(tmpdir(), "tp-readme-"));
const clone = mkdtempSync(join(tmpdir(), "tp-pack-"));
let passed = 0, failed = 0;
const fail = (what, r) => { failed++; console.error(`FAIL ${what}\n${r.stdout ?? ""}\n${r.stderr ?? ""}`); };
try {
  // pack as a publisher would, from a fresh copy of the sources (no dist/, nothing generated): the
  // package's own prepack must build everything the tarball needs
  const files = run("git", ["ls-files", "-co", "--exclude-standard", "-z"], repo).stdout.split("\0").filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(repo, f))) continue; // deleted in the working tree
    mkdirSync(dirname(join(clone, f)), { recursive: true });
    copyFileSync(join(repo, f), join(clone, f));
  }
  symlinkSync(join(repo, "node_modules"), join(clone, "node_modules"), "dir");
  const pack = run("npm", ["pack", "--silent", "--pack-destination", app], clone);
  if (pack.status !== 0) throw new Error(`npm pack of a fresh copy failed:\n${pack.stdout}\n${pack.stderr}`);
  const tarball = readdirSync(app).find((f) => f.endsWith(".tgz"));
  const listing = run("tar", ["-tzf", join(app, tarball)], app).stdout.split("\n");
  for (const needed of ["package/dist/index.js", "package/dist/index.cjs", "package/dist/index.d.ts"]) {
    if (listing.includes(needed)) { passed++; console.log(`ok   the tarball packed from a fresh copy has ${needed.slice(8)}`); }
    else fail(`the tarball packed from a fresh copy has no ${needed.slice(8)}`, pack);
  }
  const packedJson = JSON.parse(run("tar", ["-xzOf", join(app, tarball), "package/package.json"], app).stdout);
  const installScripts = ["preinstall", "install", "postinstall", "prepare"].filter((k) => packedJson.scripts?.[k] !== undefined);
  if (installScripts.length === 0) { passed++; console.log("ok   the published package.json has no install-time scripts (prepare, install, …)"); }
  else fail(`the published package.json has install-time scripts: ${installScripts.join(", ")}`, {});
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "readme-app", private: true, type: "module" }));
  const install = run("npm", ["install", "--no-audit", "--no-fund", "--offline", `./${tarball}`], app);
  if (install.status !== 0) throw new Error(`npm install of the tarball failed:\n${install.stderr}`);
  if (/install-scripts[^\n]*transformer-primitives/.test(install.stderr + install.stdout)) fail("installing the tarball warns about its install scripts", install);

  const blocks = [...readFileSync(join(repo, "README.md"), "utf8").matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  if (blocks.length === 0) throw new Error("README.md has no ```ts blocks");
  mkdirSync(join(app, "src"));
  blocks.forEach((code, i) => writeFileSync(join(app, "src", `block${i + 1}.ts`), code));
  const tsc = join(repo, "node_modules/typescript/bin/tsc");
  for (const resolution of ["node16", "node10"]) {
    const options = resolution === "node16" ? ["--module", "node16", "--moduleResolution", "node16"] : ["--module", "esnext", "--moduleResolution", "node10"];
    const r = run(process.execPath, [tsc, "--noEmit", "--strict", "--target", "es2022", "--types", "node", "--typeRoots", join(repo, "node_modules/@types"), ...options, ...blocks.map((_, i) => `src/block${i + 1}.ts`)], app);
    if (r.status === 0) { passed++; console.log(`ok   README blocks type-check against the tarball (moduleResolution ${resolution})`); }
    else fail(`README blocks do not type-check against the tarball (moduleResolution ${resolution})`, r);
  }
  const tsx = join(repo, "node_modules/tsx/dist/cli.mjs");
  blocks.forEach((code, i) => {
    const r = run(process.execPath, [tsx, `src/block${i + 1}.ts`], app);
    const expected = code.match(/\/\/ prints (.+)$/m)?.[1]; // a block may say what it prints
    if (r.status !== 0) fail(`README block ${i + 1} (exit ${r.status})`, r);
    else if (expected !== undefined && !r.stdout.includes(expected)) fail(`README block ${i + 1} printed something else than ${expected}`, r);
    else { passed++; console.log(`ok   README block ${i + 1} runs in a fresh app that installed ${tarball}`); }
  });
} catch (e) {
  failed++;
  console.error(`FAIL ${e.message}`);
} finally {
  rmSync(app, { recursive: true, force: true });
  rmSync(clone, { recursive: true, force: true });
}
mkdirSync(join(repo, ".test-results"), { recursive: true });
writeFileSync(join(repo, ".test-results/readme.json"), JSON.stringify({ passed, failed }));
if (failed) process.exit(1);
