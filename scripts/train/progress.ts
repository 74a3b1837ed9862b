// A progress line for training runs: on a terminal, one bar rewritten in place
// (step, loss, tokens/s, ETA); elsewhere (CI, a pipe), a plain line every `every` steps.

export interface Progress {
  /** Reports step (1-based) of total with the latest loss and the tokens processed so far. */
  update(step: number, loss: number, tokens: number): void;
  /** Prints a line above the bar (an evaluation, a checkpoint). */
  log(line: string): void;
  /** Ends the bar. */
  done(): void;
}

export function createProgress(total: number, options: { every: number; startStep?: number }): Progress {
  const tty = process.stdout.isTTY === true;
  const start = performance.now(), startStep = options.startStep ?? 0;
  let last = "";
  const clear = () => {
    if (tty && last) process.stdout.write("\r" + " ".repeat(last.length) + "\r");
  };
  return {
    update(step, loss, tokens) {
      const seconds = (performance.now() - start) / 1000;
      const rate = tokens / seconds;
      const eta = ((total - step) * seconds) / Math.max(1, step - startStep);
      const fields = `${String(step).padStart(String(total).length)}/${total}  loss ${loss.toFixed(4)}  ${Math.round(rate).toLocaleString("en")} tokens/s  ETA ${clock(eta)}`;
      if (tty) {
        const width = 24, filled = Math.round((width * step) / total);
        last = `[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${fields}`;
        process.stdout.write("\r" + last);
      } else if (step % options.every === 0 || step === total) {
        console.log(`step ${fields}`);
      }
    },
    log(line) {
      clear();
      console.log(line);
      if (tty && last) process.stdout.write(last);
    },
    done() {
      if (tty && last) process.stdout.write("\n");
      last = "";
    },
  };
}

/** Seconds as m:ss (or h:mm:ss). */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds)), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${String(r).padStart(2, "0")}` : `${m}:${String(r).padStart(2, "0")}`;
}
