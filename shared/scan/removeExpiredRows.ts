import type { StateStore } from '../dedupe/StateStore';
import type { Settings } from '../settings/Settings';
import type { Logger } from '../util/Logger';

/** Ledger rows and cached sessions are kept this long (Table Storage has no TTL). */
const RETENTION_MS = 30 * 24 * 3_600_000;

/** Removes the ledger and session rows older than the retention (and than twice the lateness a source allows). */
export async function removeExpiredRows(store: StateStore, startedAt: Date, settings: Pick<Settings, 'maxLatenessMs'>, log: Logger): Promise<void> {
  const removed = await store.cleanup(new Date(startedAt.getTime() - Math.max(RETENTION_MS, 2 * settings.maxLatenessMs)));
  if (removed > 0) log.info(`cleanup: removed ${removed} expired ledger and session rows`);
}
