import type { StateStore } from '../dedupe/StateStore';
import type { RuleSet } from '../match/RuleSet';
import type { Destination } from '../model/Destination';
import type { Notifier } from '../notify/Notifier';
import type { Scrub } from '../redact/createScrubber';
import type { Settings } from '../settings/Settings';
import type { EventHubBatch } from '../source/eventHubs/EventHubBatch';
import { eventHubSource } from '../source/eventHubs/eventHubSource';
import type { LogSource } from '../source/LogSource';
import type { Logger } from '../util/Logger';
import { awaitInFlightSessions, type SessionWaitMemory } from './awaitInFlightSessions';
import { runPipeline } from './runPipeline';
import type { ScanReport } from './ScanReport';

/** What every batch of one instance shares: settings, the compiled rules, clients, the session-wait memory. */
export interface EventHubPipeline {
  settings: Settings;
  ruleSet: () => Promise<RuleSet>;
  store: StateStore;
  notifiersFor: (destinations: readonly Destination[]) => Notifier[];
  /** Log Analytics' session lookup where a workspace is set. */
  lookupSessions?: LogSource['lookupSessions'];
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  sessionWaits: SessionWaitMemory;
  scrub?: Scrub;
}

/**
 * One Event Hubs batch through the one pipeline (scan/runPipeline), as an eventHubSource. Resolves when
 * every alert is sent or recorded in the ledger, which is when the host may checkpoint; throws otherwise
 * (the source keeps no state, so the pipeline throws instead of recording a failure), and the host delivers
 * the batch again: the ledger keeps a redelivered batch from sending anything twice.
 *
 * Split statements: the lines of one statement that arrive in different batches are merged within each
 * batch only, never held back across batches (a held line would wait for a batch that may never come, and
 * the host checkpoints what it handed us). Each part is matched on its own: every rule field is tested on
 * one line or on what all lines share (user, database, statement text), so the part that arrived raises
 * what its lines justify, and the rest raises its own alerts when it arrives. Both parts carry the
 * statement's ids, so a rule firing on both makes one key and one alert. An exception that only a later
 * part's line would satisfy cannot suppress an earlier part: split statements alert more, never less.
 */
export async function runEventHubBatch(batch: EventHubBatch, p: EventHubPipeline, log: Logger): Promise<ScanReport & { malformedEvents: number }> {
  const source = eventHubSource(batch, { servers: p.settings.pgServers, ...(p.lookupSessions ? { lookupSessions: p.lookupSessions } : {}) });
  const report = await runPipeline({
    settings: p.settings,
    loadRules: p.ruleSet,
    source,
    store: p.store,
    notifiersFor: p.notifiersFor,
    now: p.now,
    log,
    ...(p.scrub ? { scrub: p.scrub } : {}),
    awaitSessions: (events) => awaitInFlightSessions(events, { store: p.store, now: p.now, sleep: p.sleep, maxWaitMs: p.settings.eventHubSessionWaitMs, memory: p.sessionWaits }),
  });
  return { ...report, malformedEvents: source.malformedEvents };
}
