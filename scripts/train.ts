// npm run train -- <task> [options]: trains a model from scratch with transformer-primitives.
//   sort   minGPT gpt-nano learns to sort 6 letters (until it sorts all 729 inputs)
//   chars  a character-level GPT on your --text FILE, or on ../shared/corpus/english.txt
// Run with --help for the options.
import { trainSort } from "./train/sort";
import { trainChars } from "./train/chars";

const argv = process.argv.slice(2);
const task = argv[0]?.startsWith("--") ? undefined : argv[0];
const rest = task === undefined ? argv : argv.slice(1);
const flags = new Map<string, string>();
for (let i = 0; i < rest.length; i++) {
  const a = rest[i];
  if (!a.startsWith("--")) usage(`unexpected argument ${JSON.stringify(a)}`);
  const [key, inline] = a.slice(2).split("=", 2);
  if (key === "resume" || key === "help") flags.set(key, "true");
  else flags.set(key, inline ?? rest[++i] ?? usage(`--${key} needs a value`));
}

const USAGE = `usage: npm run train -- sort  [--steps N] [--out FILE] [--seed N] [--eval-every N]
       npm run train -- chars [--text FILE] [--steps N] [--out FILE] [--checkpoint FILE] [--resume] [--seed N] [--eval-every N]

  sort    minGPT's gpt-nano learns to sort 6 letters; --steps is a ceiling (default 5000): it stops
          once it sorts all 729 inputs. Writes checkpoints/sort-model.safetensors.
  chars   a character-level GPT (4 layers, C = 128, context 128) on --text FILE, or by default on
          ../shared/corpus/english.txt; --steps default 2000. Writes checkpoints/char-model.safetensors.`;

function usage(problem?: string): never {
  if (problem) {
    console.error(`train: ${problem}\n${USAGE}`);
    process.exit(2);
  }
  console.log(USAGE);
  process.exit(0);
}

function int(name: string, fallback: number): number {
  const v = flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) usage(`--${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return n;
}

function check(known: string[]): void {
  for (const k of flags.keys()) if (!known.includes(k)) usage(`unknown option --${k} for ${task}`);
}

if (flags.has("help")) usage();
if (task === undefined) usage("which task? sort or chars");
if (task === "sort") {
  check(["steps", "out", "seed", "eval-every", "help"]);
  trainSort({ steps: int("steps", 5000), out: flags.get("out") ?? "checkpoints/sort-model.safetensors", seed: int("seed", 3407), evalEvery: int("eval-every", 100) });
} else if (task === "chars") {
  check(["text", "steps", "out", "checkpoint", "resume", "seed", "eval-every", "help"]);
  trainChars({
    text: flags.get("text"),
    steps: int("steps", 2000), out: flags.get("out") ?? "checkpoints/char-model.safetensors",
    checkpoint: flags.get("checkpoint") ?? "checkpoints/chars-training.safetensors", resume: flags.has("resume"),
    seed: int("seed", 1337), evalEvery: int("eval-every", 250),
  });
} else {
  usage(`unknown task ${JSON.stringify(task)}, expected "sort" or "chars"`);
}
