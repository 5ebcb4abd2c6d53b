import type { FailureKind } from './retryPolicy';

/** 5xx, 408 and 429 may pass on a retry; any other 4xx will not. */
export function httpStatusKind(status: number, retryAfterMs?: number): FailureKind {
  if (status === 429) return { permanent: false, code: 'http_429', ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  if (status >= 500 || status === 408 || status === 0) return { permanent: false, code: `http_${status}` };
  return { permanent: true, code: `http_${status}` };
}
