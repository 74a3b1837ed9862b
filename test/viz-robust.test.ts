// Figures at the edges users reach: a whole Llama-sized vocabulary, control characters in labels
// (GPT-2's byte tokens), NaN and ±1e308 in the data, labels that are not strings, and layouts that
// neither leave blank bands nor let labels collide or words break.
import { describe, expect, it } from "vitest";
import { explainSampling, tensor } from "../src/index";
import { attentionSvg, heatmapSvg, histogramSvg, lineSvg, samplingSvg, scatterSvg, tokensSvg } from "../src/viz/index";
import { allElements, parseXml } from "./helpers/xml";

// XML 1.0's Char production leaves out these (and lone surrogates): a document holding one is not XML
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormed = (svg: string) => {
  expect(NOT_XML.test(svg)).toBe(false);
  return parseXml(svg);
};
const numbersIn = (svg: string) => [...svg.matchAll(/(?:x|y|cx|cy|width|height|d)="([^"]*)"/g)].map((m) => m[1]);

describe("figures over a whole vocabulary", () => {
  it("samplingSvg of 200,000 candidates (o200k, Llama 3's 128,256) does not overflow the stack", () => {
    const V = 200_000, logits = new Float32Array(V);
    for (let i = 0; i < V; i++) logits[i] = Math.sin(i) * 3;
    const svg = samplingSvg(explainSampling(logits, { temperature: 1, topK: 50 }));
    expect(allElements(wellFormed(svg)).filter((e) => e.attrs["data-kept"] === "true").length).toBeGreaterThan(0);
  });

  it("histogramSvg with 200,000 bins", () => {
    const svg = histogramSvg([{ name: "x", values: Float32Array.from({ length: 1000 }, (_, i) => i) }], { bins: 200_000 });
    expect(wellFormed(svg).name).toBe("svg");
  });
});

describe("control characters in text become visible escapes", () => {
  const nasty = "a\u0000b\u0007c\u001Bd\uFFFE\uFFFF\uD800";
  it("in sampling labels of GPT-2's byte tokens, heatmap and attention labels, tokens and titles", () => {
    const e = explainSampling([3, 2, 1, 0], { temperature: 1 });
    const svgs = [
      samplingSvg(e, { labels: (id) => String.fromCharCode(id) + nasty, title: nasty }),
      heatmapSvg(tensor([1, 2], [1, 2]), { rowLabels: [nasty], colLabels: ["\u0001", "\u0002"], title: nasty }),
      attentionSvg(tensor([1, 0, 0.5, 0.5], [2, 2]), { tokens: [nasty, "\u0008"] }),
      tokensSvg(`x${nasty}`, { ids: [1], offsets: [[0, nasty.length + 1]] }),
      lineSvg([{ name: nasty, values: [1, 2] }]),
    ];
    for (const svg of svgs) wellFormed(svg);
    expect(svgs[1]).toContain("a␀b␇c␛d\\uFFFE\\uFFFF\\uD800");
  });
});

describe("non-finite and huge values are drawn where finite and marked where not", () => {
  it("scatterSvg: a row with NaN or ∞ is listed as not placed; the others are placed at finite coordinates", () => {
    const pts = tensor([0, 0, 1, 0, 0, 1, NaN, 1, Infinity, 2], [5, 2]);
    const svg = scatterSvg(pts, { labels: ["a", "b", "c", "bad", "worse"] });
    const root = wellFormed(svg);
    expect(numbersIn(svg).some((v) => v.includes("NaN") || v.includes("Infinity"))).toBe(false);
    const notPlaced = allElements(root).find((e) => /rows not drawn/.test(e.attrs["aria-label"] ?? ""))!;
    expect(notPlaced.attrs["aria-label"]).toBe("2 rows not drawn: not finite");
    expect(allElements(root).filter((e) => e.name === "circle")).toHaveLength(3);
  });

  it("lineSvg and histogramSvg over ±1e308 (a range that overflows) give finite paths", () => {
    for (const svg of [lineSvg([{ name: "y", values: [-1e308, 0, 1e308, NaN] }]), histogramSvg([{ name: "x", values: [-1e308, 1e308, 0, NaN] }])]) {
      wellFormed(svg);
      expect(numbersIn(svg).some((v) => v.includes("NaN") || v.includes("Infinity"))).toBe(false);
    }
  });
});

describe("labels that are not strings are named at the call", () => {
  it("heatmapSvg, attentionSvg, scatterSvg and samplingSvg", () => {
    expect(() => heatmapSvg(tensor([1, 2], [1, 2]), { rowLabels: "ab" as never })).toThrow("heatmapSvg: rowLabels must be an array of strings, got string");
    expect(() => heatmapSvg(tensor([1, 2], [1, 2]), { colLabels: ["a", 2] as never })).toThrow("heatmapSvg: colLabels[1] is the number 2, expected a string");
    expect(() => attentionSvg(tensor([1], [1, 1]), { tokens: [7] as never })).toThrow("attentionSvg: tokens[0] is the number 7, expected a string");
    expect(() => scatterSvg(tensor([0, 1, 2, 3], [2, 2]), { labels: [1, 2] as never })).toThrow("scatterSvg: labels[0] is the number 1");
    const e = explainSampling([1, 0], { temperature: 1 });
    expect(() => samplingSvg(e, { labels: (id) => id as never })).toThrow("samplingSvg: labels(0) returned the number 0, expected a string");
  });
});

describe("layouts", () => {
  it("heatmapSvg of [6, 48] is as tall as what it draws (no blank band below)", () => {
    const svg = heatmapSvg(tensor(Array.from({ length: 288 }, (_, i) => i), [6, 48]));
    const root = wellFormed(svg);
    const bottom = Math.max(...allElements(root).filter((e) => e.name === "rect" && e.attrs.y !== undefined).map((e) => Number(e.attrs.y) + Number(e.attrs.height)));
    const textBottom = Math.max(...allElements(root).filter((e) => e.name === "text").map((e) => Number(e.attrs.y)));
    expect(Number(root.attrs.height) - Math.max(bottom, textBottom)).toBeLessThanOrEqual(14);
  });

  it("attentionSvg titles its axes: query ↓ and key → in every panel", () => {
    const root = wellFormed(attentionSvg(tensor([1, 0, 0.5, 0.5, 1, 0, 0.5, 0.5], [2, 2, 2]), { tokens: ["a", "b"], causal: true }));
    for (const head of allElements(root).filter((e) => /^head \d$/.test(e.attrs["aria-label"] ?? ""))) {
      const texts = head.children.filter((c) => c.name === "text").map((c) => c.text);
      expect(texts).toContain("query ↓");
      expect(texts).toContain("key →");
    }
  });

  it("tokensSvg breaks lines between words, never inside one that fits a line", () => {
    const words = Array.from({ length: 40 }, (_, i) => ` word${i}`);
    const text = words.join("");
    const ids: number[] = [], offsets: [number, number][] = [];
    let at = 0;
    for (const w of words) { // each word as two tokens: " wo" + "rdN"
      ids.push(1, 2);
      offsets.push([at, at + 3], [at + 3, at + w.length]);
      at += w.length;
    }
    const root = wellFormed(tokensSvg(text, { ids, offsets }));
    const rects = allElements(root).filter((e) => e.name === "rect" && e.attrs.rx === "3");
    for (let i = 0; i < rects.length; i += 2) expect(rects[i + 1].attrs.y, `word ${i / 2}`).toBe(rects[i].attrs.y);
    expect(new Set(rects.map((r) => r.attrs.y)).size).toBeGreaterThan(1); // it did wrap
  });

  it("scatterSvg places no two labels on top of each other", () => {
    const n = 30, data = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) { data[2 * i] = i % 3 === 0 ? 0 : i * 1e-3; data[2 * i + 1] = i; } // many near-coincident points
    const root = wellFormed(scatterSvg(tensor(data, [n, 2]), { labels: Array.from({ length: n }, (_, i) => `label ${i}`) }));
    const boxes = allElements(root).filter((e) => e.name === "text" && /^label /.test(e.text)).map((e) => {
      const w = 6.5 * e.text.length, x = Number(e.attrs.x), y = Number(e.attrs.y), anchor = e.attrs["text-anchor"] ?? "start";
      const left = anchor === "start" ? x : anchor === "end" ? x - w : x - w / 2;
      return [left, y - 10, left + w, y + 2];
    });
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      expect(a[0] >= b[2] || a[2] <= b[0] || a[1] >= b[3] || a[3] <= b[1], `labels ${i} and ${j} overlap`).toBe(true);
    }
  });
});
