import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../shared/dedupe/MemoryStateStore';
import type { StateStore } from '../../shared/dedupe/StateStore';
import type { Alert } from '../../shared/model/Alert';
import type { Notifier } from '../../shared/notify/Notifier';
import { loadRules } from '../../shared/rules/loadRules';
import { runPipeline } from '../../shared/scan/runPipeline';
import { loadSettings } from '../../shared/settings/loadSettings';
import { fileSource } from '../../shared/source/file/fileSource';
import type { LogSource } from '../../shared/source/LogSource';
import type { SourceItem } from '../../shared/source/SourceRecord';
import { archiveLine, DEMO_LISTS, poolSession, twoServerDay, type ContractRecord } from './contractRecords';

/**
 * What a test gives the contract for one source. `add` makes records available as the source's service
 * would (rows ingested, blob lines appended, documents indexed, events sent); `source` builds the source
 * as a new run would (same workspace, container, cursor table, ...).
 */
export interface LogSourceHarness {
  /**
   * `stateful`: the source keeps a position between runs (its cursors, or the committed position the
   * pipeline stores): a run reads what is new since the last commit. `stateless`: each `source()` reads what
   * was added since the previous `source()` (a file, one Event Hubs batch); nothing to commit.
   */
  kind: 'stateful' | 'stateless';
  /** A run after a commit reads some committed records again (Log Analytics re-reads a 10-minute overlap). */
  rereadsCommitted: boolean;
  add(records: ContractRecord[]): Promise<void>;
  source(): LogSource;
  /** The clock of the next run; called once per run, after the records it should see were added. */
  nextRunTime(): Date;
}

const silent = { info: () => {}, warn: () => {}, error: () => {} };
const RULES = 'config/rules.yaml';

/** `server line` of each record item; problems as `problem: …` (none expected). */
const seen = (items: SourceItem[]) => items.map((i) => ('record' in i ? `${i.record.server} ${i.record.line}` : `problem: ${i.problem.location}: ${i.problem.message}`));
const expected = (records: ContractRecord[]) => records.map((r) => `${r.server} ${r.line}`);
const sorted = (xs: string[]) => [...xs].sort();

/** One run of the source alone: read everything, commit the cursors (unless the run is "killed" first). */
async function readRun(h: LogSourceHarness, committed: string | null, commit: boolean): Promise<{ items: SourceItem[]; position: string | null }> {
  const source = h.source();
  const read = await source.read({ now: h.nextRunTime(), committed, log: silent });
  const items: SourceItem[] = [];
  const cursors: unknown[] = [];
  for await (const batch of read.batches) {
    items.push(...batch.items);
    if (batch.cursor !== undefined) cursors.push(batch.cursor);
  }
  if (commit) await source.commit(cursors);
  return { items, position: commit ? (read.position ?? committed) : committed };
}

export class RecordingNotifier implements Notifier {
  readonly kind = 'recording';
  readonly destination = 'default';
  readonly sent: Alert[] = [];
  async notify(alerts: Alert[]): Promise<void> {
    this.sent.push(...alerts);
  }
}

/** `key user database` of each alert, sorted: the right alerts, each about the right user. */
const alertFacts = (alerts: Alert[]) => sorted(alerts.map((a) => `${a.key} ${a.event.user} ${a.event.database}`));

/** What a file scan (one stream, no state) alerts on for these records: the reference every source must match. */
async function fileScanAlerts(records: ContractRecord[]): Promise<Alert[]> {
  const alerts: Alert[] = [];
  await runPipeline({
    settings: loadSettings({}),
    loadRules: () => loadRules(RULES, process.cwd(), { lists: DEMO_LISTS }),
    source: fileSource({ input: Readable.from([records.map(archiveLine).join('\n') + '\n']), name: 'day.json', format: 'auto', server: null }),
    store: new MemoryStateStore(),
    notifiersFor: () => [],
    now: () => new Date(),
    log: silent,
    dryRun: async (found) => void alerts.push(...found),
  });
  return alerts;
}

/**
 * The LogSource contract, registered once per source (hono-style shared suite). `setup` must return a
 * harness on an empty, independent place (fresh container, workspace stretch, index, file).
 */
export function logSourceContract(name: string, setup: () => Promise<LogSourceHarness> | LogSourceHarness): void {
  describe(`LogSource contract: ${name}`, () => {
    let day: ContractRecord[];
    let morning: ContractRecord[];
    let evening: ContractRecord[];
    let reference: Alert[];
    beforeAll(async () => {
      // The first alerting session of pg-demo-1 becomes a pooled connection: its connection line stays in the
      // day (the first run), its statements come three hours after the day's last record (the second run),
      // so the second run must know its user from what an earlier run read.
      const plain = twoServerDay();
      const end = plain.at(-1)!.time;
      const pooled = (await fileScanAlerts(plain)).filter((a) => a.event.server === 'pg-demo-1' && a.event.user !== null)
        .sort((a, b) => a.event.time!.localeCompare(b.event.time!))[0]!;
      day = poolSession(plain, 'pg-demo-1', pooled.event.sessionId!, 3 * 3_600_000);
      [morning, evening] = [day.filter((r) => r.time <= end), day.filter((r) => r.time > end)];
      expect(morning.some((r) => r.line.includes(`-${pooled.event.sessionId}-LOG:  connection authorized`))).toBe(true);
      expect(evening.some((r) => r.line.includes(`-${pooled.event.sessionId}-LOG:  AUDIT`))).toBe(true);
      reference = await fileScanAlerts(day);
      expect(reference.length).toBeGreaterThan(10);
    });

    it('delivers every record added, once, with its server and whole line', async () => {
      const h = await setup();
      await h.add(day);
      const run = await readRun(h, null, true);
      expect(sorted(seen(run.items))).toEqual(sorted(expected(day)));
    });

    it('has a name, a description and, when it keeps a position, a scope', async () => {
      const h = await setup();
      const source = h.source();
      expect(source.name).toMatch(/^[a-z][a-z-]*$/);
      expect(source.description).not.toBe('');
      if (h.kind === 'stateful') expect(source.scope).toEqual(expect.any(String));
      else expect(source.scope).toBeNull();
    });

    it('reads what was added after a commit in the next run, and committed records again only where it re-reads an overlap', async () => {
      const h = await setup();
      await h.add(morning);
      const first = await readRun(h, null, true);
      expect(sorted(seen(first.items))).toEqual(sorted(expected(morning)));
      await h.add(evening);
      const second = await readRun(h, first.position, true);
      const lines = seen(second.items);
      for (const line of expected(evening)) expect(lines).toContain(line);
      if (h.kind === 'stateless' || !h.rereadsCommitted) expect(sorted(lines)).toEqual(sorted(expected(evening)));
    });

    it('reads the same records again when a run dies before its commit (at-least-once)', async (context) => {
      const h = await setup();
      if (h.kind === 'stateless') return context.skip();
      await h.add(morning);
      const killed = await readRun(h, null, false);
      expect(sorted(seen(killed.items))).toEqual(sorted(expected(morning)));
      const again = await readRun(h, killed.position, true);
      expect(sorted(seen(again.items))).toEqual(sorted(expected(morning)));
    });

    it('through the pipeline, over two runs and a killed one, alerts exactly what a file scan of the same records does, each about the right user', async () => {
      const h = await setup();
      const store: StateStore = new MemoryStateStore();
      const notifier = new RecordingNotifier();
      const run = (source: LogSource, now: Date, crash = false) => runPipeline({
        settings: loadSettings({ SILENCE_ALERT_AFTER: 'P30D' }),
        loadRules: () => loadRules(RULES, process.cwd(), { lists: DEMO_LISTS }),
        source: crash ? { ...source, commit: async () => { throw new Error('process killed before its commit'); } } : source,
        store, notifiersFor: () => [notifier], now: () => now, log: silent,
      });
      await h.add(morning);
      const reports = [await run(h.source(), h.nextRunTime())];
      await h.add(evening);
      // Killed between delivery and commit: its records come again (stateful) and the ledger drops the repeats.
      if (h.kind === 'stateful') reports.push(await run(h.source(), h.nextRunTime(), true));
      reports.push(await run(h.source(), h.nextRunTime()));
      if (h.kind === 'stateful') expect(reports[1]!.error).toMatch(/process killed/);
      for (const r of [reports[0]!, reports.at(-1)!]) expect(r.error).toBeNull();
      expect(alertFacts(notifier.sent)).toEqual(alertFacts(reference));
    });
  });
}
