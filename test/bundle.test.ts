// The bundle a browser loads (issue 11): its gzipped size held under a ceiling, and `viz` (and the
// shipped model) absent from a bundle that does not import them — tree-shaking checked by bundling
// an app that imports only softmax.
import { describe, expect, it } from "vitest";
// @ts-expect-error a plain .mjs script without types
import { bundle, bundleSizes } from "../scripts/bundle-size.mjs";
import { QUANT_WASM } from "../src/wasm/generated";

describe("bundle size", () => {
  // Ceilings: the whole library is ~82 kB gzipped (GGUF, its tokenizers, the block formats with the K-quants'
  // quantizers and their integer kernels added ~21 kB to ~61), of which the WebAssembly builds (inlined as base64) are
  // about a quarter; 85 kB leaves room for growth but fails on an accident such as the 347 kB sort model or the viz
  // module landing in every bundle. An app that imports softmax alone carries its kernels and the main WebAssembly
  // module (two builds), ~11.9 kB, but not the block formats' module (quant.wat, ~9 kB), which only products over
  // stored weights reach: ceiling 13 kB. The thread pool (setThreads: the workers' runtime, their spawners) added
  // ~4 kB to the whole library (86 kB; ceiling 90) and nothing to softmax alone, which never starts a thread. The
  // row kernels (rows.wat: layer norm and cross-entropy in float64, the heads' moves, the residual add; one build,
  // nothing to fuse) and the training step over the kernels' memory added ~3.3 kB to the whole (92.6 kB: ceiling 94)
  // and nothing to softmax alone, which never reaches that module. The streaming kernels for one row of x over Q8_0
  // and Q4_0 (a decode step's products, in quant.wat's builds) added ~1.9 kB to the whole (94.5 kB), and the row
  // groups and sink stores of its four-row kernels 0.6 kB of binary more — which took quant.wat's build (24.9 kB, 33 kB
  // as base64) past gzip's 32 kB window, so its FMA build (the same bytes but for 23 multiply-adds) no longer
  // compresses against the plain one: +5.2 kB (99.7 kB: ceiling 101). Splitting quant.wat into two modules would win it back.
  it("the whole library ≤ 101 kB gzipped; softmax alone ≤ 13 kB (no block-format kernels, no thread pool), without viz or the pretrained model", async () => {
    const { whole, softmaxOnly, withViz } = await bundleSizes();
    console.log(`bundle (minified, gzipped): whole ${whole.gzip} B, softmax only ${softmaxOnly.gzip} B, with viz ${withViz.gzip} B`);
    expect(whole.gzip).toBeLessThan(101_000);
    expect(softmaxOnly.gzip).toBeLessThan(13_000);
    for (const b of [whole, softmaxOnly]) {
      expect(b.text).not.toContain("tp-masked"); // viz's pattern id: in no bundle that does not import viz
      expect(b.text).not.toContain("sort 6 letters"); // the shipped model's metadata
    }
    expect(withViz.text).toContain("tp-masked");
    const quantBytes = QUANT_WASM.slice(200, 260); // a stretch of the block formats' module, as the bundle inlines it
    expect(whole.text).toContain(quantBytes);
    expect(softmaxOnly.text).not.toContain(quantBytes);
    const poolText = "did not finish its part of"; // the thread pool's timeout message
    expect(whole.text).toContain(poolText);
    expect(softmaxOnly.text).not.toContain(poolText);
    // viz on top: ~8.0 kB (7,973 B, then 8,026 B when the WebAssembly module grew by its 16-bit
    // kernels with viz unchanged: gzip's window spans the two) — the ceiling catches viz doubling
    expect(withViz.gzip - whole.gzip).toBeLessThan(8_100);
  }, 60_000);

  it("the shipped model reaches only a bundle that imports transformer-primitives/pretrained", async () => {
    const b = await bundle(`import { sortModel } from "./src/pretrained/index.ts"; globalThis.m = sortModel;`);
    expect(b.gzip).toBeGreaterThan(300_000); // 347 kB of weights do not compress
  }, 60_000);
});
