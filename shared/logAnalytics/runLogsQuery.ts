import type { LogsQueryResult } from '@azure/monitor-query-logs';
import { exponentialBackoffMs, retryLoop } from '../util/retryLoop';
import { sleep as realSleep } from '../util/sleep';
import { describeQueryFailure } from './describeQueryFailure';
import { LogAnalyticsQueryError, type WindowLabel } from './LogAnalyticsQueryError';
import { limitsOf, type LogsQueryDeps } from './LogsQueryDeps';

export interface TimeRange {
  startTime: Date;
  endTime: Date;
}

/** Thrown (inside LogAnalyticsQueryError's cause) when the service refused the query as such (4xx). */
export class QueryRefused extends Error {
  constructor(readonly status: number | null, readonly serviceText: string, message: string) {
    super(message);
  }
}

/**
 * One query with the retry policy: 429 waits Retry-After (capped), 5xx/408/no answer back off
 * exponentially, both at most `maxAttempts` tries. Anything else, or running out of tries, throws a
 * LogAnalyticsQueryError naming the workspace and window.
 */
export async function runLogsQuery(deps: LogsQueryDeps, query: string, timespan: TimeRange, window: WindowLabel | null): Promise<LogsQueryResult> {
  const limits = limitsOf(deps);
  const sleep = deps.sleep ?? realSleep;
  const send = () =>
    deps.client.queryWorkspace(deps.workspaceId, query, timespan, {
      serverTimeoutInSeconds: limits.serverTimeoutSeconds,
      // The SDK drops `abortSignal` from these options; `requestOptions.timeout` reaches the HTTP client.
      requestOptions: { timeout: (limits.serverTimeoutSeconds + 30) * 1000 },
    });
  const next = (err: unknown, attempt: number): number => {
    const failure = describeQueryFailure(err);
    // The cause is a plain summary: the SDK's error holds the request, whose headers hold the token.
    const cause = new QueryRefused(failure.status, failure.serviceText, failure.summary);
    if (!failure.retryable) {
      throw new LogAnalyticsQueryError(deps.workspaceId, window, `${failure.summary}${hint(failure.status, failure.serviceText)}`, { cause });
    }
    if (attempt >= limits.maxAttempts) {
      throw new LogAnalyticsQueryError(deps.workspaceId, window, `gave up after ${attempt} tries; last: ${failure.summary}`, { cause });
    }
    const wait = Math.min(limits.maxWaitMs, failure.status === 429 && failure.retryAfterMs !== null ? failure.retryAfterMs : exponentialBackoffMs(limits.backoffMs, attempt));
    deps.log.warn(`Log Analytics workspace ${deps.workspaceId}: ${failure.summary}; retrying in ${Math.round(wait / 1000)} s (try ${attempt + 1} of ${limits.maxAttempts})`);
    return wait;
  };
  return retryLoop(send, next, sleep);
}

/** What the user can do about a refusal that retrying cannot fix. */
function hint(status: number | null, serviceText: string): string {
  if (status === 401 || status === 403) {
    return ' (the identity needs the Log Analytics Reader role, or Microsoft.OperationalInsights/workspaces/query/read, on the workspace)';
  }
  if (status === 404) return ' (check LOGS_WORKSPACE_ID: the workspace id is its GUID, not its name)';
  if (status === 400 && /basic|auxiliary/i.test(serviceText)) {
    return ' (the table is on the Basic/Auxiliary plan, which does not accept this query: a scan needs the Analytics plan)';
  }
  return '';
}
