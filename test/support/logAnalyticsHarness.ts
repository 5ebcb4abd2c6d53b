import { DefaultAzureCredential } from '@azure/identity';
import { createLogsQueryClient } from '../../shared/logAnalytics/createLogsQueryClient';
import type { LogsQueryDeps } from '../../shared/logAnalytics/LogsQueryDeps';
import { queryAuditRows } from '../../shared/logAnalytics/queryAuditRows';
import type { ScanWindow } from '../../shared/source/ScanWindow';
import type { ScanRow } from '../../shared/logAnalytics/ScanRow';
import { startFakeLogAnalytics, type FakeLogAnalytics, type FakeLogAnalyticsOptions } from './fakeLogAnalytics';
import { startFakeManagedIdentity, type FakeManagedIdentity } from './fakeManagedIdentity';

export interface Harness {
  identity: FakeManagedIdentity;
  la: FakeLogAnalytics;
  deps: LogsQueryDeps;
  /** Every wait the retry policy asked for (tests do not really wait). */
  sleeps: number[];
  logs: string[];
  read(window: ScanWindow): Promise<ScanRow[]>;
  close(): Promise<void>;
}

/**
 * The real LogsQueryClient and the real DefaultAzureCredential (through IDENTITY_ENDPOINT, as on Azure
 * Functions) against the local identity endpoint and Log Analytics stand-in.
 */
// One identity endpoint per test process: MSAL caches managed-identity tokens process-wide, so a token
// from an earlier endpoint would be presented to a later stand-in that never issued it.
let sharedIdentity: Promise<FakeManagedIdentity> | null = null;

export async function startHarness(options: Omit<FakeLogAnalyticsOptions, 'identity'> & { table?: LogsQueryDeps['table']; servers?: string[]; limits?: LogsQueryDeps['limits'] } = {}): Promise<Harness> {
  sharedIdentity ??= startFakeManagedIdentity({ unref: true });
  const identity = await sharedIdentity;
  const restoreEnv = identity.useInEnvironment();
  const la = await startFakeLogAnalytics({ ...options, identity });
  const sleeps: number[] = [];
  const logs: string[] = [];
  const client = createLogsQueryClient({ logsEndpoint: la.endpoint }, new DefaultAzureCredential(), { tlsOptions: { ca: la.ca } });
  const deps: LogsQueryDeps = {
    client,
    workspaceId: la.workspaceId,
    table: options.table ?? 'auto',
    servers: options.servers ?? [],
    log: { info: (m) => logs.push(`info: ${m}`), warn: (m) => logs.push(`warn: ${m}`), error: (m) => logs.push(`error: ${m}`) },
    sleep: async (ms) => void sleeps.push(ms),
    limits: options.limits,
  };
  return {
    identity, la, deps, sleeps, logs,
    async read(window) {
      const rows: ScanRow[] = [];
      for await (const batch of queryAuditRows(deps, window)) rows.push(...batch.rows);
      return rows;
    },
    async close() {
      restoreEnv();
      await la.close();
    },
  };
}

export const T0 = Date.parse('2026-11-22T12:00:00.000Z');

/** `2026-11-22 12:07:03 UTC-6b02dae7.3421-LOG:  AUDIT: ...` for a time offset (ms from T0). */
export function logLine(offsetMs: number, text: string, sessionId = '6b02dae7.3421'): string {
  const ts = new Date(T0 + offsetMs).toISOString().replace('T', ' ').slice(0, 19);
  return `${ts} UTC-${sessionId}-LOG:  ${text}`;
}

export function pgsqlRow(offsetMs: number, text: string, opts: { ingestedAfterMs?: number; server?: string; sessionId?: string; pid?: number } = {}) {
  return {
    TimeGenerated: new Date(T0 + offsetMs),
    ingestedAt: new Date(T0 + offsetMs + (opts.ingestedAfterMs ?? 120_000)),
    LogicalServerName: opts.server ?? 'pg-prod-1',
    _ResourceId: `/subscriptions/s/resourcegroups/rg/providers/microsoft.dbforpostgresql/flexibleservers/${opts.server ?? 'pg-prod-1'}`,
    ProcessId: opts.pid ?? 0x3421,
    Message: logLine(offsetMs, text, opts.sessionId),
    ErrorLevel: 'LOG',
  };
}

export function diagnosticsRow(offsetMs: number, text: string, opts: { ingestedAfterMs?: number; server?: string; withLogicalName?: boolean; sessionId?: string; category?: string } = {}) {
  const server = opts.server ?? 'pg-prod-1';
  return {
    TimeGenerated: new Date(T0 + offsetMs),
    ingestedAt: new Date(T0 + offsetMs + (opts.ingestedAfterMs ?? 120_000)),
    ResourceId: `/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.DBFORPOSTGRESQL/FLEXIBLESERVERS/${server.toUpperCase()}`,
    _ResourceId: `/subscriptions/s/resourcegroups/rg/providers/microsoft.dbforpostgresql/flexibleservers/${server}`,
    Resource: server.toUpperCase(),
    LogicalServerName_s: opts.withLogicalName === false ? null : server,
    Category: opts.category ?? 'PostgreSQLLogs',
    OperationName: 'LogEvent',
    processId_d: 0x3421,
    errorLevel_s: 'LOG',
    Message: logLine(offsetMs, text, opts.sessionId),
  };
}
