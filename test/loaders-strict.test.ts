// Loaders refuse what the format does not allow, instead of picking a reading: duplicate keys, holes
// in the data, non-string metadata, names that cannot nest; and the loss agrees with its backward on
// a row whose logits are all −∞ (NaN, as PyTorch).
import { describe, expect, it } from "vitest";
import {
  crossEntropy, crossEntropyBackward, loadSafetensors, loadSafetensorsShards, saveSafetensors, safetensorsMetadata, tensor, unflattenTensors,
} from "../src/index";
import { duplicateJsonKey } from "../src/internal/json";

/** A safetensors file from a header written by hand and the given data bytes. */
function file(header: string, data: Uint8Array): Uint8Array {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}
const f32 = (...xs: number[]) => new Uint8Array(new Float32Array(xs).buffer);

describe("loadSafetensors refuses what the format does not allow", () => {
  it("a tensor name twice in the header (JSON.parse would keep the last)", () => {
    const bytes = file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', f32(1, 2));
    expect(() => loadSafetensors(bytes)).toThrow('loadSafetensors: the header has the key "a" twice, expected each name once');
  });

  it("a key twice inside a tensor's entry or the metadata", () => {
    const bytes = file('{"a":{"dtype":"F32","dtype":"F16","shape":[1],"data_offsets":[0,4]}}', f32(1));
    expect(() => loadSafetensors(bytes)).toThrow('the header has the key "a.dtype" twice');
    const meta = file('{"__metadata__":{"k":"1","k":"2"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', f32(1));
    expect(() => safetensorsMetadata(meta)).toThrow('the header has the key "__metadata__.k" twice');
  });

  it("a hole between tensors, before the first, or bytes after the last", () => {
    const gap = file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}', f32(1, 0, 2));
    expect(() => loadSafetensors(gap)).toThrow('loadSafetensors: the data has a hole: bytes 4…7 belong to no tensor (before "b")');
    const lead = file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', f32(0, 1));
    expect(() => loadSafetensors(lead)).toThrow("the data has a hole: bytes 0…3 belong to no tensor");
    const tail = file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', f32(1, 9));
    expect(() => loadSafetensors(tail)).toThrow('the data has 4 bytes after the last tensor ("a")');
  });

  it("non-string __metadata__ values, as safetensorsMetadata refuses them on the same bytes", () => {
    const bytes = file('{"__metadata__":{"step":3},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', f32(1));
    expect(() => loadSafetensors(bytes)).toThrow('loadSafetensors: __metadata__["step"] is 3, expected a string');
    expect(() => safetensorsMetadata(bytes)).toThrow('safetensorsMetadata: __metadata__["step"] is 3, expected a string');
  });

  it("files it writes, and files with tensors in any order that cover the data, still load", () => {
    const saved = saveSafetensors({ b: tensor([1, 2], [2]), a: tensor([3], [1]) }, { note: "x" });
    expect(Array.from(loadSafetensors(saved).b.data)).toEqual([1, 2]);
    const reordered = file('{"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', f32(5, 6));
    expect(Array.from(loadSafetensors(reordered).b.data)).toEqual([6]);
    expect(Object.keys(loadSafetensors(file("{}", new Uint8Array(0))))).toEqual([]);
  });

  it("loadSafetensorsShards names a weight_map value that is not a file name, and a tensor listed twice", () => {
    expect(() => loadSafetensorsShards({ weight_map: { a: 3 } } as never, {})).toThrow('loadSafetensorsShards: index.weight_map["a"] is 3, expected a shard\'s file name');
    expect(() => loadSafetensorsShards('{"weight_map":{"a":"x","a":"y"}}', {})).toThrow('loadSafetensorsShards: index has the key "weight_map.a" twice');
  });
});

describe("duplicateJsonKey(text)", () => {
  it("finds a repeated key at any depth and ignores equal keys in different objects or in strings", () => {
    expect(duplicateJsonKey('{"a":1,"b":{"a":2},"c":[{"a":1},{"a":2}]}')).toBeUndefined();
    expect(duplicateJsonKey('{"a":"\\"a\\"","b":"a"}')).toBeUndefined();
    expect(duplicateJsonKey('{"x":[{"a":1,"a":2}]}')).toBe("x.a");
    expect(duplicateJsonKey('{"a\\u0062":1,"ab":2}')).toBe("ab");
  });
});

describe("unflattenTensors refuses names that cannot nest", () => {
  const t = tensor([1], [1]);
  it("a name that is a tensor and the prefix of another, in either order", () => {
    expect(() => unflattenTensors({ a: t, "a.b": t })).toThrow('unflattenTensors: "a.b" is under "a", which is a tensor');
    expect(() => unflattenTensors({ "a.b": t, a: t })).toThrow('unflattenTensors: "a" is a tensor and also the prefix of other names');
  });

  it("an index far past the number of names (no 1e8-long sparse array), and holes", () => {
    const start = performance.now();
    expect(() => unflattenTensors({ "h.100000000.w": t })).toThrow('unflattenTensors: the name "h.100000000.w" has index 100000000, but there are only 1 names');
    expect(performance.now() - start).toBeLessThan(1000);
    expect(() => unflattenTensors({ "h.0.w": t, "h.2.w": t, a: t, b: t })).toThrow('unflattenTensors: "h" has entries up to 2 but none at 1');
    expect(() => unflattenTensors({ "h.0": t, "h.x": t })).toThrow('"h" has both numbered and named entries');
  });

  it("consecutive indices nest as arrays", () => {
    const tree = unflattenTensors({ "h.1.w": t, "h.0.w": t, lnF: t }) as { h: { w: unknown }[] };
    expect(Array.isArray(tree.h)).toBe(true);
    expect(tree.h).toHaveLength(2);
  });
});

describe("crossEntropy of a row whose logits are all −∞", () => {
  it("is NaN, as PyTorch, and its backward is NaN too", () => {
    const logits = tensor([-Infinity, -Infinity, 0, 1], [2, 2]);
    expect(crossEntropy(logits, [0, 1])).toBeNaN();
    const d = crossEntropyBackward(logits, [0, 1]);
    expect(Number.isNaN(d.data[0]) && Number.isNaN(d.data[1])).toBe(true);
    expect(Number.isFinite(d.data[2])).toBe(true);
    expect(crossEntropy(tensor([-Infinity, 0], [1, 2]), [0])).toBe(Infinity); // the target alone at −∞: +∞, as PyTorch
  });
});
