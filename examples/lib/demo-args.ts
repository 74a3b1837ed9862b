// The demo's command line: [LETTERS] [--quiet] [--model FILE] [--help], in any order.

export interface DemoArgs {
  word: string;
  quiet: boolean;
  help: boolean;
  modelFile?: string;
}

export const DEFAULT_WORD = "CBABAC";

/** Parses the demo's arguments; a problem is thrown as an Error whose message is the line to print. */
export function parseDemoArgs(args: readonly string[]): DemoArgs {
  const out: DemoArgs = { word: DEFAULT_WORD, quiet: false, help: false };
  let word: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--help" || a === "-h") out.help = true;
    else if (a === "--quiet") out.quiet = true;
    else if (a === "--model") {
      const file = args[i + 1];
      if (file === undefined || file.startsWith("-")) throw new Error("demo: --model needs a file, e.g. --model checkpoints/sort-model.safetensors (from npm run train -- sort)");
      out.modelFile = file;
      i++;
    } else if (a.startsWith("-")) throw new Error(`demo: unknown option ${a} (try --help)`);
    else if (word !== undefined) throw new Error(`demo: one word of letters, got "${word}" and "${a}"`);
    else word = a;
  }
  if (word !== undefined) {
    if (!/^[ABC]{6}$/i.test(word)) throw new Error(`demo: expected 6 letters from A, B, C (the model was trained on 6), got "${word}"`);
    out.word = word.toUpperCase();
  }
  return out;
}
