// The build's rewrite of multiply-adds into relaxed-SIMD fused multiply-adds (scripts/wasm-fuse.mjs).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a build script in plain JavaScript, without type declarations
import { fuseMultiplyAdds, unfusedProducts, parseSexprs } from "../scripts/wasm-fuse.mjs";

type Fuse = (t: string) => { fused: string; count: number };
const fuse = fuseMultiplyAdds as Fuse;

describe("fuseMultiplyAdds(text)", () => {
  it("rewrites x + a·b (either order, any operands) as relaxed_madd(a, b, x), and nothing else", () => {
    const c = "(v128.const f32x4 1 1 1 1)";
    const text = [
      "(local.set $a (f32x4.add (local.get $a) (f32x4.mul (local.get $p) (local.get $v))))",
      `(local.set $k (f32x4.add (f32x4.mul (local.get $y) ${c}) ${c}))`, // a·b + x: fused too
      "(local.set $a (f32x4.add (local.get $a) (f32x4.mul (local.get $p) (v128.load offset=16 (local.get $x)))))", // a load operand
      "(local.set $a (f32x4.sub (local.get $a) (f32x4.mul (local.get $p) (local.get $v))))", // not an add
      ";; (f32x4.add (local.get $a) (f32x4.mul (local.get $p) (local.get $v))) in a comment",
      "(local.set $a (f32x4.add (local.tee $b (local.get $c)) (f32x4.mul (local.get $b) (local.get $v))))", // reordering would change what $b reads
    ].join("\n");
    const { fused, count } = fuse(text);
    expect(count).toBe(3);
    expect(fused.split("\n")).toEqual([
      "(local.set $a (f32x4.relaxed_madd (local.get $p) (local.get $v) (local.get $a)))",
      `(local.set $k (f32x4.relaxed_madd (local.get $y) ${c} ${c}))`,
      "(local.set $a (f32x4.relaxed_madd (local.get $p) (v128.load offset=16 (local.get $x)) (local.get $a)))",
      ...text.split("\n").slice(3),
    ]);
    expect(unfusedProducts(fused)).toBe(1); // the one with a side effect, which the build refuses
  });

  it("fuses nested multiply-adds from the inside out: a·b + (c·d + e)", () => {
    const g = (n: string) => `(local.get $${n})`;
    const { fused, count } = fuse(`(f32x4.add (f32x4.mul ${g("a")} ${g("b")}) (f32x4.add (f32x4.mul ${g("c")} ${g("d")}) ${g("e")}))`);
    expect(count).toBe(2);
    expect(fused).toBe(`(f32x4.relaxed_madd ${g("a")} ${g("b")} (f32x4.relaxed_madd ${g("c")} ${g("d")} ${g("e")}))`);
  });

  it("leaves no multiply that feeds an add unfused in kernels.wat, and the result still parses", () => {
    const text = readFileSync(new URL("../src/wasm/kernels.wat", import.meta.url), "utf8");
    const products = unfusedProducts(text) as number;
    const { fused, count } = fuse(text);
    expect(products).toBeGreaterThanOrEqual(100);
    expect(count).toBe(products);
    expect(unfusedProducts(fused)).toBe(0);
    expect(() => parseSexprs(fused)).not.toThrow();
  });
});
