// Lesson 4 — position embeddings: attention alone cannot tell "cat sat" from "sat cat", so each
// position gets a vector too: learned (GPT-2's wpe), fixed sinusoids, or rotations (RoPE).
// Run: npx tsx examples/04-position-embeddings.ts
import { applyRope, createRng, embedPositions, formatTensor, randn, sinusoidalPositions } from "transformer-primitives";

const T = 4, C = 8, blockSize = 16;

const wpe = randn([blockSize, C], createRng(4), 0.5); // GPT-2 learns this table, one row per position
console.log(formatTensor(embedPositions(T, wpe), { precision: 2, label: "learned: embedPositions(4, wpe), [T, C] =" }));

console.log();
const pe = sinusoidalPositions(T, C);
console.log(formatTensor(pe, { precision: 2, label: "fixed: sinusoidalPositions(4, 8), [T, C] =" }));
console.log("  columns 2i, 2i+1 = sin, cos of p / 10000^(2i/C): fast waves on the left, slow on the right");

console.log();
// RoPE does not add a vector: it rotates pairs of query/key channels by an angle that grows with position.
const q = { data: new Float32Array(T * C).fill(1), shape: [T, C] };
console.log(formatTensor(applyRope(q), { precision: 2, label: "RoPE: applyRope(all-ones q), [T, D] =" }));
console.log("  row 0 is unchanged (angle 0); later rows are rotated further");
