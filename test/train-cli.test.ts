// The training scripts as a user runs them: --help, training on your own text (--text), the command
// printed at the end that runs the model, and the progress bar as a terminal shows it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createProgress } from "../scripts/train/progress";

/** What a terminal shows after `text`: \r returns to the line's start, \n starts a new line, characters overwrite. */
function screen(text: string): string[] {
  const lines: string[][] = [[]];
  let col = 0;
  for (const ch of text) {
    if (ch === "\r") col = 0;
    else if (ch === "\n") { lines.push([]); col = 0; }
    else { lines[lines.length - 1][col++] = ch; }
  }
  return lines.map((l) => Array.from(l, (c) => c ?? " ").join("").trimEnd()).filter((l, i, all) => l !== "" || i < all.length - 1);
}

describe("the progress bar on a terminal", () => {
  it("is cleared when the run ends, so the last line on the screen is the last one logged", () => {
    let out = "";
    const p = createProgress(5000, { every: 100, eta: false, out: { isTTY: true, write: (t: string) => { out += t; } } });
    for (let s = 1; s <= 200; s++) p.update(s, 1 / s, s * 64);
    p.log("step 200: loss 0.00500, sorts 729/729 (0:19)");
    p.done();
    const shown = screen(out).filter((l) => l !== "");
    expect(shown[shown.length - 1]).toBe("step 200: loss 0.00500, sorts 729/729 (0:19)");
    expect(shown.some((l) => l.includes("█") || l.includes("░"))).toBe(false);
  });

  it("a run that stops at a rule of its own shows the time spent, not an ETA to its ceiling", () => {
    let out = "";
    const p = createProgress(5000, { every: 1, eta: false, out: { isTTY: false, write: (t: string) => { out += t; } } });
    p.update(1, 1, 64);
    expect(out).toMatch(/so far/);
    expect(out).not.toMatch(/ETA/);
    out = "";
    createProgress(10, { every: 1, out: { isTTY: false, write: (t: string) => { out += t; } } }).update(5, 1, 64);
    expect(out).toMatch(/ETA \d+:\d\d/);
  });
});

describe("npm run train", () => {
  const run = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", ...args], { encoding: "utf8" });

  it("--help prints the usage to stdout and exits 0, wherever it stands", () => {
    for (const args of [["--help"], ["chars", "--help"], ["sort", "--help"]]) {
      const r = run(["scripts/train.ts", ...args]);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("npm run train -- chars [--text FILE]");
    }
    const none = run(["scripts/train.ts"]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("train: which task? sort or chars");
  }, 60_000);

  it("chars --text FILE trains on your own text and prints the command that runs the model, which works", () => {
    const dir = mkdtempSync(join(tmpdir(), "tp-train-"));
    try {
      const text = "the quick brown fox jumps over the lazy dog. ".repeat(120);
      writeFileSync(join(dir, "mine.txt"), text);
      const out = join(dir, "mine.safetensors");
      const r = run(["scripts/train.ts", "chars", "--text", join(dir, "mine.txt"), "--steps", "2", "--eval-every", "2", "--out", out, "--checkpoint", join(dir, "ck.safetensors")]);
      expect(r.status, r.stderr).toBe(0);
      const command = /run it with {2}npx tsx examples\/char-model\.ts --model (\S+) "the "/.exec(r.stdout); // the text has no "T": its own first characters
      expect(command?.[1]).toBe(out);
      const model = run(["examples/char-model.ts", "--model", out, "the "]);
      expect(model.status, model.stderr).toBe(0);
      expect(model.stdout).toMatch(/^the /m);
      const missing = run(["scripts/train.ts", "chars", "--text", join(dir, "absent.txt")]);
      expect(missing.status).toBe(2);
      expect(missing.stderr).toContain("cannot read --text");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
