// The rewrite behind the second build of the WebAssembly module (see build-wasm.mjs): every
// multiply-add on simple operands becomes one relaxed-SIMD fused multiply-add.
/** An operand the rewrite recognises: a local or a vector constant (no nested parentheses). */
const OPERAND = String.raw`\((?:local\.get \$[\w]+|v128\.const f32x4 [^()]+)\)`;
const MULTIPLY_ADD = new RegExp(String.raw`\(f32x4\.add (${OPERAND}) \(f32x4\.mul (${OPERAND}) (${OPERAND})\)\)`, "g");

/** The module's text with every `c + a·b` on simple operands written as one relaxed multiply-add. */
export function fuseMultiplyAdds(text) {
  let count = 0;
  const fused = text.replace(MULTIPLY_ADD, (_, c, a, b) => {
    count++;
    return `(f32x4.relaxed_madd ${a} ${b} ${c})`;
  });
  return { fused, count };
}
