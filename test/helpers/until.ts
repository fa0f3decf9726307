/**
 * Polls until `check` passes: waits for a state the test cannot be told about (a lease renewed in
 * the database, a replica answering again), never a fixed time. Fails after `timeoutMs`.
 */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
