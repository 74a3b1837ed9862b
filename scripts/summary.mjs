// The last line of `npm test`: one count over unit/property tests and examples, in the plain
// "N passed, N failed" form that CI reads.
import { readFileSync } from "node:fs";

const unit = JSON.parse(readFileSync(".test-results/vitest.json", "utf8"));
const js = JSON.parse(readFileSync(".test-results/vitest-js.json", "utf8"));
const fma = JSON.parse(readFileSync(".test-results/vitest-fma.json", "utf8"));
const threads = JSON.parse(readFileSync(".test-results/vitest-threads.json", "utf8")); // the suite again on 2 threads
const examples = JSON.parse(readFileSync(".test-results/examples.json", "utf8"));
const readme = JSON.parse(readFileSync(".test-results/readme.json", "utf8")); // README blocks run from the packed tarball
const browser = JSON.parse(readFileSync(".test-results/browser.json", "utf8")); // the playground in Chromium
// npm run test:train trained the sort model from scratch; its checkpoint says how many inputs it sorts
const bytes = readFileSync(".test-results/sort-model.safetensors");
const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString("utf8"));
const trained = header.__metadata__.sorted === "729/729" ? 1 : 0;
console.log(`vitest: ${unit.numPassedTests} passed, ${unit.numFailedTests} failed (default kernels); ${js.numPassedTests} passed, ${js.numFailedTests} failed (TP_KERNELS=js); ${fma.numPassedTests} passed, ${fma.numFailedTests} failed (TP_KERNELS=fma); ${threads.numPassedTests} passed, ${threads.numFailedTests} failed (TP_THREADS=2); examples: ${examples.passed} ran, ${examples.failed} failed; README from the tarball: ${readme.passed} passed, ${readme.failed} failed; playground in Chromium: ${browser.passed} passed, ${browser.failed} failed (first render ${Math.round(browser.firstRenderMs)} ms, slider ${browser.sliderRerenderMs?.toFixed(1)} ms); sort model trained from scratch: ${header.__metadata__.sorted} after ${header.__metadata__.iterations} steps`);
console.log(`${unit.numPassedTests + js.numPassedTests + fma.numPassedTests + threads.numPassedTests + examples.passed + readme.passed + browser.passed + trained} passed, ${unit.numFailedTests + js.numFailedTests + fma.numFailedTests + threads.numFailedTests + examples.failed + readme.failed + browser.failed + 1 - trained} failed`);
