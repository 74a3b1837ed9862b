// The 5-bit layout Q5_0 and Q5_1 share: 4 bytes with bit 4 of each of the 32 values (value i at bit
// i, little-endian), then 16 bytes of their low 4 bits (value i low nibble of byte i, i + 16 high).

/** Writes the 32 five-bit values q at dst[at .. at+20). */
export function packFive(q: Uint8Array, dst: Uint8Array, at: number): void {
  dst.fill(0, at, at + 4);
  for (let i = 0; i < 32; i++) dst[at + (i >> 3)] |= ((q[i] >> 4) & 1) << (i & 7);
  for (let i = 0; i < 16; i++) dst[at + 4 + i] = (q[i] & 15) | ((q[i + 16] & 15) << 4);
}

/** Reads the 32 five-bit values at src[at .. at+20) into q. */
export function unpackFive(src: Uint8Array, at: number, q: Uint8Array): void {
  for (let i = 0; i < 16; i++) {
    const byte = src[at + 4 + i];
    q[i] = (byte & 15) | (((src[at + (i >> 3)] >> (i & 7)) & 1) << 4);
    q[i + 16] = (byte >> 4) | (((src[at + ((i + 16) >> 3)] >> ((i + 16) & 7)) & 1) << 4);
  }
}
