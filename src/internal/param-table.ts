// What both families' parameter tables share: a tensor's place in a params tree, read and written by path.

/** Reads root[path[0]][path[1]]…, or undefined where a step is missing. */
export function getPath(root: unknown, path: (string | number)[]): unknown {
  let node = root as Record<string | number, unknown> | undefined;
  for (const key of path) node = node == null ? undefined : (node[key] as Record<string | number, unknown>);
  return node;
}

/** Writes value at root[path[0]][path[1]]…, creating arrays (numeric keys) and objects on the way. */
export function setPath(root: Record<string | number, unknown>, path: (string | number)[], value: unknown): void {
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    if (node[key] == null) node[key] = typeof path[i + 1] === "number" ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  }
  node[path[path.length - 1]] = value;
}
