// npm run build:site — the API docs and the playground as one static site in site/: relative URLs
// only, so it works from any sub-path (GitHub Pages' /<repo>/, or any static host).
//   site/index.html      a landing page linking both
//   site/api/            typedoc (npm run docs)
//   site/playground/     the playground (npm run build:playground)
//   site/_headers        COOP/COEP for hosts that read this file (Netlify, Cloudflare Pages)
// Threads need the page cross-origin isolated; on a host that cannot send the headers (GitHub Pages)
// the playground runs on one thread and says so. docs/threads.md has the headers for other servers.
import { execSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const site = `${root}site/`;
const run = (script) => execSync(`npm run --silent ${script}`, { cwd: root, stdio: "inherit" });
if (!process.argv.includes("--no-build")) { run("docs"); run("build:playground"); }
for (const dir of ["docs/api", "docs/playground"]) if (!existsSync(`${root}${dir}/index.html`)) throw new Error(`build:site: ${dir}/index.html is missing`);

rmSync(site, { recursive: true, force: true });
mkdirSync(site, { recursive: true });
cpSync(`${root}docs/api`, `${site}api`, { recursive: true });
cpSync(`${root}docs/playground`, `${site}playground`, { recursive: true });
const { version, description } = JSON.parse(readFileSync(`${root}package.json`, "utf8"));
writeFileSync(`${site}index.html`, `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>transformer-primitives ${version}</title>
  <link rel="icon" href="data:,">
  <style>body { font-family: system-ui, sans-serif; max-width: 44rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5; } a.big { display: block; font-size: 1.2rem; margin: 1rem 0 0.2rem; }</style>
</head>
<body>
  <h1>transformer-primitives <small>${version}</small></h1>
  <p>${description}</p>
  <a class="big" id="playground" href="./playground/index.html">The playground</a>
  <p>Any GPT or Llama — nano-sort, the character model, or your own safetensors or GGUF — walked lesson by lesson on your text, in your browser; train a character model on your own words.</p>
  <a class="big" id="api" href="./api/index.html">The API documentation</a>
  <p>Every function with its shapes, the maths in one line and an example; the lessons, the guides to GPT-2, Llama, training, kernels, quantization and threads.</p>
</body>
</html>
`);
// the headers that make the pages cross-origin isolated (threads), for hosts that read _headers
writeFileSync(`${site}_headers`, `/*\n  Cross-Origin-Opener-Policy: same-origin\n  Cross-Origin-Embedder-Policy: require-corp\n`);
console.log(`build:site: site/ written (api/, playground/, index.html, _headers)`);
