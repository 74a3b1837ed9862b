// The hand-written docs: the lessons table is one table (lessons 2–26, nothing between its rows),
// its example links point at files that exist, every guide has a title, and the README gives one
// size for the sort model — the size of the file it ships.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";

const read = (f: string) => readFileSync(f, "utf8");

describe("docs", () => {
  it("docs/lessons.md: one table, lessons 2 to 26 in order, no line that is not a row between them", () => {
    const lines = read("docs/lessons.md").split("\n");
    const header = lines.findIndex((l) => l.startsWith("| lesson |"));
    const rows: string[] = [];
    for (let i = header + 2; i < lines.length && lines[i].startsWith("|"); i++) rows.push(lines[i]);
    expect(rows.map((r) => Number(/^\| (\d+) \|/.exec(r)?.[1]))).toEqual(Array.from({ length: 25 }, (_, i) => i + 2));
    expect(lines.slice(header + 2 + rows.length).some((l) => /^\| \d+ \|/.test(l))).toBe(false); // no row stranded after the table
  });

  it("docs/lessons.md links every example to a file that exists, and every function to its page", () => {
    const text = read("docs/lessons.md");
    const links = [...text.matchAll(/\]\(https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/main\/([^)]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThanOrEqual(23);
    for (const file of links) expect(existsSync(file), file).toBe(true);
    const table = text.slice(text.indexOf("| lesson |"), text.indexOf("## The lessons in pictures"));
    expect(table).not.toMatch(/\| `examples\//); // an example path left as plain text
    expect([...table.matchAll(/\{@link "transformer-primitives"!/g)].length).toBeGreaterThan(40);
  });

  it("every guide in docs/ has a title", () => {
    for (const f of readdirSync("docs").filter((f) => f.endsWith(".md") && !f.startsWith("."))) expect(read(`docs/${f}`), f).toMatch(/^---\ntitle: .+\n---\n/);
  });

  it("the README gives the sort model one size, the size of the file, and links the examples it names", () => {
    const readme = read("README.md");
    const kB = Math.round(statSync("examples/assets/sort-model.safetensors").size / 1000);
    const sizes = [...readme.matchAll(/sort-model\.safetensors[^\n]*?\((\d+) kB\)|sortModelSafetensors[^\n]*?\((\d+) kB\)/g)].map((m) => Number(m[1] ?? m[2]));
    expect(sizes.length).toBeGreaterThan(0);
    expect(new Set(sizes)).toEqual(new Set([kB]));
    expect(readme).toContain("/tree/main/examples");
  });
});
