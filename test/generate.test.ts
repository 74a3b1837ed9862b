import { describe, expect, it } from "vitest";
import { createGptCache, createRng, generate, gptForward, initGpt, sampleToken } from "../src/index";
import { expectClose } from "./helpers/close";
import { snapshotParams } from "../src/internal/snapshot";
import { createResidency } from "../src/backend/resident";

const config = { vocabSize: 13, blockSize: 6, nLayer: 2, nHead: 2, nEmbd: 8 };

describe("generate", () => {
  const params = initGpt(config, createRng(11));
  for (const p of [params.wte, params.h[0].attn.cAttn.weight, params.h[1].mlp.cFc.weight]) for (let i = 0; i < p.data.length; i++) p.data[i] *= 20; // sharper logits

  it("greedy generate equals argmax of a full recompute at every step, including after the context is cropped to blockSize", () => {
    const out = [...generate(params, [1, 2], { maxNewTokens: 9, temperature: 0 })];
    expect(out.length).toBe(9);
    const ctx = [1, 2];
    for (const tok of out) {
      const window = ctx.slice(-config.blockSize);
      const logits = gptForward(params, window);
      expect(tok).toBe(sampleToken(logits.data.subarray((window.length - 1) * 13), { temperature: 0 }));
      ctx.push(tok);
    }
  });

  it("logits with the cache equal logits of a full recompute (within 1e-5) at every step", () => {
    const ids = [3, 1, 4, 1, 5, 9];
    const cache = createGptCache(config);
    for (let t = 0; t < ids.length; t++) {
      const cached = gptForward(params, [ids[t]], { cache });
      const full = gptForward(params, ids.slice(0, t + 1));
      expectClose(cached.data, full.data.subarray(t * 13), { atol: 1e-5, rtol: 1e-5 });
    }
  });

  it("with a fixed seed generate is reproducible; it is a generator (next() one token at a time, runs once)", () => {
    const opts = { maxNewTokens: 8, temperature: 1.2, topK: 5 };
    const a = [...generate(params, [0], { ...opts, rng: createRng(4) })];
    const b = [...generate(params, [0], { ...opts, rng: createRng(4) })];
    expect(a).toEqual(b);
    const g = generate(params, [0], { maxNewTokens: 3, temperature: 0 });
    const first = g.next(); // a Generator: .next() type-checks and gives one token at a time
    expect(first.done).toBe(false);
    expect([first.value, ...g]).toEqual([...generate(params, [0], { maxNewTokens: 3, temperature: 0 })]);
    expect(g.next()).toEqual({ done: true, value: undefined }); // and, like every generator, it runs once
  });

  it("stops after yielding a stop id; maxNewTokens 0 yields nothing; long prompts are cropped", () => {
    const greedy = [...generate(params, [1, 2], { maxNewTokens: 5, temperature: 0 })];
    const stopped = [...generate(params, [1, 2], { maxNewTokens: 5, temperature: 0, stopIds: [greedy[1]] })];
    expect(stopped).toEqual(greedy.slice(0, greedy.indexOf(greedy[1]) + 1));
    expect([...generate(params, [1], { maxNewTokens: 0, temperature: 0 })]).toEqual([]);
    expect([...generate(params, [1, 2, 3, 4, 5, 6, 7, 8], { maxNewTokens: 2, temperature: 0 })].length).toBe(2);
  });

  it("checks its arguments at the call, before the first token", () => {
    expect(() => generate(params, [], { maxNewTokens: 1, temperature: 0 })).toThrow("generate: promptIds is empty, expected at least one token");
    expect(() => generate(params, [13], { maxNewTokens: 1, temperature: 0 })).toThrow("generate: promptIds[0] is 13, expected an integer id in [0, 13) (vocab size 13)");
    expect(() => generate(params, [1], { maxNewTokens: -1, temperature: 0 })).toThrow("generate: maxNewTokens must be an integer ≥ 0, got -1");
    expect(() => generate(params, [1], { maxNewTokens: 1 })).toThrow(/generate: rng is required when temperature > 0/);
    const broken = { ...params, wpe: { data: new Float32Array(4), shape: [2, 2] } };
    expect(() => generate(broken, [1], { maxNewTokens: 1, temperature: 0 })).toThrow("generate: params do not fit the config: params.wpe has shape [2, 2], expected [6, 8]");
  });
});

describe("generate releases the memory it keeps in the kernel backend", () => {
  it("resident bytes are back to 0 when generation ends, is abandoned (return()), or breaks out of for…of", async () => {
    const { generate, initGpt, createRng, wasmStatus } = await import("../src/index");
    const params = initGpt({ vocabSize: 11, blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 8 }, createRng(3));
    const residentWhileRunning = wasmStatus().enabled && wasmStatus().available;
    expect(wasmStatus().residentBytes).toBe(0);
    const it = generate(params, [1, 2, 3], { maxNewTokens: 8, temperature: 0 })[Symbol.iterator]();
    it.next();
    // the weights (8 matrices of the blocks and the head) and the KV cache: at least C·C floats
    if (residentWhileRunning) expect(wasmStatus().residentBytes).toBeGreaterThan(8 * 8 * 4);
    it.return?.();
    expect(wasmStatus().residentBytes).toBe(0);
    expect([...generate(params, [1, 2, 3], { maxNewTokens: 4, temperature: 0 })]).toHaveLength(4);
    expect(wasmStatus().residentBytes).toBe(0);
    for (const id of generate(params, [4], { maxNewTokens: 6, temperature: 0 })) if (id >= 0) break;
    expect(wasmStatus().residentBytes).toBe(0);
  });

  it("two interleaved generations each keep their own weights and give what each gives alone", () => {
    const a = initGpt({ vocabSize: 11, blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 8 }, createRng(3));
    const b = initGpt({ vocabSize: 11, blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 8 }, createRng(4));
    const alone = (p: typeof a) => [...generate(p, [1, 2, 3], { maxNewTokens: 6, temperature: 0 })];
    const ga = generate(a, [1, 2, 3], { maxNewTokens: 6, temperature: 0 }), gb = generate(b, [1, 2, 3], { maxNewTokens: 6, temperature: 0 });
    const outA: number[] = [], outB: number[] = [];
    for (let i = 0; i < 6; i++) {
      outA.push(ga.next().value as number);
      outB.push(gb.next().value as number);
    }
    expect(outA).toEqual(alone(a));
    expect(outB).toEqual(alone(b));
    expect(outA).not.toEqual(outB); // two different models: the test would not notice a mix-up otherwise
  });
});

describe("generate works on params as they were when iteration started", () => {
  const make = (blockSize = 32) => {
    const p = initGpt({ vocabSize: 13, blockSize, nLayer: 2, nHead: 2, nEmbd: 16 }, createRng(21));
    for (const t of [p.wte, p.h[0].attn.cAttn.weight, p.h[1].mlp.cFc.weight]) for (let i = 0; i < t.data.length; i++) t.data[i] *= 20;
    return p;
  };
  /** Every tensor of the model changed in place: matrices, embeddings, norms and biases. */
  const scramble = (p: ReturnType<typeof make>) => {
    const rng = createRng(99);
    const all = [p.wte, p.wpe, p.lnF.weight, p.lnF.bias!, ...p.h.flatMap((b) => [b.ln1.weight, b.ln1.bias!, b.ln2.weight, b.ln2.bias!,
      b.attn.cAttn.weight, b.attn.cAttn.bias!, b.attn.cProj.weight, b.mlp.cFc.weight, b.mlp.cFc.bias!, b.mlp.cProj.bias!])];
    for (const t of all) for (let i = 0; i < t.data.length; i++) t.data[i] = rng.normal() * 3;
  };
  const opts = { maxNewTokens: 12, temperature: 0 };

  it("changing every tensor after the first token changes nothing in that generation (and would change a new one)", () => {
    const expected = [...generate(make(), [1, 2, 3], opts)];
    const params = make();
    const got: number[] = [];
    for (const id of generate(params, [1, 2, 3], opts)) {
      got.push(id);
      if (got.length === 1) scramble(params);
    }
    expect(got).toEqual(expected);
    expect([...generate(params, [1, 2, 3], opts)]).not.toEqual(expected); // the change is one that matters
  });

  it("the same for an untied LM head and a prompt longer than one chunk (65 tokens)", () => {
    const withHead = () => { const p = make(96); p.lmHead = { data: p.wte.data.map((x) => -x), shape: p.wte.shape }; return p; };
    const prompt = Array.from({ length: 65 }, (_, i) => i % 13);
    const long = { ...opts, maxNewTokens: 4 };
    const expected = [...generate(withHead(), prompt, long)];
    const params = withHead();
    const got: number[] = [];
    for (const id of generate(params, prompt, long)) {
      got.push(id);
      if (got.length === 1) { scramble(params); params.lmHead!.data.fill(0); params.lmHead!.data[7] = 100; }
    }
    expect(got).toEqual(expected);
  });
});

describe("generate: stopIds, late changes and the snapshot", () => {
  const params = initGpt(config, createRng(11));
  for (const p of [params.wte, params.h[0].attn.cAttn.weight]) for (let i = 0; i < p.data.length; i++) p.data[i] *= 20;
  const greedy = [...generate(params, [1, 2], { maxNewTokens: 6, temperature: 0 })];
  const upTo = (id: number) => greedy.slice(0, greedy.indexOf(id) + 1);

  it("stopIds may be one id, an array, a typed array or any iterable of ids", () => {
    const stop = greedy[2];
    for (const stopIds of [stop, [stop], new Int32Array([stop]), new Set([stop]), [99 % 13, stop]]) {
      expect([...generate(params, [1, 2], { maxNewTokens: 6, temperature: 0, stopIds })]).toEqual(upTo(stop));
    }
  });

  it("stopIds that are not ids of the vocabulary are refused at the call", () => {
    const run = (stopIds: unknown) => () => generate(params, [1, 2], { maxNewTokens: 6, temperature: 0, stopIds: stopIds as number });
    expect(run("7")).toThrow("generate: stopIds must be a token id or an array of token ids, got the string \"7\"");
    expect(run({ 0: 7 })).toThrow("generate: stopIds must be a token id or an array of token ids");
    expect(run([99])).toThrow("generate: stopIds[0] is 99, expected an integer id in [0, 13) (vocab size 13)");
    expect(run([-1])).toThrow("stopIds[0] is -1");
    expect(run([7.5])).toThrow("stopIds[0] is 7.5");
    expect(run(13)).toThrow("stopIds[0] is 13");
    expect(run(Number.NaN)).toThrow("stopIds[0] is NaN");
  });

  it("a tensor replaced between generate() and the first next() is checked when iteration starts", () => {
    const copy = { ...params, wte: { data: params.wte.data.slice(), shape: params.wte.shape } };
    const g = generate(copy, [1, 2], { maxNewTokens: 2, temperature: 0 });
    (copy as { wte: unknown }).wte = { data: new Float32Array(5), shape: [5] };
    expect(() => g.next()).toThrow(/generate: .*wte/);
  });

  it("the snapshot keeps every typed array a typed array of its kind, copied", () => {
    const bytes = new Uint8Array([1, 2, 3]), codes = new Int8Array([-1, 2]);
    const frozen = snapshotParams({ ...params, extra: { bytes, codes, type: "q8_0" } } as never, createResidency(null)) as unknown as { extra: { bytes: Uint8Array; codes: Int8Array; type: string } };
    expect(frozen.extra.bytes).toBeInstanceOf(Uint8Array);
    expect(frozen.extra.codes).toBeInstanceOf(Int8Array);
    expect(Array.from(frozen.extra.codes)).toEqual([-1, 2]);
    expect(frozen.extra.bytes).not.toBe(bytes);
    expect(frozen.extra.type).toBe("q8_0");
  });
});
