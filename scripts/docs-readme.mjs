// The docs site's home page is the README without its first heading: typedoc titles the page with
// the project's name already, so the README's own "# transformer-primitives" would show twice.
import { readFileSync, writeFileSync } from "node:fs";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
writeFileSync(new URL("../docs/.home.md", import.meta.url), readme.replace(/^# [^\n]*\n+/, ""));
