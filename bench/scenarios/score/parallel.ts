// Runs work(0) … work(count-1) with at most `concurrency` in flight; the first failure stops the rest.
export async function inParallel (count: number, concurrency: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0
  let failed: unknown
  const lane = async () => {
    while (failed === undefined && next < count) {
      const i = next++
      try { await work(i) } catch (err) { failed ??= err }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane))
  if (failed !== undefined) throw failed
}
