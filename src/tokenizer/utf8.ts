// UTF-8 as "binary strings": one char per byte (code units 0–255). Token byte strings are Map keys
// in this form, and comparing two of them with < is comparing unsigned bytes lexicographically.

const encoder = new TextEncoder();
let scratch = new Uint8Array(1024);

/** The UTF-8 bytes of s as a binary string; lone surrogates become U+FFFD, as TextEncoder does. */
export function utf8Binary(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 127) {
      ascii = false;
      break;
    }
  }
  if (ascii) return s;
  if (scratch.length < s.length * 3) scratch = new Uint8Array(s.length * 3);
  const { written } = encoder.encodeInto(s, scratch);
  return bytesToBinary(scratch, 0, written);
}

export function bytesToBinary(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = "";
  for (let i = start; i < end; i += 4096) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 4096)) as unknown as number[]);
  }
  return out;
}

export function binaryToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** UTF-8 length of the code unit(s) at s[i]: [bytes, UTF-16 units]. Lone surrogates count as U+FFFD (3 bytes). */
export function charAt(s: string, i: number): [number, number] {
  const c = s.charCodeAt(i);
  if (c < 0x80) return [1, 1];
  if (c < 0x800) return [2, 1];
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return [4, 2];
  }
  return [3, 1];
}
