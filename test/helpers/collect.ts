// For the child processes that check memory is given back (run with --expose-gc): collects garbage
// until `done()` holds or 20 tries have passed (finalizers run after a collection, on a later task).
export async function collectUntil(done: () => boolean): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  for (let i = 0; i < 20 && !done(); i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
}
