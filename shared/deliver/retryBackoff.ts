import { exponentialBackoffMs } from '../util/retryLoop';

const FIRST_RETRY_MS = 60_000;
const MAX_RETRY_MS = 60 * 60_000;

/**
 * Delay before the outbox retries an alert that failed `attempts` times: 1, 2, 4 ... minutes, capped at
 * an hour. Retryable failures are retried for as long as they last; nothing is dropped.
 */
export function retryBackoffMs(attempts: number): number {
  return exponentialBackoffMs(FIRST_RETRY_MS, attempts, MAX_RETRY_MS);
}
