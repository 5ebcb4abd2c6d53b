import type { LogsQueryClient } from '@azure/monitor-query-logs';
import type { Logger } from '../util/Logger';
import type { LogsTableSetting } from './scanSources';

/** What the query functions need: the SDK client (or anything with its queryWorkspace), and where to log. */
export interface LogsQueryDeps {
  client: Pick<LogsQueryClient, 'queryWorkspace'>;
  workspaceId: string;
  table: LogsTableSetting;
  /** Lower-case names (PG_SERVERS); empty = all. */
  servers: string[];
  log: Logger;
  /** Injected for tests; default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  limits?: Partial<QueryLimits>;
}

export interface QueryLimits {
  /** The service's row limit: a result this long is treated as truncated and its window split. */
  maxRows: number;
  /** A window that still fails at this length is not split further: the query fails. */
  minWindowMs: number;
  /** Tries per query for 429/5xx/no answer, the first included. */
  maxAttempts: number;
  /** First backoff; doubled per retry. */
  backoffMs: number;
  /** Retry-After (and backoff) waits are capped: a timer run must finish. */
  maxWaitMs: number;
  /** `Prefer: wait=N`; the client gives up 30 s after it. */
  serverTimeoutSeconds: number;
  /** Rows per yielded batch. */
  batchRows: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxRows: 500_000,
  minWindowMs: 1_000,
  maxAttempts: 4,
  backoffMs: 2_000,
  maxWaitMs: 60_000,
  serverTimeoutSeconds: 180,
  batchRows: 5_000,
};

export function limitsOf(deps: LogsQueryDeps): QueryLimits {
  return { ...DEFAULT_QUERY_LIMITS, ...deps.limits };
}
