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

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Why a send finally failed: the last failure's classification, and how many attempts were made. */
export class DeliveryFailure extends Error {
  override readonly name = 'DeliveryFailure';
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
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (options.signal?.aborted) throw new DeliveryFailure({ permanent: false, code: 'aborted' }, attempt, { cause: err });
      const kind = classify(err);
      if (kind.permanent || attempt >= policy.maxAttempts) throw new DeliveryFailure(kind, attempt, { cause: err });
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + random() / 2);
      const delay = kind.retryAfterMs ?? backoff;
      if (delay > policy.maxRetryAfterMs || waited + delay > policy.budgetMs) throw new DeliveryFailure(kind, attempt, { cause: err });
      waited += delay;
      await sleep(delay, options.signal);
    }
  }
}

/** Retry-After in seconds (the form Slack and Azure use) or an HTTP date, as milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
