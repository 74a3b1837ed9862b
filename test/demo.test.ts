// The demo's command line: the letters are read wherever they stand among the flags, and bad input
// is one clear line with exit code 2 (never the default word walked instead).
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { DEFAULT_WORD, parseDemoArgs } from "../examples/lib/demo-args";

const MODEL = "examples/assets/sort-model.safetensors";

describe("parseDemoArgs(args)", () => {
  const word = "CCCAAA"; // not the default's letters, so a parser that ignores them fails
  const orders: string[][] = [
    [word], [word, "--quiet"], ["--quiet", word],
    ["--model", MODEL, word], [word, "--model", MODEL], ["--quiet", "--model", MODEL, word],
    ["--model", MODEL, "--quiet", word], [word, "--quiet", "--model", MODEL], ["ccCaaA"],
  ];
  it.each(orders)("reads the letters in %j", (...args) => {
    const parsed = parseDemoArgs(args);
    expect(parsed.word).toBe(word);
    expect(parsed.quiet).toBe(args.includes("--quiet"));
    expect(parsed.modelFile).toBe(args.includes("--model") ? MODEL : undefined);
  });

  it("walks the default only when no letters are given", () => {
    expect(parseDemoArgs([]).word).toBe(DEFAULT_WORD);
    expect(parseDemoArgs(["--quiet"]).word).toBe(DEFAULT_WORD);
    expect(parseDemoArgs(["--help"]).help).toBe(true);
  });

  it("refuses what it cannot walk, naming it", () => {
    expect(() => parseDemoArgs(["ABCD"])).toThrow('demo: expected 6 letters from A, B, C (the model was trained on 6), got "ABCD"');
    expect(() => parseDemoArgs(["ABCABD"])).toThrow('got "ABCABD"');
    expect(() => parseDemoArgs(["--model"])).toThrow("demo: --model needs a file");
    expect(() => parseDemoArgs(["--model", "--quiet"])).toThrow("demo: --model needs a file");
    expect(() => parseDemoArgs(["--verbose"])).toThrow("demo: unknown option --verbose");
    expect(() => parseDemoArgs(["AAABBB", "CCCAAA"])).toThrow('demo: one word of letters, got "AAABBB" and "CCCAAA"');
  });
});

describe("npm run demo", () => {
  const demo = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "examples/demo.ts", ...args], { encoding: "utf8" });

  it("sorts the letters it is given, in either order of the flags", () => {
    for (const args of [["CCCAAA", "--quiet"], ["--quiet", "CCCAAA"], ["--model", MODEL, "--quiet", "CCCAAA"]]) {
      const r = demo(...args);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe("AAACCC");
    }
  }, 60_000);

  it("prints every line within 80 columns, and no negative zero", () => {
    const r = demo("CCBAAC");
    expect(r.status, r.stderr).toBe(0);
    const long = r.stdout.split("\n").filter((l) => [...l].length > 80);
    expect(long).toEqual([]);
    expect(r.stdout).not.toMatch(/-0\.0+\b/);
    expect(r.stdout).toContain("CCBAAC → AABCCC");
  }, 60_000);

  it("says in one line what is wrong with a bad word or a missing model file", () => {
    const bad = demo("ABCD");
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('demo: expected 6 letters from A, B, C (the model was trained on 6), got "ABCD"');
    const missing = demo("--model", "missing.safetensors");
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toBe("demo: cannot read the model file missing.safetensors (ENOENT); train one with npm run train -- sort");
  }, 60_000);
});
