// The figures (issue 11): every SVG function gives well-formed XML (parsed), the expected number of
// cells and labels, the same string for the same input, masked and NaN cells drawn as such, a
// title on the figure and on every panel — at the extremes too (T = 1, T = 64, all masked, constant).
import { describe, expect, it } from "vitest";
import { causalMask, createRng, explainSampling, randn, softmax, tensor } from "../src/index";
import { attentionSvg, heatmapSvg, lineSvg, samplingSvg, scatterSvg, tokensSvg } from "../src/viz/index";
import { allElements, parseXml, type XmlElement } from "./helpers/xml";

const titled = (svg: string): XmlElement => {
  const root = parseXml(svg);
  expect(root.name).toBe("svg");
  expect(root.attrs.xmlns).toBe("http://www.w3.org/2000/svg");
  expect(root.children[0].name).toBe("title"); // the accessible name comes first
  expect(root.children[0].text.length).toBeGreaterThan(0);
  expect(allElements(root).some((e) => e.name === "script")).toBe(false);
  return root;
};
const cellsOf = (root: XmlElement) => allElements(root).find((e) => e.name === "g" && /cells$/.test(e.attrs["aria-label"] ?? ""))!.children;
const isMasked = (e: XmlElement) => e.name === "rect" && e.attrs.fill === "url(#tp-masked)";
const isNaN_ = (e: XmlElement) => e.name === "g" && e.children.some((c) => c.name === "path");

describe("heatmapSvg", () => {
  it("one cell per value, labels on both axes, −∞ masked and NaN crossed (not coloured like 0), a legend", () => {
    const t = tensor([0, 0.001, -Infinity, 2, NaN, -1], [2, 3]);
    const svg = heatmapSvg(t, { rowLabels: ["a", "b"], colLabels: ["x", "y", "z"], title: "scores", scale: "diverging" });
    const root = titled(svg);
    const cells = cellsOf(root);
    expect(cells).toHaveLength(6);
    expect(cells.filter(isMasked)).toHaveLength(1);
    expect(cells.filter(isNaN_)).toHaveLength(1);
    const zero = cells[0], tiny = cells[1];
    expect(zero.attrs.fill).toMatch(/^#[0-9a-f]{6}$/); // a colour, not the masked pattern
    expect(tiny.attrs.fill).not.toBe("url(#tp-masked)");
    const texts = allElements(root).filter((e) => e.name === "text").map((e) => e.text);
    for (const l of ["a", "b", "x", "y", "z", "masked", "NaN"]) expect(texts).toContain(l);
    expect(allElements(root).some((e) => /colour scale/.test(e.attrs["aria-label"] ?? ""))).toBe(true);
    expect(heatmapSvg(t, { rowLabels: ["a", "b"], colLabels: ["x", "y", "z"], title: "scores", scale: "diverging" })).toBe(svg);
  });

  it("extremes: one cell, 64 × 64, every cell masked, a constant matrix, text that needs escaping", () => {
    expect(cellsOf(titled(heatmapSvg(tensor([3], [1, 1]))))).toHaveLength(1);
    const big = randn([64, 64], createRng(1));
    const labels = Array.from({ length: 64 }, (_, i) => `tok${i}`);
    const root = titled(heatmapSvg(big, { rowLabels: labels, colLabels: labels }));
    expect(cellsOf(root)).toHaveLength(4096);
    const cellSize = Number(cellsOf(root)[0].attrs.width);
    expect(cellSize).toBeGreaterThanOrEqual(10); // labels stay readable at 11 px text
    expect(cellsOf(titled(heatmapSvg(tensor(new Array(4).fill(-Infinity), [2, 2])))).every(isMasked)).toBe(true);
    const constant = cellsOf(titled(heatmapSvg(tensor([2, 2, 2, 2], [2, 2]))));
    expect(new Set(constant.map((c) => c.attrs.fill)).size).toBe(1);
    titled(heatmapSvg(tensor([1, 2], [1, 2]), { title: 'a < b & "c"', colLabels: ["<", "&"] }));
  });

  it("refuses labels of the wrong count and unknown options", () => {
    expect(() => heatmapSvg(tensor([1, 2], [1, 2]), { colLabels: ["x"] })).toThrow("heatmapSvg: colLabels has 1 labels, expected 2 (one per column)");
    expect(() => heatmapSvg(tensor([1, 2], [1, 2]), { colour: "red" } as never)).toThrow('heatmapSvg: unknown option "colour"');
    expect(() => heatmapSvg([1, 2] as never)).toThrow("heatmapSvg: t must be a tensor");
  });
});

describe("attentionSvg", () => {
  const T = 5, tokens = ["C", "B", "A", "B", "A"];
  const weights = softmax({ data: new Float32Array(3 * T * T).map((_, i) => Math.sin(i)), shape: [3, T, T] }, {});

  it("one titled panel per head, one cell per weight, causally hidden cells masked — never confused with small weights", () => {
    const root = titled(attentionSvg(weights, { tokens, causal: true }));
    const panels = allElements(root).filter((e) => e.name === "g" && /^head \d+$/.test(e.attrs["aria-label"] ?? ""));
    expect(panels).toHaveLength(3);
    for (const p of panels) {
      expect(p.children[0].name).toBe("title");
      const cells = p.children.filter((c) => c.name === "rect" || (c.name === "g" && c.children.some((x) => x.name === "path")));
      expect(cells).toHaveLength(T * T);
      expect(cells.filter(isMasked)).toHaveLength((T * (T - 1)) / 2);
      expect(p.children.filter((c) => c.name === "text").map((c) => c.text)).toEqual(["head " + p.attrs["aria-label"].split(" ")[1], "key →", "query ↓", ...tokens, ...tokens]); // axis titles, then the labels
    }
  });

  it("a mask tensor, S ≠ T with keyTokens, a single head [T, S], T = 1 and T = 64", () => {
    const w = { data: new Float32Array(2 * 3).fill(0.5), shape: [2, 3] };
    const root = titled(attentionSvg(w, { tokens: ["x", "y"], keyTokens: ["a", "b", "c"], mask: causalMask(2, 3) }));
    expect(allElements(root).filter(isMasked)).toHaveLength(1 + 1); // one hidden cell, one legend swatch
    titled(attentionSvg({ data: new Float32Array([1]), shape: [1, 1] }, { tokens: ["only"] }));
    const T64 = Array.from({ length: 64 }, (_, i) => String(i));
    const big = titled(attentionSvg({ data: new Float32Array(64 * 64).fill(1 / 64), shape: [64, 64] }, { tokens: T64, causal: true }));
    expect(allElements(big).filter((e) => e.name === "rect" && e.attrs.width === e.attrs.height && Number(e.attrs.width) >= 11).length).toBeGreaterThanOrEqual(64 * 64);
    expect(() => attentionSvg(w, { tokens: ["x", "y"] })).toThrow("attentionSvg: keyTokens has no labels, expected 3 (one per key column; required when S ≠ T)");
  });
});

describe("samplingSvg, tokensSvg, lineSvg", () => {
  it("samplingSvg: a row per shown candidate, cut ones hatched with their filter, the chosen one marked", () => {
    const e = explainSampling([3, 2.5, 2, 1, 0, -1, -2], { temperature: 1, topK: 4, topP: 0.8 });
    const root = titled(samplingSvg(e, { chosen: 1, labels: (id) => `t${id}` }));
    const rows = allElements(root).filter((x) => x.name === "g" && /^rank \d+/.test(x.attrs["aria-label"] ?? ""));
    expect(rows).toHaveLength(e.candidates.length);
    expect(rows.filter((r) => r.attrs["data-chosen"] === "true")).toHaveLength(1);
    const cut = allElements(root).filter((x) => x.attrs["data-cut"]);
    expect(cut.map((x) => x.attrs["data-cut"])).toEqual(e.candidates.filter((c) => c.cutBy).map((c) => c.cutBy));
    expect(allElements(titled(samplingSvg(e, { show: 2 }))).some((x) => x.name === "text" && /5 more candidates/.test(x.text))).toBe(true);
  });

  it("tokensSvg: one outlined span per token, with its id", () => {
    const text = "Hi there\nyou";
    const offsets: [number, number][] = [[0, 2], [2, 8], [8, 9], [9, 12]];
    const root = titled(tokensSvg(text, { ids: [1, 2, 3, 4], offsets }));
    const tokens = allElements(root).filter((e) => e.name === "g" && /^token \d+/.test(e.attrs["aria-label"] ?? ""));
    expect(tokens).toHaveLength(4);
    expect(tokens.map((t) => t.children.filter((c) => c.name === "text")[1].text)).toEqual(["1", "2", "3", "4"]);
    expect(() => tokensSvg(text, { ids: [1], offsets: [[0, 99]] })).toThrow("tokensSvg: offsets[0] is [0, 99], expected a span inside the text");
  });

  it("lineSvg: one path per series, gaps at non-finite values, a legend entry each", () => {
    const root = titled(lineSvg([{ name: "train", values: [3, 2, NaN, 1] }, { name: "val", values: [3.2, 2.4, 2.1, 1.9] }], { xLabel: "step", yLabel: "loss" }));
    const paths = allElements(root).filter((e) => e.name === "g" && e.children[0]?.name === "title").map((g) => g.children[1].attrs.d);
    expect(paths).toHaveLength(2);
    expect(paths[0].match(/M/g)).toHaveLength(2); // the NaN breaks the line
  });
});

describe("scatterSvg (PCA)", () => {
  it("points on the first two principal components: recovers a plane, labels each point, reports the variance explained", async () => {
    const { pca2 } = await import("../src/viz/scatter");
    // 6 points in 4-D lying in the plane spanned by (1, 1, 0, 0) and (0, 0, 1, -1): all the variance is there
    const coords = [[3, 0], [-3, 0], [0, 1], [0, -2], [1.5, 0.5], [-1.5, 0.5]]; // centred, the two coordinates uncorrelated
    const data = new Float32Array(coords.flatMap(([a, b]) => [a, a, b, -b]));
    const { xy, explained } = pca2(data, 6, 4);
    expect(explained[0] + explained[1]).toBeCloseTo(1, 6);
    expect(explained[0]).toBeGreaterThan(explained[1]);
    // PC1 is (1, 1, 0, 0)/√2: the first coordinate of each point × √2, up to the fixed sign
    coords.forEach(([a], i) => expect(Math.abs(xy[2 * i])).toBeCloseTo(Math.abs(a) * Math.SQRT2, 5));
    const svg = scatterSvg({ data, shape: [6, 4] }, { labels: ["a", "b", "c", "d", "e", "f"], groups: ["x", "x", "y", "y", "z", "z"], title: "plane" });
    const root = titled(svg);
    const points = allElements(root).filter((e) => e.name === "g" && e.children[0]?.name === "title" && /^[a-f]$/.test(e.attrs["aria-label"] ?? ""));
    expect(points).toHaveLength(6);
    expect(allElements(root).some((e) => e.name === "text" && /PC1 \(\d+% of the variance\)/.test(e.text))).toBe(true);
    expect(scatterSvg({ data, shape: [6, 4] }, { labels: ["a", "b", "c", "d", "e", "f"], groups: ["x", "x", "y", "y", "z", "z"], title: "plane" })).toBe(svg);
    expect(() => scatterSvg({ data: new Float32Array(4), shape: [1, 4] })).toThrow("scatterSvg: points has 1 row, expected at least 2");
  });
});

describe("histogramSvg", () => {
  it("one stepped outline per series with one step per bin, shares not counts, non-finite values left out and said so", async () => {
    const { histogramSvg } = await import("../src/viz/index");
    const root = titled(histogramSvg([{ name: "x", values: [0, 1, 1, 2, NaN] }, { name: "y", values: new Float32Array([0.5, 1.5]) }], { bins: 4, title: "h" }));
    const outlines = allElements(root).filter((e) => e.name === "g" && e.children[0]?.name === "title").map((g) => g.children[1].attrs.d);
    expect(outlines).toHaveLength(2);
    for (const d of outlines) expect(d.match(/H/g)).toHaveLength(4); // one horizontal step per bin
    expect(allElements(root).some((e) => e.name === "text" && e.text === "x (1 not finite)")).toBe(true);
    expect(() => histogramSvg([{ name: "x", values: [1] }], { bins: 0 })).toThrow("histogramSvg: bins must be an integer ≥ 1, got 0");
  });
});
