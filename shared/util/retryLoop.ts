/**
 * The one retry loop. Runs `op` until it succeeds; after each failure `next(err, attempt)` (attempt 1 is
 * the first try) returns how long to wait before the next try, or throws to give up. Each caller keeps
 * its own policy in `next` (what is retryable, how long to wait, which error names the failure).
 */
export async function retryLoop<T>(
  op: () => Promise<T>,
  next: (err: unknown, attempt: number) => number,
  sleep: (ms: number) => Promise<void>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      await sleep(next(err, attempt));
    }
  }
}

/** `firstMs`, doubled per further attempt, capped at `maxMs`. */
export function exponentialBackoffMs(firstMs: number, attempt: number, maxMs: number = Infinity): number {
  return Math.min(maxMs, firstMs * 2 ** Math.max(0, attempt - 1));
}
