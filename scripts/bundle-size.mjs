// What a browser downloads: the library bundled, minified and gzipped with esbuild (as an app's
// bundler would), whole and for an app that imports only `softmax`, and the `viz` module on top.
// Used by test/bundle.test.ts (ceilings) and `npm run bench` (the numbers).
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

export async function bundle(contents) {
  const r = await build({ stdin: { contents, resolveDir: root, loader: "ts" }, bundle: true, minify: true, format: "esm", platform: "browser", write: false, treeShaking: true, logLevel: "silent" });
  const code = r.outputFiles[0].contents;
  return { bytes: code.length, gzip: gzipSync(code).length, text: new TextDecoder().decode(code) };
}

export async function bundleSizes() {
  const whole = await bundle(`import * as TP from "./src/index.ts"; globalThis.TP = TP;`);
  const softmaxOnly = await bundle(`import { softmax } from "./src/index.ts"; globalThis.softmax = softmax;`);
  const withViz = await bundle(`import * as TP from "./src/index.ts"; import * as viz from "./src/viz/index.ts"; globalThis.TP = TP; globalThis.viz = viz;`);
  return { whole, softmaxOnly, withViz };
}
