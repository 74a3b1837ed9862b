// The build's rewrite of multiply-adds into relaxed-SIMD fused multiply-adds (scripts/wasm-fuse.mjs).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a build script in plain JavaScript, without type declarations
import { fuseMultiplyAdds } from "../scripts/wasm-fuse.mjs";

describe("fuseMultiplyAdds(text)", () => {
  it("rewrites c + a·b on locals and vector constants as relaxed_madd(a, b, c), and nothing else", () => {
    const c = "(v128.const f32x4 1 1 1 1)";
    const text = [
      "(local.set $a (f32x4.add (local.get $a) (f32x4.mul (local.get $p) (local.get $v))))",
      `(local.set $p (f32x4.add ${c} (f32x4.mul (local.get $r) (local.get $p))))`,
      `(local.set $k (f32x4.add (f32x4.mul (local.get $y) ${c}) ${c}))`, // a·b + c written the other way: left alone
      "(local.set $a (f32x4.add (local.get $a) (f32x4.mul (local.get $p) (v128.load (local.get $x)))))", // a load operand: left alone
      "(local.set $a (f32x4.sub (local.get $a) (f32x4.mul (local.get $p) (local.get $v))))", // not an add
    ].join("\n");
    const { fused, count } = fuseMultiplyAdds(text) as { fused: string; count: number };
    expect(count).toBe(2);
    expect(fused.split("\n")).toEqual([
      "(local.set $a (f32x4.relaxed_madd (local.get $p) (local.get $v) (local.get $a)))",
      `(local.set $p (f32x4.relaxed_madd (local.get $r) (local.get $p) ${c}))`,
      ...text.split("\n").slice(2),
    ]);
  });

  it("fuses the multiply-adds of the hot loops of kernels.wat (linear, paired attention, exp)", () => {
    const { fused, count } = fuseMultiplyAdds(readFileSync(new URL("../src/wasm/kernels.wat", import.meta.url), "utf8")) as { fused: string; count: number };
    expect(count).toBeGreaterThanOrEqual(46);
    expect(fused).not.toMatch(/\(f32x4\.add \(local\.get \$[ac]\d\) \(f32x4\.mul \(local\.get/);
  });
});
