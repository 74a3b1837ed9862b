// A static file server on 127.0.0.1 for the browser tests: files under `root` served at `base`
// (a sub-path, as GitHub Pages serves a repository's site), a directory as its index.html, with the
// given headers. A request outside `base` is answered 404 and passed to `outside` (the browser's own
// /favicon.ico, asked of the origin when a page names no icon, is answered 204 as a host would).
import { createServer } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";

const TYPES = {
  ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".tiktoken": "text/plain", ".svg": "image/svg+xml",
  ".json": "application/json", ".png": "image/png", ".safetensors": "application/octet-stream",
};

/** Starts the server; resolves to `{ server, url }` where url is the base's address. */
export async function serveStatic(root, { base = "/", headers = {}, outside = () => {} } = {}) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path === "/favicon.ico" && base !== "/") { res.writeHead(204).end(); return; }
    if (!path.startsWith(base)) { outside(path); res.writeHead(404).end("outside the site's sub-path"); return; }
    const rel = normalize(path.slice(base.length)).replace(/^(\.\.[/\\])+/, "");
    const file = join(root, rel === "." || rel === "" || rel.endsWith("/") ? join(rel, "index.html") : rel);
    if (!file.startsWith(root) || !existsSync(file)) { res.writeHead(404).end("not found"); return; }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", ...headers }).end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { server, url: `http://127.0.0.1:${server.address().port}${base}` };
}
