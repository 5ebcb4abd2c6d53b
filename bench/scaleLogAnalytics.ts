import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { DefaultAzureCredential } from '@azure/identity';
import { createLogsQueryClient } from '../shared/logAnalytics/createLogsQueryClient';
import { queryAuditRows, type ScanRowBatch } from '../shared/logAnalytics/queryAuditRows';
import { scanRowsToSourceItems } from '../shared/logAnalytics/scanRowsToSourceItems';
import { mergeAuditRecords } from '../shared/merge/mergeAuditRecords';
import type { RowSource, StoredRow } from '../test/support/evaluateKql';
import { startFakeLogAnalytics } from '../test/support/fakeLogAnalytics';
import { startFakeManagedIdentity } from '../test/support/fakeManagedIdentity';

export interface ScaleBenchResult {
  /** Rows the scan read (AUDIT + connection lines). */
  rows: number;
  events: number;
  seconds: number;
  rowsPerSecond: number;
  /** Peak RSS of the scanning process (the stand-in runs in a child process and is not counted). */
  peakRssMb: number;
  /**
   * CPU the scanning process used (user + system). Rows/s is bounded by the stand-in, which evaluates
   * and serialises every row in JavaScript; this is the client's own cost.
   */
  clientCpuSeconds: number;
  /** Queries sent and how each was answered, e.g. `row-limit`, `ok`. */
  queries: string[];
}

interface FakeReady {
  endpoint: string;
  ca: string;
  workspaceId: string;
  identityEndpoint: string;
  identityHeader: string;
}

const BASE = Date.parse('2026-11-22T00:00:00.000Z');
const SESSIONS = 200;
const STEP_MS = 1;

/**
 * A window holding `auditRows` pgAudit rows (1,000,000 by default) served by the Log Analytics stand-in
 * with the service's 500,000-row limit, read through queryAuditRows (which must split it) into
 * mergeAuditRecords, as the scan does. Reports rows/s and the scanning process's peak RSS, which shows
 * that sub-windows stream instead of piling up. Runs compiled (`npm run build`): the stand-in is forked.
 */
export async function runScaleBench(options: { auditRows?: number; maxRows?: number } = {}): Promise<ScaleBenchResult> {
  const auditRows = options.auditRows ?? 1_000_000;
  const maxRows = options.maxRows ?? 500_000;
  if (__filename.endsWith('.ts')) throw new Error('runScaleBench forks its stand-in: run it compiled (npm run build, then dist/bench/scaleLogAnalytics.js)');
  const child = fork(__filename, ['--serve-stand-in', String(auditRows), String(maxRows)], { stdio: 'inherit' });
  try {
    const [ready] = (await once(child, 'message')) as [FakeReady];
    process.env.IDENTITY_ENDPOINT = ready.identityEndpoint;
    process.env.IDENTITY_HEADER = ready.identityHeader;
    const client = createLogsQueryClient({ logsEndpoint: ready.endpoint }, new DefaultAzureCredential(), { tlsOptions: { ca: ready.ca } });
    const deps = {
      client, workspaceId: ready.workspaceId, table: 'PGSQLServerLogs' as const, servers: [],
      log: { info: () => {}, warn: (m: string) => console.warn(m), error: (m: string) => console.error(m) },
      limits: { maxRows },
    };
    const total = SESSIONS * 2 + auditRows;
    const window = {
      ingestedAfter: new Date(BASE - 1),
      ingestedBefore: new Date(BASE + total * STEP_MS),
      timespanStart: new Date(BASE - 2 * 86_400_000),
    };
    let rows = 0;
    async function* counted(batches: AsyncIterable<ScanRowBatch>): AsyncGenerator<ScanRowBatch> {
      for await (const batch of batches) {
        rows += batch.rows.length;
        yield batch;
      }
    }
    const started = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    const merged = mergeAuditRecords(scanRowsToSourceItems(counted(queryAuditRows(deps, window)), ready.workspaceId));
    let events = 0;
    for await (const batch of merged.batches) events += batch.length;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    child.send('report');
    const [queries] = (await once(child, 'message')) as [string[]];
    return {
      rows, events, seconds, rowsPerSecond: Math.round(rows / seconds), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      clientCpuSeconds: (cpu.user + cpu.system) / 1e6, queries,
    };
  } finally {
    stop(child);
  }
}

function stop(child: ChildProcess): void {
  if (child.exitCode === null) child.kill();
}

/** Row `i` of the generated window: session openings first, then AUDIT lines round-robin over sessions. */
function generatedRow(i: number): StoredRow {
  const ingestedAt = BASE + i * STEP_MS;
  const time = new Date(ingestedAt - 3 * 60_000);
  const session = i < SESSIONS * 2 ? i >> 1 : (i - SESSIONS * 2) % SESSIONS;
  const pid = 1000 + session;
  const sid = `${(Math.floor(BASE / 1000) - 600 + session).toString(16)}.${pid.toString(16)}`;
  const prefix = `${time.toISOString().replace('T', ' ').slice(0, 19)} UTC-${sid}-LOG:  `;
  let text: string;
  if (i < SESSIONS * 2) {
    text = i % 2 === 0 ? `connection received: host=10.0.${session % 250}.4 port=${40000 + session}` : `connection authorized: user=app_${session % 17} database=shop application_name=web`;
  } else {
    const statement = Math.floor((i - SESSIONS * 2) / SESSIONS) + 1;
    text = i % 3 === 0
      ? `AUDIT: SESSION,${statement},1,READ,SELECT,TABLE,sales.customers,"SELECT c.id, c.name FROM sales.customers c WHERE c.id = ${i}",<not logged>`
      : `AUDIT: SESSION,${statement},1,WRITE,INSERT,TABLE,sales.orders,"INSERT INTO sales.orders (customer_id, amount) VALUES (${i}, 10.5)",<not logged>`;
  }
  return {
    ingestedAt: new Date(ingestedAt),
    columns: { TimeGenerated: time, LogicalServerName: 'pg-bench-1', ProcessId: pid, Message: prefix + text, _ResourceId: '/subscriptions/s/resourcegroups/rg/providers/microsoft.dbforpostgresql/flexibleservers/pg-bench-1' },
  };
}

/** The child: identity endpoint + Log Analytics stand-in serving the generated rows. */
async function serveStandIn(auditRows: number, maxRows: number): Promise<void> {
  const total = SESSIONS * 2 + auditRows;
  const identity = await startFakeManagedIdentity();
  const la = await startFakeLogAnalytics({ identity, maxRows });
  const source: RowSource = {
    *scan(from, to) {
      const first = from === null ? 0 : Math.max(0, Math.ceil((from - BASE) / STEP_MS));
      const last = to === null ? total - 1 : Math.min(total - 1, Math.floor((to - BASE) / STEP_MS));
      for (let i = first; i <= last; i++) yield generatedRow(i);
    },
  };
  la.setRowSource('PGSQLServerLogs', source);
  process.on('message', (message) => {
    if (message === 'report') process.send!(la.queries.map((q) => `${q.outcome}:${q.rows}`));
  });
  process.on('disconnect', () => process.exit(0));
  process.send!({ endpoint: la.endpoint, ca: la.ca, workspaceId: la.workspaceId, identityEndpoint: identity.endpoint, identityHeader: identity.identityHeader } satisfies FakeReady);
}

if (require.main === module) {
  if (process.argv[2] === '--serve-stand-in') {
    void serveStandIn(Number(process.argv[3]), Number(process.argv[4]));
  } else {
    const env = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
    void runScaleBench({ auditRows: env('BENCH_LA_ROWS'), maxRows: env('BENCH_LA_MAX_ROWS') }).then((r) => {
      console.log(`Log Analytics scan: ${r.rows} rows (${r.events} events) in ${r.seconds.toFixed(1)} s = ${r.rowsPerSecond} rows/s, peak RSS ${r.peakRssMb} MB`);
      console.log(`  client CPU ${r.clientCpuSeconds.toFixed(1)} s (${Math.round(r.rows / r.clientCpuSeconds)} rows per CPU-second); the rest is the stand-in`);
      console.log(`  queries: ${r.queries.join(', ')}`);
    });
  }
}
