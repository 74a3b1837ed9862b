export async function benchModel(): Promise<unknown> {
  return {};
}
