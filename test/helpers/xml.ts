// A strict XML parser for the figures' tests: well-formedness is checked by parsing (every tag
// closed and nested, attributes quoted and not repeated, only the five predefined entities and
// numeric references, one root element), never by regular expressions over the whole document.
export interface XmlElement { name: string; attrs: Record<string, string>; children: XmlElement[]; text: string }

const NAME = /^[A-Za-z_:][\w.:-]*/;

function decodeEntities(s: string, where: number): string {
  return s.replace(/&([^;]*);?/g, (m, body: string) => {
    if (!m.endsWith(";")) throw new Error(`xml: a bare & near offset ${where}`);
    const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
    if (body in named) return named[body];
    const num = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(body);
    if (!num) throw new Error(`xml: unknown entity &${body}; near offset ${where}`);
    return String.fromCodePoint(body[1] === "x" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10));
  });
}

export function parseXml(source: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const skipSpace = () => { while (i < source.length && /\s/.test(source[i])) i++; };
  skipSpace();
  while (i < source.length) {
    if (source.startsWith("<!--", i)) { const end = source.indexOf("-->", i); if (end < 0) throw new Error("xml: unclosed comment"); i = end + 3; continue; }
    if (source[i] === "<" && source[i + 1] === "/") {
      const m = NAME.exec(source.slice(i + 2));
      if (!m) throw new Error(`xml: bad closing tag at ${i}`);
      const open = stack.pop();
      if (!open || open.name !== m[0]) throw new Error(`xml: </${m[0]}> at ${i} closes <${open?.name ?? "nothing"}>`);
      i += 2 + m[0].length;
      skipSpace();
      if (source[i] !== ">") throw new Error(`xml: expected > at ${i}`);
      i++;
      continue;
    }
    if (source[i] === "<") {
      const m = NAME.exec(source.slice(i + 1));
      if (!m) throw new Error(`xml: bad tag at ${i}`);
      const el: XmlElement = { name: m[0], attrs: {}, children: [], text: "" };
      i += 1 + m[0].length;
      for (;;) {
        const before = i;
        skipSpace();
        if (source.startsWith("/>", i)) { i += 2; break; }
        if (source[i] === ">") { i++; stack.push(el); break; }
        if (i === before) throw new Error(`xml: expected whitespace before an attribute at ${i}`);
        const a = NAME.exec(source.slice(i));
        if (!a) throw new Error(`xml: bad attribute at ${i}`);
        i += a[0].length;
        if (source[i] !== "=") throw new Error(`xml: attribute ${a[0]} without = at ${i}`);
        const q = source[i + 1];
        if (q !== '"' && q !== "'") throw new Error(`xml: attribute ${a[0]} not quoted at ${i}`);
        const end = source.indexOf(q, i + 2);
        if (end < 0) throw new Error(`xml: unclosed attribute ${a[0]}`);
        const raw = source.slice(i + 2, end);
        if (raw.includes("<")) throw new Error(`xml: < inside attribute ${a[0]}`);
        if (a[0] in el.attrs) throw new Error(`xml: repeated attribute ${a[0]}`);
        el.attrs[a[0]] = decodeEntities(raw, i);
        i = end + 1;
      }
      const parent = stack.length > (stack[stack.length - 1] === el ? 1 : 0) ? stack[stack.length - (stack[stack.length - 1] === el ? 2 : 1)] : null;
      if (parent) parent.children.push(el);
      else if (root) throw new Error("xml: more than one root element");
      else root = el;
      continue;
    }
    const next = source.indexOf("<", i);
    const text = source.slice(i, next < 0 ? source.length : next);
    if (stack.length === 0) { if (text.trim()) throw new Error(`xml: text outside the root at ${i}`); }
    else stack[stack.length - 1].text += decodeEntities(text, i);
    i = next < 0 ? source.length : next;
  }
  if (stack.length) throw new Error(`xml: <${stack[stack.length - 1].name}> is never closed`);
  if (!root) throw new Error("xml: no root element");
  return root;
}

/** Every element of the tree (depth first, the root included). */
export function allElements(el: XmlElement): XmlElement[] {
  return [el, ...el.children.flatMap(allElements)];
}
