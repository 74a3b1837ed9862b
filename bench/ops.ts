export async function benchOps(): Promise<unknown> {
  return {};
}
