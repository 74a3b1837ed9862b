// A progress line for training runs: on a terminal, one bar rewritten in place
// (step, loss, tokens/s, ETA); elsewhere (CI, a pipe), a plain line every `every` steps. A run that
// may stop before its last step (the sort task stops once it sorts everything) shows the time spent
// instead of an ETA to a ceiling it will not reach. The bar is cleared when the run ends, so the last
// line on the screen is the last thing logged.

export interface Progress {
  /** Reports step (1-based) of total with the latest loss and the tokens processed so far. */
  update(step: number, loss: number, tokens: number): void;
  /** Prints a line above the bar (an evaluation, a checkpoint). */
  log(line: string): void;
  /** Ends the bar. */
  done(): void;
}

/** Where progress goes: process.stdout by default (tests pass their own). */
export interface ProgressOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

export function createProgress(total: number, options: { every: number; startStep?: number; eta?: boolean; out?: ProgressOutput }): Progress {
  const out = options.out ?? process.stdout;
  const tty = out.isTTY === true, showEta = options.eta ?? true;
  const line = (text: string) => out.write(text + "\n");
  const start = performance.now(), startStep = options.startStep ?? 0;
  let last = "", shown = 0; // the bar, and how many columns of the line it covers (a longer bar may have come before)
  const clear = () => {
    if (tty && shown) out.write("\r" + " ".repeat(shown) + "\r");
    shown = 0;
  };
  const draw = () => {
    out.write("\r" + last.padEnd(shown));
    shown = Math.max(shown, last.length);
  };
  return {
    update(step, loss, tokens) {
      const seconds = (performance.now() - start) / 1000;
      const rate = tokens / seconds;
      const eta = ((total - step) * seconds) / Math.max(1, step - startStep);
      const time = showEta ? `ETA ${clock(eta)}` : `${clock(seconds)} so far`;
      const fields = `${String(step).padStart(String(total).length)}/${total}  loss ${loss.toFixed(4)}  ${Math.round(rate).toLocaleString("en")} tokens/s  ${time}`;
      if (tty) {
        const width = 24, filled = Math.round((width * step) / total);
        last = `[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${fields}`;
        draw();
      } else if (step % options.every === 0 || step === total) {
        line(`step ${fields}`);
      }
    },
    log(text) {
      clear();
      line(text);
      if (tty && last) draw();
    },
    done() {
      clear(); // the bar goes: what stays is the last line logged
      last = "";
    },
  };
}

/** Seconds as m:ss (or h:mm:ss). */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds)), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${String(r).padStart(2, "0")}` : `${m}:${String(r).padStart(2, "0")}`;
}
