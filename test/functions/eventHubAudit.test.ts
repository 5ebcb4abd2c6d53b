import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStateStore } from '../../shared/dedupe/createStateStore';
import { loadSettings } from '../../shared/settings/loadSettings';
import { eventHubTriggerOptions } from '../../shared/scan/eventHubTriggerOptions';
import { useAzuriteTable } from '../support/azurite';
import { type DiagnosticRecord, diagnosticRecords, eventBodies, eventHubTriggerMetadata } from '../support/eventHubBatches';
import { startFakeSlack, type FakeSlack } from '../support/fakeSlack';
import { installFunctionsWorker } from '../support/functionsWorker';
import { startHarness } from '../support/logAnalyticsHarness';
import { runCliCapture } from '../support/runCliCapture';
import { InvocationContext } from '@azure/functions';
import { readFileSync } from 'node:fs';
import { createEventHubHandler } from '../../shared/scan/createEventHubHandler';

/**
 * The Event Hubs function as the worker loads and runs it: registration through `@azure/functions-core`
 * (simulated), batches as the host hands them over (collectionBytes bodies of `{"records":[…]}`, the
 * host's trigger metadata), Table Storage on Azurite, Slack through its stand-in. The records are the
 * archive fixture's (real PG15 + pgaudit output) as the diagnostic setting streams them.
 */
const FIXTURE = 'test/fixtures/pg15/azure/azure-blob.PT1H.json';
const HUB = 'pgaudit-logs';
const azurite = useAzuriteTable();
const worker = installFunctionsWorker();
let slack: FakeSlack;
const savedEnv = { ...process.env };
const sequence = new Map<string, number>();

interface CliAlert { key: string; rule: string; event: { user: string | null; database: string | null; sessionId: string | null; server: string | null } }

beforeAll(async () => {
  slack = await startFakeSlack();
  Object.assign(process.env, {
    EVENTHUB_NAME: HUB,
    PGAUDIT_EVENTHUB__fullyQualifiedNamespace: 'pgaudit-test.servicebus.windows.net',
    EVENTHUB_SESSION_WAIT: 'PT2S',
    AzureWebJobsStorage: azurite().connectionString,
    SLACK_BOT_TOKEN: slack.token,
    SLACK_API_URL: slack.apiUrl,
    SLACK_CHANNEL: '#db-security',
  });
  delete process.env.LOGS_WORKSPACE_ID;
  await import('../../functions/eventHubAudit');
});

afterAll(async () => {
  worker.uninstall();
  process.env = savedEnv;
  await slack?.close();
});

/** Delivers one batch of a partition as the host does, continuing that partition's sequence numbers. */
async function deliver(partitionId: string, bodies: Buffer[], options: { enqueuedAt?: Date; firstSequence?: number } = {}): Promise<void> {
  const firstSequence = options.firstSequence ?? sequence.get(partitionId) ?? 0;
  sequence.set(partitionId, Math.max(sequence.get(partitionId) ?? 0, firstSequence + bodies.length));
  const metadata = eventHubTriggerMetadata({ eventHubName: HUB, partitionId, firstSequence, count: bodies.length, enqueuedAt: options.enqueuedAt ?? new Date() });
  await worker.invokeEventHub('eventHubAudit', bodies, metadata, `eh-${partitionId}-${firstSequence}`);
}

const postedKeys = (): string[] => slack.posts.flatMap((p) => p.metadata?.event_payload.alerts ?? []).map((a) => a.key);

/** The alerts `pgaudit-alerts scan --input` gives for the same records: what the trigger must send. */
async function fileScanAlerts(records: DiagnosticRecord[]): Promise<CliAlert[]> {
  const file = join(mkdtempSync(join(tmpdir(), 'pgaudit-eh-')), 'PT1H.json');
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const run = await runCliCapture(['scan', '--input', file, '--format', 'azure-blob', '--dry-run', '--json']);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as CliAlert);
}

async function usersInLedger(keys: string[]): Promise<Map<string, string | null>> {
  const store = createStateStore(loadSettings(process.env));
  const users = new Map<string, string | null>();
  for (const key of keys) {
    const entry = await store.getDelivery(key, 'default', 'slack');
    users.set(key, entry ? entry.alert.event.user : 'NOT IN LEDGER');
  }
  return users;
}

/** A record moved in time: its row time, its archive timestamp and the timestamp in its log line's prefix. */
function shifted(record: DiagnosticRecord, ms: number): DiagnosticRecord {
  const move = (iso: string) => new Date(Date.parse(iso) + ms).toISOString();
  const message = record.properties.message.replace(/^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC/, (_, t: string) => `${move(`${t.replace(' ', 'T')}Z`).slice(0, 19).replace('T', ' ')} UTC`);
  return { ...record, time: move(record.time), properties: { ...record.properties, message, timestamp: `${move(record.time).replace('T', ' ').replace('Z', '')} UTC` } };
}

describe('functions/eventHubAudit', () => {
  it('registers an Event Hubs trigger (cardinality many, binary bodies, connection PGAUDIT_EVENTHUB, retried without end) only when EVENTHUB_NAME is set', () => {
    expect(worker.registrations.map((r) => r.metadata.name)).toEqual(['eventHubAudit']);
    const [binding] = Object.values(worker.registrations[0]!.metadata.bindings);
    expect(binding).toEqual(expect.objectContaining({
      type: 'eventHubTrigger', direction: 'in', connection: 'PGAUDIT_EVENTHUB', eventHubName: '%EVENTHUB_NAME%',
      consumerGroup: '$Default', cardinality: 'many', dataType: 'binary',
    }));
    expect(worker.registrations[0]!.metadata.retryOptions).toEqual(expect.objectContaining({ retryStrategy: 'exponentialBackoff', maxRetryCount: -1 }));
    expect(eventHubTriggerOptions({})).toBeNull();
    expect(eventHubTriggerOptions({ EVENTHUB_NAME: 'x', EVENTHUB_CONSUMER_GROUP: 'pgaudit' })?.consumerGroup).toBe('pgaudit');
  });

  it('two servers over two partitions at once: every alert of a file scan of the same records, once, with the right user', async () => {
    const records = [...diagnosticRecords(FIXTURE), ...diagnosticRecords(FIXTURE, 'pg-fixture-2')];
    const expected = await fileScanAlerts(records);
    expect(expected.length).toBeGreaterThan(50);
    // Events of 9 records dealt round-robin to partitions 0 and 1 (so a session's lines and a statement's lines land on both);
    // each round delivers 5 events per partition, both partitions at once.
    const bodies = eventBodies(records, 9);
    const partitions: Buffer[][] = [[], []];
    bodies.forEach((b, i) => partitions[i % 2]!.push(b));
    for (let i = 0; i < partitions[0]!.length; i += 5) {
      await Promise.all(['0', '1'].map((p, n) => (partitions[n]!.length > i ? deliver(p, partitions[n]!.slice(i, i + 5)) : Promise.resolve())));
    }
    const keys = postedKeys();
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(expected.map((a) => a.key).sort());
    const users = await usersInLedger(keys);
    expect(Object.fromEntries(users)).toEqual(Object.fromEntries(expected.map((a) => [a.key, a.event.user])));
    expect(expected.filter((a) => a.event.user !== null).length).toBeGreaterThan(40);
  });

  it('a redelivered batch (the run died before the host checkpointed) sends nothing twice', async () => {
    const before = postedKeys();
    const bodies = eventBodies(diagnosticRecords(FIXTURE), 7).slice(0, 20);
    await deliver('0', bodies, { firstSequence: 0 });
    await deliver('0', bodies, { firstSequence: 0 });
    expect(postedKeys()).toEqual(before);
    const summaries = worker.logs.map((l) => l.message).filter((m) => m.startsWith(`event hub ${HUB} partition 0, sequence 0..19 (20 events):`));
    expect(summaries).toHaveLength(2);
    // The second delivery makes the same alerts, and the ledger skips every one of them: nothing delivered.
    expect(summaries[1]).toMatch(/ ([1-9]\d*) alerts, \1 duplicates skipped, 0 malformed rows$/);
    // The rules that cannot fire yet (the shipped empty sensitive_tables) are named once per instance, not per batch.
    const warnings = worker.logs.filter((l) => /rule "sensitive-table-read" .*cannot fire/.test(l.message));
    expect(warnings).toHaveLength(1);
  });

  it('a pooled session whose connection line came 26 hours earlier, in another batch: its alerts carry its user', async () => {
    const records = diagnosticRecords(FIXTURE, 'pg-fixture-3');
    const alerted = (await fileScanAlerts(records)).filter((a) => a.event.user !== null && a.event.sessionId !== null);
    const session = alerted[0]!.event.sessionId!;
    const ofSession = records.filter((r) => r.properties.message.includes(`-${session}-`));
    const connection = ofSession.filter((r) => /-LOG: {2}connection (received|authorized)/.test(r.properties.message));
    const statements = ofSession.filter((r) => !connection.includes(r)).map((r) => shifted(r, 26 * 3_600_000));
    expect(connection.length).toBeGreaterThan(0);
    await deliver('1', eventBodies(connection, 7), { enqueuedAt: new Date(Date.now() - 26 * 3_600_000) });
    const before = slack.posts.length;
    await deliver('0', eventBodies(statements, 7));
    const sent = slack.posts.slice(before).flatMap((p) => p.metadata?.event_payload.alerts ?? []).map((a) => a.key);
    const expected = alerted.filter((a) => a.event.sessionId === session);
    expect(sent.sort()).toEqual(expected.map((a) => a.key).sort());
    const users = await usersInLedger(sent);
    for (const a of expected) expect(users.get(a.key), a.key).toBe(a.event.user);
  });

  it('forged and look-alike records (the trust fixture: RAISE LOG, names that read as records) alert as in a file scan', async () => {
    const records = diagnosticRecords('test/fixtures/trust/azure/azure-blob.PT1H.json', 'pg-trust-eh');
    const expected = await fileScanAlerts(records);
    expect(expected.some((a) => a.rule === 'log-forgery')).toBe(true);
    const before = slack.posts.length;
    await deliver('0', eventBodies(records, 7));
    const sent = slack.posts.slice(before).flatMap((p) => p.metadata?.event_payload.alerts ?? []).map((a) => a.key);
    expect(sent.sort()).toEqual(expected.map((a) => a.key).sort());
  });

  it('malformed events and records are counted and the rest of the batch is read', async () => {
    const records = diagnosticRecords(FIXTURE, 'pg-fixture-4');
    const good = eventBodies(records, 50);
    const bad = [Buffer.from('not json {'), Buffer.from('{"foo":1}'), Buffer.from(JSON.stringify({ records: [{ time: '2026-11-25T12:00:00Z', category: 'PostgreSQLLogs', properties: {} }, 42] }))];
    const before = slack.posts.length;
    await deliver('1', [bad[0]!, ...good.slice(0, 2), bad[1]!, bad[2]!, ...good.slice(2)]);
    expect(slack.posts.length).toBeGreaterThan(before);
    const messages = worker.logs.map((l) => l.message);
    expect(messages.some((m) => /2 events were not diagnostic-setting payloads/.test(m))).toBe(true);
    expect(messages.find((m) => m.startsWith(`event hub ${HUB} partition 1`) && m.includes(`(${good.length + 3} events)`))).toMatch(/ 4 malformed rows/);
  });
});

describe('with a Log Analytics workspace (LOGS_WORKSPACE_ID)', () => {
  it("looks up a session's connection line there when neither the batches nor the session cache have it, as the timer's scan does", async () => {
    const harness = await startHarness({ table: 'auto' });
    try {
      const server = 'pg-fixture-5';
      const archive = diagnosticRecords(FIXTURE, server);
      const alerted = (await fileScanAlerts(archive)).filter((a) => a.event.user !== null && a.event.sessionId !== null);
      const session = alerted[alerted.length - 1]!.event.sessionId!;
      // The workspace has every row of the server (as AzureDiagnostics), the hub only the session's later statements.
      const rows = readFileSync('test/fixtures/pg15/azure/azure-diagnostics.ndjson', 'utf8').split('\n').filter(Boolean).map((l) => {
        const row = JSON.parse(l) as Record<string, unknown>;
        return { ...row, TimeGenerated: new Date(String(row.TimeGenerated)), LogicalServerName_s: server, Resource: server.toUpperCase(), ResourceId: String(row.ResourceId).replace(/[^/]+$/, server.toUpperCase()), ingestedAt: new Date(String(row.TimeGenerated)) };
      });
      harness.la.addRows('AzureDiagnostics', rows);
      const statements = archive.filter((r) => r.properties.message.includes(`-${session}-`) && !/-LOG: {2}connection /.test(r.properties.message)).map((r) => shifted(r, 26 * 3_600_000));
      const env = { ...process.env, LOGS_WORKSPACE_ID: harness.la.workspaceId, LOGS_ENDPOINT: harness.la.endpoint };
      const handler = createEventHubHandler(env);
      const logs: string[] = [];
      const context = new InvocationContext({
        logHandler: (_level, ...args) => logs.push(args.map(String).join(' ')),
        triggerMetadata: { partitionContext: { eventHubName: HUB, partitionId: '2' }, sequenceNumberArray: [0], enqueuedTimeUtcArray: [new Date().toISOString()] },
      });
      const before = slack.posts.length;
      await handler(eventBodies(statements, 1000), context);
      const sent = slack.posts.slice(before).flatMap((p) => p.metadata?.event_payload.alerts ?? []).map((a) => a.key);
      const expected = alerted.filter((a) => a.event.sessionId === session);
      expect(sent.sort()).toEqual(expected.map((a) => a.key).sort());
      const users = await usersInLedger(sent);
      for (const a of expected) expect(users.get(a.key), a.key).toBe(a.event.user);
      expect(harness.la.queries.some((q) => q.query.includes(session) && q.rows > 0)).toBe(true);
    } finally {
      await harness.close();
    }
  });
});
