import { describe, expect, it } from 'vitest';
import { SendFailure, withRetry, type FailureKind } from '../../shared/notify/retryPolicy';
import { parseRetryAfter } from '../../shared/util/parseRetryAfter';

const policy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 8000, maxRetryAfterMs: 20_000, budgetMs: 20_000 };

/** An operation failing with the given kinds in turn, then succeeding. */
function flaky(kinds: FailureKind[]) {
  let calls = 0;
  return {
    op: async () => {
      const kind = kinds[calls++];
      if (kind) throw Object.assign(new Error('fail'), { kind });
      return 'done';
    },
    classify: (err: unknown) => (err as { kind: FailureKind }).kind,
    calls: () => calls,
  };
}

async function run(kinds: FailureKind[], overrides: Partial<typeof policy> = {}) {
  const f = flaky(kinds);
  const sleeps: number[] = [];
  const result = await withRetry(f.op, f.classify, { policy: { ...policy, ...overrides }, sleep: async (ms) => void sleeps.push(ms), random: () => 1 }).catch((e: unknown) => e);
  return { result, sleeps, calls: f.calls() };
}

describe('withRetry', () => {
  it('backs off exponentially on retryable failures, capped', async () => {
    const r = await run([{ permanent: false, code: 'http_500' }, { permanent: false, code: 'network_error' }, { permanent: false, code: 'http_503' }], { maxDelayMs: 3000 });
    expect(r.result).toBe('done');
    expect(r.sleeps).toEqual([1000, 2000, 3000]);
  });

  it('waits exactly the Retry-After of a 429', async () => {
    const r = await run([{ permanent: false, code: 'rate_limited', retryAfterMs: 7000 }]);
    expect(r.result).toBe('done');
    expect(r.sleeps).toEqual([7000]);
  });

  it('does not retry a permanent failure', async () => {
    const r = await run([{ permanent: true, code: 'channel_not_found' }]);
    expect(r.result).toBeInstanceOf(SendFailure);
    expect((r.result as SendFailure).kind).toEqual({ permanent: true, code: 'channel_not_found' });
    expect(r.calls).toBe(1);
    expect(r.sleeps).toEqual([]);
  });

  it('gives up after maxAttempts, as retryable', async () => {
    const r = await run(Array(10).fill({ permanent: false, code: 'http_500' }));
    expect((r.result as SendFailure).kind.permanent).toBe(false);
    expect((r.result as SendFailure).attempts).toBe(4);
    expect(r.calls).toBe(4);
  });

  it('does not wait for a Retry-After beyond the cap, nor beyond the run budget', async () => {
    const long = await run([{ permanent: false, code: 'rate_limited', retryAfterMs: 60_000 }]);
    expect(long.result).toBeInstanceOf(SendFailure);
    expect(long.sleeps).toEqual([]);
    const budget = await run(Array(3).fill({ permanent: false, code: 'rate_limited', retryAfterMs: 15_000 }));
    expect(budget.sleeps).toEqual([15_000]);
    expect(budget.calls).toBe(2);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    const f = flaky([{ permanent: false, code: 'http_500' }]);
    const err = await withRetry(f.op, f.classify, { policy, signal: controller.signal, sleep: async () => {} }).catch((e: unknown) => e);
    expect((err as SendFailure).kind.code).toBe('aborted');
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 12:00:10 GMT', Date.parse('2026-11-25T12:00:00Z'))).toBe(10_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
