// JSON.parse keeps the last of two equal keys without a word; file formats whose headers are JSON
// (safetensors and its shard index) need to know. This scans JSON text that JSON.parse has accepted.

/** The first key that appears twice in one object of `text` (valid JSON), as `path.key`, or undefined. */
export function duplicateJsonKey(text: string): string | undefined {
  const stack: { keys: Set<string> | null; path: string }[] = []; // null: an array
  let expectKey = false, lastKey = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      const top = stack[stack.length - 1];
      if (expectKey && top?.keys) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) return top.path ? `${top.path}.${key}` : key;
        top.keys.add(key);
        lastKey = key;
        expectKey = false;
      }
      i = j;
    } else if (ch === "{") {
      const parent = stack[stack.length - 1];
      stack.push({ keys: new Set(), path: parent ? (parent.path ? `${parent.path}.${lastKey}` : lastKey) : "" });
      expectKey = true;
    } else if (ch === "[") {
      stack.push({ keys: null, path: "" });
    } else if (ch === "}" || ch === "]") {
      stack.pop();
    } else if (ch === ",") {
      expectKey = stack[stack.length - 1]?.keys != null;
    }
  }
  return undefined;
}
