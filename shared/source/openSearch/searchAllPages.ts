import { exponentialBackoffMs, retryLoop } from '../../util/retryLoop';
import { type OpenSearchApi, OpenSearchRequestError, type SearchHit, type SearchResponse } from './OpenSearchApi';

export interface PagingLimits {
  /** Documents per page. */
  pageSize: number;
  /** How long the service keeps the point in time between two pages. */
  keepAlive: string;
  /** Tries per request for 429/502/503/504 or no answer, the first included. */
  maxAttempts: number;
  backoffMs: number;
  /** Retry-After and backoff waits are capped: a timer run must finish. */
  maxWaitMs: number;
  /** Points in time reopened per search (expired, or an index deleted under it) before the run fails. */
  maxReopens: number;
}

export const DEFAULT_PAGING_LIMITS: PagingLimits = { pageSize: 1_000, keepAlive: '2m', maxAttempts: 5, backoffMs: 1_000, maxWaitMs: 30_000, maxReopens: 5 };

/** The largest page asked for when one millisecond holds more documents than a page. */
const MAX_PAGE = 10_000;

export interface PagingDeps {
  api: OpenSearchApi;
  limits: PagingLimits;
  sleep: (ms: number) => Promise<void>;
  /** Told what happened that the run summary should say (a point in time reopened, an index gone). */
  note: (message: string) => void;
}

/**
 * Every document of `query` on `index`, sorted by `timeField`, page by page through a point in time with
 * `search_after`, so documents indexed meanwhile neither shift pages nor are read twice. Pages continue
 * from the last time read minus 1 ms, and the documents of that millisecond already read are dropped by
 * their index and id: that needs no tie-breaker from the service, so it survives a new point in time.
 * A point in time that expired, or that lost an index (deleted by retention) mid-run, is reopened and the
 * same page asked again; documents of an index that is gone cannot be read and are reported. 429 and
 * 502/503/504 are retried (Retry-After honoured); any other failure ends the search with an error
 * naming the request.
 */
export async function* searchAllPages(deps: PagingDeps, index: string, query: unknown, timeField: string): AsyncGenerator<SearchHit[]> {
  const { api, limits } = deps;
  let pit = await retried(deps, () => api.createPit(index, limits.keepAlive));
  let reopens = 0;
  let boundary: number | null = null;
  let seenAtBoundary = new Set<string>();
  let size = limits.pageSize;
  try {
    for (;;) {
      const body: Record<string, unknown> = {
        size,
        query,
        sort: [{ [timeField]: { order: 'asc', unmapped_type: 'date' } }],
        pit: { id: pit, keep_alive: limits.keepAlive },
        track_total_hits: false,
        ...(boundary !== null ? { search_after: [boundary - 1] } : {}),
      };
      let response: SearchResponse | null;
      try {
        response = await retried(deps, () => api.search(body));
      } catch (err) {
        if (!(err instanceof OpenSearchRequestError) || !pitLost(err)) throw err;
        response = null;
      }
      const failures = response?._shards?.failed ?? 0;
      if (response === null || failures > 0) {
        // The page may be missing documents: ask for it again on a fresh point in time.
        if (++reopens > limits.maxReopens) throw new Error(`${api.description}: the point in time was lost ${reopens} times in one search; giving up (the window is read again next run)`);
        const gone = [...new Set((response?._shards?.failures ?? []).map((f) => f.index).filter((i): i is string => typeof i === 'string'))];
        deps.note(
          response === null
            ? `${api.description}: the point in time expired mid-search; reopened it and went on from the last document read`
            : `${api.description}: ${failures} shard(s) failed under the point in time${gone.length > 0 ? ` (index ${gone.join(', ')}, deleted by retention?)` : ''}; reopened it and went on from the last document read`,
        );
        await closePit(deps, pit);
        pit = await retried(deps, () => api.createPit(index, limits.keepAlive));
        continue;
      }
      if (response.pit_id) pit = response.pit_id;
      const hits = response.hits.hits;
      const fresh = boundary === null ? hits : hits.filter((h) => !(sortTime(h) === boundary && seenAtBoundary.has(key(h))));
      if (fresh.length > 0) yield fresh;
      if (hits.length < size) return;
      const last = sortTime(hits[hits.length - 1]!);
      if (last === null) throw new Error(`${api.description}: a document came back without a sort value for ${timeField}`);
      if (last !== boundary) {
        boundary = last;
        seenAtBoundary = new Set();
      }
      for (const h of hits) if (sortTime(h) === last) seenAtBoundary.add(key(h));
      // A whole page within one millisecond: ask for more at once, or the next page would repeat it.
      if (fresh.length === 0 || seenAtBoundary.size >= size) {
        if (size >= MAX_PAGE) throw new Error(`${api.description}: more than ${MAX_PAGE} documents share the time ${new Date(last).toISOString()}; cannot page through them`);
        size = Math.min(MAX_PAGE, size * 2);
      }
    }
  } finally {
    await closePit(deps, pit);
  }
}

/** A search that failed because its point in time is gone (expired, or its index deleted). */
function pitLost(err: OpenSearchRequestError): boolean {
  return err.status === 404 && (err.type === 'search_context_missing_exception' || err.type === 'index_not_found_exception' || err.type === null);
}

function retryable(err: unknown): boolean {
  if (!(err instanceof OpenSearchRequestError)) return false;
  return err.status === null || err.status === 429 || err.status === 502 || err.status === 503 || err.status === 504;
}

/** One request with the retry policy: 429/502/503/504 and no answer, Retry-After honoured, waits capped. */
export function retried<T>(deps: Pick<PagingDeps, 'limits' | 'sleep'>, op: () => Promise<T>): Promise<T> {
  const { limits } = deps;
  return retryLoop(
    op,
    (err, attempt) => {
      if (!retryable(err) || attempt >= limits.maxAttempts) throw err;
      const after = (err as OpenSearchRequestError).retryAfterMs;
      return Math.min(limits.maxWaitMs, after ?? exponentialBackoffMs(limits.backoffMs, attempt, limits.maxWaitMs));
    },
    deps.sleep,
  );
}

/** Best effort: an unclosed point in time expires by itself after keep_alive. */
async function closePit(deps: PagingDeps, pit: string): Promise<void> {
  try {
    await deps.api.deletePit(pit);
  } catch {
    // expired already, or the service is unreachable: it times out on its own
  }
}

function sortTime(hit: SearchHit): number | null {
  const value = hit.sort?.[0];
  return typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : null;
}

function key(hit: SearchHit): string {
  return `${hit._index}\u0000${hit._id}`;
}
