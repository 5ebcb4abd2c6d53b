import { parseRetryAfter } from '../util/parseRetryAfter';

export interface QueryFailure {
  /** HTTP status, or null when no answer came (connection refused/reset, DNS, timeout). */
  status: number | null;
  retryable: boolean;
  /** Retry-After in ms, when the service sent one. */
  retryAfterMs: number | null;
  /** One line: status, service code and message (never headers, never the token). */
  summary: string;
  /** The service's error codes and messages, innermost last (the SDK keeps them in `details`). */
  serviceText: string;
}

/** The SDK's RestError, recognised by shape (its package is not one of ours to import). */
interface RestErrorLike {
  name: 'RestError';
  statusCode?: number;
  code?: string;
  details?: unknown;
  response?: { headers: { get(name: string): string | undefined } };
}

function isRestError(err: unknown): err is RestErrorLike {
  return err instanceof Error && err.name === 'RestError';
}

const NETWORK_CODES = new Set(['REQUEST_SEND_ERROR', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET']);

/**
 * What a thrown query error means for the retry policy: 429 and 5xx (and 408, and no answer at all) are
 * worth retrying; any other 4xx is a problem with the request, the identity's role or the table plan,
 * which retrying cannot fix.
 */
export function describeQueryFailure(err: unknown, now: () => number = Date.now): QueryFailure {
  const rest = isRestError(err) ? err : null;
  const status = rest?.statusCode ?? null;
  const code = rest?.code ?? (err as { code?: unknown } | null)?.code;
  const name = (err as { name?: unknown } | null)?.name;
  const serviceText = collectServiceText(rest?.details);
  const message = err instanceof Error ? err.message : String(err);
  const retryable =
    status === 429 || status === 408 || (status !== null && status >= 500) ||
    (status === null && ((typeof code === 'string' && NETWORK_CODES.has(code)) || name === 'TimeoutError' || name === 'AbortError'));
  const detail = serviceText !== '' && serviceText.includes(message) ? serviceText : [message, serviceText].filter((s) => s !== '').join(': ');
  const codeText = typeof code === 'string' && !detail.startsWith(code) ? code : null;
  const summary = [status === null ? 'no answer' : `HTTP ${status}`, codeText, detail]
    .filter((s): s is string => s !== null && s !== '')
    .join(': ');
  return { status, retryable, retryAfterMs: parseRetryAfter(rest?.response?.headers.get('retry-after'), now()) ?? null, summary, serviceText };
}

/** `{error:{code,message,innererror:{...}}}` → "BadArgumentError: ... / SemanticError: ...". */
function collectServiceText(details: unknown): string {
  const parts: string[] = [];
  let node = (details as { error?: unknown } | undefined)?.error;
  for (let depth = 0; node && typeof node === 'object' && depth < 5; depth++) {
    const { code, message, innererror } = node as { code?: unknown; message?: unknown; innererror?: unknown };
    const text = [code, message].filter((s) => typeof s === 'string' && s !== '').join(': ');
    if (text) parts.push(text);
    node = innererror;
  }
  return parts.join(' / ');
}
