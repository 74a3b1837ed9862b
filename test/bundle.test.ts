// The bundle a browser loads (issue 11): its gzipped size held under a ceiling, and `viz` (and the
// shipped model) absent from a bundle that does not import them — tree-shaking checked by bundling
// an app that imports only softmax.
import { describe, expect, it } from "vitest";
// @ts-expect-error a plain .mjs script without types
import { bundle, bundleSizes } from "../scripts/bundle-size.mjs";

describe("bundle size", () => {
  // Ceilings: the whole library is ~77 kB gzipped today (GGUF, its tokenizers and the block formats added ~16 kB
  // to ~61), of which the two WebAssembly builds (inlined as base64) are about a quarter; 80 kB
  // leaves room for growth but fails on an accident such as the 347 kB sort model or the viz module
  // landing in every bundle. An app that imports softmax alone carries its kernels and the
  // WebAssembly module (two builds), whose integer kernels for the five block formats are ~3 kB
  // of its 14.5: ceiling 16 kB.
  it("the whole library ≤ 80 kB gzipped; softmax alone ≤ 16 kB, without viz or the pretrained model", async () => {
    const { whole, softmaxOnly, withViz } = await bundleSizes();
    console.log(`bundle (minified, gzipped): whole ${whole.gzip} B, softmax only ${softmaxOnly.gzip} B, with viz ${withViz.gzip} B`);
    expect(whole.gzip).toBeLessThan(80_000);
    expect(softmaxOnly.gzip).toBeLessThan(16_000);
    for (const b of [whole, softmaxOnly]) {
      expect(b.text).not.toContain("tp-masked"); // viz's pattern id: in no bundle that does not import viz
      expect(b.text).not.toContain("sort 6 letters"); // the shipped model's metadata
    }
    expect(withViz.text).toContain("tp-masked");
    // viz on top: ~8.0 kB (7,973 B, then 8,026 B when the WebAssembly module grew by its 16-bit
    // kernels with viz unchanged: gzip's window spans the two) — the ceiling catches viz doubling
    expect(withViz.gzip - whole.gzip).toBeLessThan(8_100);
  }, 60_000);

  it("the shipped model reaches only a bundle that imports transformer-primitives/pretrained", async () => {
    const b = await bundle(`import { sortModel } from "./src/pretrained/index.ts"; globalThis.m = sortModel;`);
    expect(b.gzip).toBeGreaterThan(300_000); // 347 kB of weights do not compress
  }, 60_000);
});
