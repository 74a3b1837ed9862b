// The rewrite behind the fused build of the WebAssembly module (see build-wasm.mjs): every
// `(f32x4.add x (f32x4.mul a b))` — or with the product first — becomes one relaxed-SIMD fused
// multiply-add `(f32x4.relaxed_madd a b x)`, whatever its operands. The text is parsed into
// s-expressions (comments and strings skipped), not matched by a pattern, so no product inside an
// add is missed; everything else is copied as written.

/** Parses WebAssembly text into nodes `{ start, end, head, children }` (source offsets; head = the first atom). */
export function parseSexprs(text) {
  const root = { start: 0, end: text.length, head: null, children: [] };
  const stack = [root];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === ";" && text[i + 1] === ";") { // a line comment
      while (i < text.length && text[i] !== "\n") i++;
    } else if (ch === "(" && text[i + 1] === ";") { // a block comment
      const end = text.indexOf(";)", i + 2);
      if (end < 0) throw new Error("wasm-fuse: unterminated block comment");
      i = end + 1;
    } else if (ch === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (ch === "(") {
      const node = { start: i, end: -1, head: null, children: [] };
      stack[stack.length - 1].children.push(node);
      stack.push(node);
      const m = /^[^\s()";]+/.exec(text.slice(i + 1, i + 64));
      node.head = m ? m[0] : null;
    } else if (ch === ")") {
      if (stack.length === 1) throw new Error(`wasm-fuse: unbalanced ")" at ${i}`);
      stack.pop().end = i + 1;
    }
  }
  if (stack.length !== 1) throw new Error("wasm-fuse: unbalanced \"(\"");
  return root;
}

/**
 * Whether evaluating an expression may change state, so that evaluating it after the product's
 * operands instead of before could change what they read. (The helper functions the module calls
 * inside expressions — $sum4, $hsum, $geluGrad, … — only compute: they are not counted.)
 */
const SIDE_EFFECTS = /\((?:local\.tee|local\.set|global\.set|[\w.]*store\w*|memory\.)/;

/** The module's text with every multiply feeding an add fused into one relaxed multiply-add. */
export function fuseMultiplyAdds(text) {
  const root = parseSexprs(text);
  let count = 0;
  const isMul = (n) => n.head === "f32x4.mul" && n.children.length === 2;
  const emit = (node) => {
    if (node.head === "f32x4.add" && node.children.length === 2) {
      const [x, y] = node.children;
      const product = isMul(y) ? y : isMul(x) ? x : null;
      const addend = product === y ? x : y;
      // relaxed_madd evaluates the addend last: fused only where that order cannot matter
      const pure = (n) => !SIDE_EFFECTS.test(text.slice(n.start, n.end));
      if (product !== null && pure(addend) && pure(product)) {
        count++;
        const [a, b] = product.children;
        return `(f32x4.relaxed_madd ${emit(a)} ${emit(b)} ${emit(addend)})`;
      }
    }
    let out = "", at = node.start;
    for (const child of node.children) {
      out += text.slice(at, child.start) + emit(child);
      at = child.end;
    }
    return out + text.slice(at, node.end);
  };
  return { fused: emit(root), count };
}

/** How many `(f32x4.add …)` nodes of text still add a product (0 after {@link fuseMultiplyAdds}, but for a moved side effect). */
export function unfusedProducts(text) {
  let n = 0;
  const walk = (node) => {
    if (node.head === "f32x4.add" && node.children.some((c) => c.head === "f32x4.mul")) n++;
    node.children.forEach(walk);
  };
  walk(parseSexprs(text));
  return n;
}
