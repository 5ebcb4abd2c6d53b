import { exponentialBackoffMs, retryLoop } from '../util/retryLoop';
import { sleep as realSleep, type Sleep } from '../util/sleep';

/**
 * The one retry policy every transport uses (the SDKs' own retries are switched off so they cannot
 * stack on top of it). A timer run must finish, so retries are bounded in count and in total wait:
 * what does not get through is reported as retryable and the next run tries again.
 */
export interface RetryPolicy {
  /** Attempts per message, the first one included. */
  maxAttempts: number;
  /** Back-off after the first failure; doubles each time (with jitter), up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the run moves on and a later run retries. */
  maxRetryAfterMs: number;
  /** Total waiting per message. */
  budgetMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 8000, maxRetryAfterMs: 20_000, budgetMs: 20_000 };

/** How a transport reads one failure. `code` names it for logs (Slack error, HTTP status, ...). */
export type FailureKind = { permanent: true; code: string } | { permanent: false; code: string; retryAfterMs?: number };

/** Why a send finally failed: the last failure's classification, and how many attempts were made. */
export class SendFailure extends Error {
  override readonly name = 'SendFailure';
  constructor(
    readonly kind: FailureKind,
    readonly attempts: number,
    options: { cause: unknown },
  ) {
    super(`${kind.permanent ? 'permanent failure' : `gave up after ${attempts} attempt(s)`}: ${kind.code}`, options);
  }
}

/**
 * Runs `op` until it succeeds, fails permanently, or the policy's attempts or wait budget run out.
 * 429 waits the server's Retry-After (when within maxRetryAfterMs); other retryable failures back off.
 */
export async function withRetry<T>(
  op: () => Promise<T>,
  classify: (err: unknown) => FailureKind,
  options: { policy?: RetryPolicy; sleep?: Sleep; random?: () => number; signal?: AbortSignal } = {},
): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  let waited = 0;
  const next = (err: unknown, attempt: number): number => {
    if (options.signal?.aborted) throw new SendFailure({ permanent: false, code: 'aborted' }, attempt, { cause: err });
    const kind = classify(err);
    if (kind.permanent || attempt >= policy.maxAttempts) throw new SendFailure(kind, attempt, { cause: err });
    const backoff = exponentialBackoffMs(policy.baseDelayMs, attempt, policy.maxDelayMs) * (0.5 + random() / 2);
    const delay = kind.retryAfterMs ?? backoff;
    if (delay > policy.maxRetryAfterMs || waited + delay > policy.budgetMs) throw new SendFailure(kind, attempt, { cause: err });
    waited += delay;
    return delay;
  };
  return retryLoop(op, next, (ms) => sleep(ms, options.signal));
}
