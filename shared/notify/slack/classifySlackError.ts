import { ErrorCode as WebApiErrorCode } from '@slack/web-api';
import { httpStatusKind } from '../httpStatusKind';
import type { FailureKind } from '../retryPolicy';

/** Slack answers these with ok:false when a retry may help; every other platform error is permanent. */
const TRANSIENT_PLATFORM_ERRORS = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/** Reads a @slack/web-api error: rate limit (Retry-After), platform error (`channel_not_found`...), HTTP status, network. */
export function classifySlackError(err: unknown): FailureKind {
  const e = err as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number };
  switch (e?.code) {
    case WebApiErrorCode.RateLimitedError:
      return { permanent: false, code: 'rate_limited', retryAfterMs: (e.retryAfter ?? 1) * 1000 };
    case WebApiErrorCode.PlatformError: {
      const code = String(e.data?.error ?? 'unknown_error');
      return TRANSIENT_PLATFORM_ERRORS.has(code) ? { permanent: false, code } : { permanent: true, code };
    }
    case WebApiErrorCode.HTTPError:
      return httpStatusKind(e.statusCode ?? 0);
    case WebApiErrorCode.RequestError:
      return { permanent: false, code: 'network_error' };
    default:
      return { permanent: false, code: 'unexpected_error' };
  }
}
