import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { evaluateKql, KqlRejected, type RowSource, type StoredRow } from './evaluateKql';
import type { WorkspaceSchemas } from './kustoLanguage';
import { TABLE_SCHEMAS } from './tableSchemas';
import type { FakeManagedIdentity } from './fakeManagedIdentity';
import { testCertificates } from './testCertificates';

/** A row to store: its table's columns (missing ones are null) and when it arrived. */
export interface FakeRowInput {
  TimeGenerated: Date | string;
  /** ingestion_time(); default: TimeGenerated. */
  ingestedAt?: Date | string;
  [column: string]: unknown;
}

/** A failure the next query request gets instead of its answer. */
export type FakeFault =
  | { status: 429; retryAfter?: string }
  | { status: 500 | 502 | 503 | 504 }
  /** 200 with half the rows and a non-fatal engine error (not the row limit, not a missing table). */
  | { partial: 'engine' };

export interface FakeQueryRecord {
  query: string;
  timespan: string | null;
  status: number;
  rows: number;
  /** What the answer was: rows, a partial error (`row-limit`, `size-limit`, `fuzzy-table`, `engine`), or an HTTP error. */
  outcome: 'ok' | 'row-limit' | 'size-limit' | 'fuzzy-table' | 'engine' | 'fault' | 'rejected' | 'unauthorized';
}

export interface FakeLogAnalyticsOptions {
  identity: FakeManagedIdentity;
  workspaceId?: string;
  /** Tables the workspace has (default both documented ones, with their documented columns). */
  schemas?: WorkspaceSchemas;
  /** The service's 500,000-row result limit. */
  maxRows?: number;
  /** The service's ~64 MB result limit, counted here as bytes of the rows' JSON. */
  maxBytes?: number;
}

export interface FakeLogAnalytics {
  /** For LogsQueryClient / LOGS_ENDPOINT: `https://127.0.0.1:PORT/v1`. */
  endpoint: string;
  workspaceId: string;
  /** The CA that signed the server's certificate: `tlsOptions: { ca }`. */
  ca: string;
  addRows(table: string, rows: FakeRowInput[]): void;
  /** Rows made on demand (a million-row benchmark without holding a million rows); replaces addRows' rows. */
  setRowSource(table: string, source: RowSource): void;
  /** Faults served, in order, to the next query requests. */
  faults: FakeFault[];
  /** Served to every query request while set (a persistent outage). */
  persistentFault: FakeFault | null;
  queries: FakeQueryRecord[];
  maxRows: number;
  maxBytes: number;
  close(): Promise<void>;
}

const RESOURCE = 'https://api.loganalytics.io';

/**
 * A local Log Analytics query API (`POST /v1/workspaces/{id}/query`, body `{query, timespan}`) that
 * really evaluates the queries we send (see evaluateKql) over rows tests add — late, out of order, in
 * one table or the other — with the service's limits, partial results and faults. It accepts only
 * bearer tokens the fake managed identity issued for the Log Analytics resource.
 */
export async function startFakeLogAnalytics(options: FakeLogAnalyticsOptions): Promise<FakeLogAnalytics> {
  const { cert, key, ca } = testCertificates();
  const schemas: WorkspaceSchemas = options.schemas ?? TABLE_SCHEMAS;
  const stored = new Map<string, SortedRows>();
  const sources = new Map<string, RowSource>();
  const state: FakeLogAnalytics = {
    endpoint: '',
    workspaceId: options.workspaceId ?? randomUUID(),
    ca,
    faults: [],
    persistentFault: null,
    queries: [],
    maxRows: options.maxRows ?? 500_000,
    maxBytes: options.maxBytes ?? 64_000_000,
    addRows(table, input) {
      const schema = schemas[table];
      if (!schema) throw new Error(`the fake workspace has no table ${table}`);
      let rows = stored.get(table);
      if (!rows) {
        rows = new SortedRows();
        stored.set(table, rows);
        sources.set(table, rows);
      }
      for (const r of input) {
        const columns: Record<string, unknown> = {};
        for (const c of Object.keys(schema)) if (r[c] !== undefined) columns[c] = r[c];
        columns.TimeGenerated = new Date(r.TimeGenerated);
        if ('Type' in schema) columns.Type = table;
        rows.add({ ingestedAt: new Date(r.ingestedAt ?? r.TimeGenerated), columns });
      }
    },
    setRowSource(table, source) {
      if (!schemas[table]) throw new Error(`the fake workspace has no table ${table}`);
      sources.set(table, source);
    },
    close: async () => {},
  };

  const server = createServer({ cert, key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });

  function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(payload));
    };
    const match = /^\/v1\/workspaces\/([^/]+)\/query$/.exec(new URL(req.url ?? '/', 'https://x').pathname);
    if (req.method !== 'POST' || !match) return reply(404, { error: { code: 'PathNotFoundError', message: `${req.method} ${req.url} is not a query path` } });
    let parsed: { query?: unknown; timespan?: unknown };
    try {
      parsed = JSON.parse(body);
    } catch {
      return reply(400, badArgument('InvalidJson', 'The request body is not JSON'));
    }
    const record: FakeQueryRecord = {
      query: String(parsed.query ?? ''), timespan: typeof parsed.timespan === 'string' ? parsed.timespan : null,
      status: 200, rows: 0, outcome: 'ok',
    };
    state.queries.push(record);
    const fail = (status: number, outcome: FakeQueryRecord['outcome'], payload: unknown, headers?: Record<string, string>) => {
      record.status = status;
      record.outcome = outcome;
      reply(status, payload, headers);
    };

    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!auth) return fail(401, 'unauthorized', { error: { code: 'AuthenticationFailed', message: "Authentication failed. The 'Authorization' header is missing." } });
    if (!options.identity.isIssued(auth[1]!, RESOURCE)) return fail(403, 'unauthorized', { error: { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' } });
    if (decodeURIComponent(match[1]!) !== state.workspaceId) return fail(404, 'rejected', { error: { code: 'WorkspaceNotFoundError', message: `Workspace ${match[1]} could not be found` } });

    const fault = state.faults.shift() ?? state.persistentFault;
    if (fault && 'status' in fault) return fail(fault.status, 'fault', faultBody(fault.status), fault.status === 429 && fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {});

    let timespan: { start: Date; end: Date } | null = null;
    if (record.timespan !== null) {
      const [start, end] = record.timespan.split('/').map((t) => new Date(t));
      if (!start || !end || Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
        return fail(400, 'rejected', badArgument('InvalidTimespan', `timespan ${record.timespan} is not start/end`));
      }
      timespan = { start, end };
    }
    let result;
    try {
      result = evaluateKql({ query: record.query, schemas, rows: sources, timespan, rowLimit: state.maxRows });
    } catch (err) {
      if (!(err instanceof KqlRejected)) throw err;
      return fail(400, 'rejected', badArgument(err.innerCode, err.message));
    }
    // Rows are encoded one by one: the size limit is counted on them, and the body is their join.
    let kept = result.rows.map((r) => JSON.stringify(result.columns.map((c) => toJson(r[c.name]))));
    let partial: { outcome: FakeQueryRecord['outcome']; message: string } | null = null;
    if (kept.length > state.maxRows) {
      kept = kept.slice(0, state.maxRows);
      partial = { outcome: 'row-limit', message: `Query result set has exceeded the internal record count limit ${state.maxRows} (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits)` };
    }
    const fit = rowsWithin(kept, state.maxBytes);
    if (fit < kept.length) {
      kept = kept.slice(0, fit);
      partial = { outcome: 'size-limit', message: `Query result set has exceeded the internal data size limit ${state.maxBytes} (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits)` };
    }
    if (!partial && fault && 'partial' in fault) {
      kept = kept.slice(0, Math.floor(kept.length / 2));
      partial = { outcome: 'engine', message: 'Query execution has been cancelled due to a node failure (E_RUNAWAY_QUERY)' };
    }
    if (!partial && result.unresolvedFuzzyTables.length > 0) {
      partial = { outcome: 'fuzzy-table', message: `'union' operator: Failed to resolve table expression named '${result.unresolvedFuzzyTables[0]}'` };
    }
    record.rows = kept.length;
    record.outcome = partial?.outcome ?? 'ok';
    // The documented PartialError envelope; the engine's own message sits in the detail's innererror,
    // which @azure/monitor-query-logs does not pass on.
    const error = partial && {
      code: 'PartialError',
      message: 'There were some errors when processing your query.',
      details: [{
        code: 'EngineError',
        message: 'Something went wrong processing your query on the server.',
        innererror: { code: '-2133196797', message: partial.message, severity: 2, severityName: 'Error' },
      }],
    };
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(`{"tables":[{"name":"PrimaryResult","columns":${JSON.stringify(result.columns)},"rows":[${kept.join(',')}]}]` +
      `${error ? `,"error":${JSON.stringify(error)}` : ''}}`);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return state;
}

function badArgument(innerCode: string, message: string) {
  return { error: { message: 'The request had some invalid properties', code: 'BadArgumentError', innererror: { code: innerCode, message } } };
}

function faultBody(status: number) {
  if (status === 429) return { error: { code: 'ThrottledError', message: 'Your request was throttled: too many requests or too many concurrent queries.' } };
  if (status === 504) return { error: { code: 'GatewayTimeout', message: 'The query did not complete within the allowed time.' } };
  return { error: { code: 'InternalServerError', message: 'An internal error occurred.' } };
}

function toJson(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  return value ?? null;
}

/** How many leading encoded rows fit in `maxBytes`. */
function rowsWithin(rows: string[], maxBytes: number): number {
  let bytes = 0;
  for (let i = 0; i < rows.length; i++) {
    bytes += rows[i]!.length + 1;
    if (bytes > maxBytes) return i;
  }
  return rows.length;
}

/** Stored rows kept in arrival order, so a query's ingestion window is found by binary search. */
class SortedRows implements RowSource {
  private rows: StoredRow[] = [];
  private sorted = true;

  add(row: StoredRow): void {
    const last = this.rows[this.rows.length - 1];
    if (last && last.ingestedAt.getTime() > row.ingestedAt.getTime()) this.sorted = false;
    this.rows.push(row);
  }

  *scan(from: number | null, to: number | null): Iterable<StoredRow> {
    if (!this.sorted) {
      // Stable: rows that arrived together keep the order they were added in.
      this.rows.sort((a, b) => a.ingestedAt.getTime() - b.ingestedAt.getTime());
      this.sorted = true;
    }
    const rows = this.rows;
    let i = from === null ? 0 : lowerBound(rows, from);
    for (; i < rows.length; i++) {
      if (to !== null && rows[i]!.ingestedAt.getTime() > to) return;
      yield rows[i]!;
    }
  }
}

function lowerBound(rows: StoredRow[], ms: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid]!.ingestedAt.getTime() < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
