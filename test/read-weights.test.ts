// readSafetensors and readGguf: weight files read from a Blob a chunk at a time — the same tensors,
// checks and errors as loadSafetensors and loadGguf — each tensor written straight into the kernels'
// memory where it is shared, so that a model is held once.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  createRng, generate, gptFromStateDict, gptToStateDict, initGpt, initLlama, loadGguf, loadSafetensors, modelFromGguf, modelToGguf,
  readGguf, readSafetensors, residentParams, saveSafetensors, wasmStatus, type LlamaParams, type QuantizedTensor, type Tensor, type Weight,
} from "../src/index";
import { wasmBackend } from "../src/backend/index";
import { floatToBf16, floatToHalf } from "../src/kernels";

const inKernelMemory = () => wasmStatus().sharedMemory && wasmStatus().enabled;
const gptConfig = { vocabSize: 37, blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 16 };
const llamaConfig = { vocabSize: 64, blockSize: 32, nLayer: 2, nHead: 4, nKvHead: 2, nEmbd: 32, intermediateSize: 64 };

/** A safetensors file written by hand (not by saveSafetensors): F32, F16, BF16 and F64 tensors of 0 to 3 dimensions. */
function mixedFile(): Uint8Array {
  const rng = createRng(3), values = (n: number) => Array.from({ length: n }, () => (rng.uniform() - 0.5) * 200);
  const parts: { name: string; dtype: string; shape: number[]; bytes: Uint8Array }[] = [
    { name: "a.f32", dtype: "F32", shape: [5, 7], bytes: new Uint8Array(Float32Array.from(values(35)).buffer) },
    { name: "b.f16", dtype: "F16", shape: [3, 11], bytes: new Uint8Array(Uint16Array.from(values(33), floatToHalf).buffer) },
    { name: "c.bf16", dtype: "BF16", shape: [13], bytes: new Uint8Array(Uint16Array.from(values(13), floatToBf16).buffer) },
    { name: "d.f64", dtype: "F64", shape: [2, 3, 3], bytes: new Uint8Array(Float64Array.from(values(18)).buffer) },
    { name: "e.scalar", dtype: "F32", shape: [], bytes: new Uint8Array(Float32Array.of(2.5).buffer) },
    { name: "__proto__", dtype: "F32", shape: [0], bytes: new Uint8Array(0) },
  ];
  const header: Record<string, unknown> = { __metadata__: { note: "hand-made" } };
  let at = 0;
  for (const p of parts) { header[p.name] = { dtype: p.dtype, shape: p.shape, data_offsets: [at, at + p.bytes.length] }; at += p.bytes.length; }
  const json = new TextEncoder().encode(JSON.stringify(header)), out = new Uint8Array(8 + json.length + at);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let p = 8 + json.length;
  for (const part of parts) { out.set(part.bytes, p); p += part.bytes.length; }
  return out;
}

const same = (got: Record<string, Tensor | QuantizedTensor>, want: Record<string, Tensor | QuantizedTensor>) => {
  expect(Object.keys(got)).toEqual(Object.keys(want));
  for (const name of Object.keys(want)) {
    const g = got[name], w = want[name];
    expect(g.shape, name).toEqual(w.shape);
    if ("data" in w) expect(Array.from((g as Tensor).data), name).toEqual(Array.from(w.data));
    else {
      expect((g as QuantizedTensor).type, name).toBe(w.type);
      expect(Buffer.from((g as QuantizedTensor).bytes).equals(Buffer.from(w.bytes)), name).toBe(true);
    }
  }
};

/** The message loadX gives for bytes, as readX names itself. */
const messageOf = (load: () => unknown, from: string, to: string) => {
  try { load(); } catch (e) { return (e as Error).message.replace(`${from}:`, `${to}:`); }
  return null;
};

describe("readSafetensors(file)", () => {
  it("gives loadSafetensors' tensors for every dtype and shape, read whole or a few bytes at a time", async () => {
    const bytes = mixedFile(), want = loadSafetensors(bytes);
    for (const chunkBytes of [8, 16, 24, undefined]) same(await readSafetensors(new Blob([bytes]), chunkBytes ? { chunkBytes } : undefined), want);
    const sd = gptToStateDict(initGpt(gptConfig, createRng(1))), file = saveSafetensors(sd);
    same(await readSafetensors(new Blob([file]), { chunkBytes: 64 }), loadSafetensors(file));
  });

  it("refuses what loadSafetensors refuses, with its message under its own name: every truncation, a bad header", async () => {
    const bytes = mixedFile();
    const cases = [bytes.subarray(0, 5), bytes.slice(0, 8).fill(0xff), Uint8Array.from([...bytes.subarray(0, 8), ...new TextEncoder().encode("{nope")])];
    for (let n = 8; n < bytes.length; n += 37) cases.push(bytes.subarray(0, n));
    for (const b of cases) {
      const want = messageOf(() => loadSafetensors(b), "loadSafetensors", "readSafetensors");
      expect(want).toMatch(/^readSafetensors: /);
      await expect(readSafetensors(new Blob([b]), { chunkBytes: 16 })).rejects.toThrow(want!);
    }
  });

  it("checks its arguments", async () => {
    await expect(readSafetensors(new Uint8Array(8) as never)).rejects.toThrow("readSafetensors: file must be a Blob (a File, or Node's fs.openAsBlob(path)), got a Uint8Array");
    await expect(readSafetensors(new Blob([mixedFile()]), { chunk: 8 } as never)).rejects.toThrow('readSafetensors: unknown option "chunk" (did you mean "chunkBytes"?)');
    await expect(readSafetensors(new Blob([mixedFile()]), { chunkBytes: 12 })).rejects.toThrow("readSafetensors: options.chunkBytes must be a positive multiple of 8, got 12");
  });

  it("writes each tensor into the kernels' memory (where it is shared), so residentParams and generate copy no weight", async () => {
    const params = initGpt(gptConfig, createRng(2)), file = saveSafetensors(gptToStateDict(params));
    const want = [...generate(params, [1, 2, 3], { maxNewTokens: 6, temperature: 0 })];
    const model = gptFromStateDict(await readSafetensors(new Blob([file])), gptConfig);
    if (inKernelMemory()) {
      const be = wasmBackend()!;
      expect(be.mem.holds(model.wte.data) && be.mem.holds(model.h[1].mlp.cProj.weight.data) && be.mem.holds(model.lnF.bias!.data)).toBe(true);
      const resident = residentParams(model);
      expect(resident.h[0].attn.cAttn.weight.data).toBe(model.h[0].attn.cAttn.weight.data); // kept, not copied
    }
    const copied = wasmStatus().copiedBytes;
    expect([...generate(model, [1, 2, 3], { maxNewTokens: 6, temperature: 0 })]).toEqual(want);
    if (inKernelMemory()) expect(wasmStatus().copiedBytes - copied).toBeLessThan(4096); // ids in, logits out: no weight
  });
});

describe("readGguf(file)", () => {
  const llama = initLlama(llamaConfig, createRng(4));
  const big = Array.from({ length: 3000 }, (_, i) => `token-${i}`); // a header of ~50 kB: read again, larger, several times at small chunks
  const file = modelToGguf(llama, { type: "q8_0", metadata: { "x.strings": { type: "array", itemType: "string", value: big } } });

  it("gives loadGguf's version, metadata and tensors, whatever the chunk", async () => {
    const want = loadGguf(file);
    for (const chunkBytes of [64, 4096, undefined]) {
      const got = await readGguf(new Blob([file]), chunkBytes ? { chunkBytes } : undefined);
      expect(got.version).toBe(want.version);
      expect(got.metadata).toEqual(want.metadata);
      same(got.tensors, want.tensors);
    }
  });

  it("refuses what loadGguf refuses, with its message under its own name: every truncation, bad magic", async () => {
    const cases = [file.slice(0, 4).fill(0x41), file.subarray(0, 3)];
    for (let n = 0; n < file.length - 64; n += Math.ceil(file.length / 40)) cases.push(file.subarray(0, n));
    for (const b of cases) {
      const want = messageOf(() => loadGguf(b), "loadGguf", "readGguf");
      expect(want).toMatch(/^readGguf: /);
      await expect(readGguf(new Blob([b]), { chunkBytes: 256 })).rejects.toThrow(want!);
    }
    await expect(readGguf({ size: 4 } as never)).rejects.toThrow("readGguf: file must be a Blob");
  });

  it("a Llama read from it generates as one loaded with loadGguf, and residentParams copies only the Q and K rows modelFromGguf reorders", async () => {
    const loaded = modelFromGguf(loadGguf(file));
    const want = [...generate(loaded, [1, 2, 3], { maxNewTokens: 6, temperature: 0 })];
    const read = modelFromGguf(await readGguf(new Blob([file]))) as LlamaParams<Weight>;
    const copied = wasmStatus().copiedBytes, model = residentParams(read);
    if (inKernelMemory()) {
      const reordered = read.h.reduce((s, l) => s + (l.attn.q.weight as QuantizedTensor).bytes.length + (l.attn.k.weight as QuantizedTensor).bytes.length, 0);
      expect(wasmStatus().copiedBytes - copied).toBe(reordered);
      expect((model.h[1].mlp.gate.weight as QuantizedTensor).bytes).toBe((read.h[1].mlp.gate.weight as QuantizedTensor).bytes);
    }
    expect([...generate(model, [1, 2, 3], { maxNewTokens: 6, temperature: 0 })]).toEqual(want);
  });

  it("gives each tensor's memory back once it is garbage", () => {
    const flags = process.env.TP_KERNELS === "fma" ? ["--experimental-wasm-relaxed-simd"] : [];
    const r = spawnSync(process.execPath, [...flags, "--expose-gc", "--import", "tsx", "test/helpers/read-gc.ts"], { encoding: "utf8", env: { ...process.env } });
    expect(r.status, r.stderr).toBe(0);
    const { before, held, after } = JSON.parse(r.stdout.trim().split("\n").pop()!);
    if (process.env.TP_KERNELS === "js") return; // the child runs WebAssembly: only the default paths measure it
    expect(held).toBeGreaterThan(before);
    expect(after).toBe(before);
  });
});
