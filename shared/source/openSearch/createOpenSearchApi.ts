import { Client, errors } from '@opensearch-project/opensearch';
import { parseRetryAfter } from '../../util/parseRetryAfter';
import { type OpenSearchApi, OpenSearchRequestError, type SearchResponse } from './OpenSearchApi';
import type { OpenSearchSettings } from './OpenSearchSettings';

/** Requests that take longer than this fail (and are retried): a timer run must end. */
const REQUEST_TIMEOUT_MS = 60_000;

/**
 * The official client with basic auth and the service's CA. Its own retries are off: the source retries
 * 429/502/503/504 with its policy (searchWindow), honouring Retry-After. The password goes only into the
 * client's auth: no message built here contains it.
 */
export function createOpenSearchApi(settings: OpenSearchSettings & { openSearchUrl: string }): OpenSearchApi {
  const client = new Client({
    node: settings.openSearchUrl,
    ...(settings.openSearchUsername !== null
      ? { auth: { username: settings.openSearchUsername, password: settings.openSearchPassword ?? '' } }
      : {}),
    ...(settings.openSearchCaCert !== null ? { ssl: { ca: settings.openSearchCaCert } } : {}),
    maxRetries: 0,
    requestTimeout: REQUEST_TIMEOUT_MS,
  });
  const where = `OpenSearch ${settings.openSearchUrl}`;
  return {
    description: `${where} (index ${settings.openSearchIndex})`,
    async createPit(index, keepAlive) {
      const response = await call(`${where}: open a point in time on ${index}`, () => client.createPit({ index: [index], keep_alive: keepAlive }));
      return (response.body as { pit_id: string }).pit_id;
    },
    async search(body, index) {
      const what = index === undefined ? `${where}: search` : `${where}: search ${index}`;
      const response = await call(what, () => client.search({ ...(index !== undefined ? { index } : {}), body }));
      return response.body as unknown as SearchResponse;
    },
    async deletePit(pitId) {
      await call(`${where}: close a point in time`, () => client.deletePit({ body: { pit_id: [pitId] } }));
    },
  };
}

async function call<T>(what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw describe(what, err);
  }
}

/**
 * The client's error without its metadata (the request, the connection): defensive, since an error's cause
 * may be logged whole, and credentials there would be base64 in an `Authorization` header or in a node URL,
 * which no scrubber recognises. (3.9.0 redacts them itself; the reader test checks the whole error.)
 */
function withoutRequest(err: unknown): Error {
  const safe = new Error(err instanceof Error ? err.message : String(err));
  safe.name = err instanceof Error ? err.name : 'Error';
  return safe;
}

function describe(what: string, err: unknown): OpenSearchRequestError {
  if (err instanceof errors.ResponseError) {
    const body = err.body as { error?: { type?: string; reason?: string } | string } | undefined;
    const error = typeof body?.error === 'object' ? body.error : null;
    const type = error?.type ?? (typeof body?.error === 'string' ? body.error : null);
    const status = err.statusCode ?? null;
    const header = (err.headers as Record<string, unknown> | undefined)?.['retry-after'];
    const retryAfter = typeof header === 'string' ? (parseRetryAfter(header) ?? null) : null;
    const hint = status === 401 ? ' (check OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD)' : status === 403 ? ' (the user needs read on the index pattern OPENSEARCH_INDEX)' : '';
    return new OpenSearchRequestError(
      `${what} failed: HTTP ${status ?? '?'}${type ? ` ${type}` : ''}${error?.reason ? `: ${error.reason}` : ''}${hint}`,
      status,
      type,
      retryAfter,
      { cause: withoutRequest(err) },
    );
  }
  const name = err instanceof Error ? err.name : 'Error';
  const message = err instanceof Error ? err.message : String(err);
  const tls = /certificate|self.signed|CERT_|UNABLE_TO_VERIFY/i.test(message) ? ' (set OPENSEARCH_CA_CERT to the PEM of the service\'s CA)' : '';
  return new OpenSearchRequestError(`${what} failed: ${name}: ${message}${tls}`, null, null, null, { cause: withoutRequest(err) });
}
