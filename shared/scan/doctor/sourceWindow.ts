import { UserError } from '../../errors/UserError';
import { mergeAuditRecords, type AuditEventStream } from '../../merge/mergeAuditRecords';
import type { SessionInfo } from '../../merge/SessionTracker';
import { createAzureCredentials } from '../../settings/createAzureCredentials';
import type { Settings } from '../../settings/Settings';
import type { LogSource } from '../../source/LogSource';
import type { Logger } from '../../util/Logger';
import { NOT_YET_AVAILABLE, POLLED_SOURCES, type PolledSource } from '../polledSources';

/**
 * The settings a polled source reads `since` back from now with, instead of what is new since its last
 * scan: Log Analytics' and OpenSearch's first-run lookback with no settle delay or lateness widening, the
 * archive's hour folders from now − since.
 */
export function windowSettings(settings: Settings, sinceMs: number): Settings {
  return { ...settings, initialLookbackMs: sinceMs, settleDelayMs: 0, maxLatenessMs: 0, archiveMaxLatenessMs: sinceMs, openSearchMaxLatenessMs: 0 };
}

/** The polled sources doctor reads: the one named, else every configured one (as scan does), created stateless. */
export function doctorSources(settings: Settings, asked: string | undefined, sinceMs: number, log: Logger): LogSource[] {
  const table: Record<string, PolledSource> = POLLED_SOURCES;
  let names: string[];
  if (asked !== undefined) {
    const entry = table[asked];
    if (entry === undefined) {
      const planned = Object.values(NOT_YET_AVAILABLE).includes(asked) ? ' is not available in this version yet' : ' is not a polled source';
      throw new UserError(`--source ${JSON.stringify(asked)}${planned}; use one of ${Object.keys(table).join(', ')} (or --input FILE)`);
    }
    if (!entry.configured(settings)) throw new UserError(`--source ${asked} needs the setting ${entry.needs}`, { code: 'MISSING_SETTINGS' });
    names = [asked];
  } else {
    names = Object.keys(table).filter((name) => table[name]!.configured(settings));
    if (names.length === 0) {
      const needs = Object.entries(table).map(([name, s]) => `${name}: ${s.needs}`).join('; ');
      throw new UserError(`no polled source is configured (${needs}); to check a file instead, use --input FILE`, { code: 'MISSING_SETTINGS' });
    }
  }
  const windowed = windowSettings(settings, sinceMs);
  const credentials = createAzureCredentials(settings);
  return names.map((name) => table[name]!.create({ settings: windowed, credential: credentials.app, storageCredential: credentials.storage, log, stateless: true }));
}

/**
 * One read of a source from no stored position, merged into events as the scan merges them; nothing is
 * committed. `onSessionContext` sees every connection line.
 */
export async function readSourceWindow(
  source: LogSource,
  context: { now: Date; log: Logger; prefix: string; logTimezone: string | null },
  onSessionContext: (server: string | null, session: SessionInfo) => void,
): Promise<{ stream: AuditEventStream; window: { from: string; to: string } | null }> {
  const read = await source.read({ now: context.now, committed: null, log: context.log });
  async function* items() {
    for await (const batch of read.batches) yield batch.items;
  }
  const stream = mergeAuditRecords(items(), { prefix: context.prefix, logTimezone: context.logTimezone, ordered: read.ordered, onSessionContext });
  return { stream, window: read.window };
}
