import { retryOutbox } from '../deliver/retryOutbox';
import { errorMessage } from '../errors/errorMessage';
import { signInFailure } from '../errors/signInFailure';
import { UserError } from '../errors/UserError';
import { redactSecrets } from '../redact/redactSecrets';
import { removeExpiredRows } from './removeExpiredRows';
import type { PipelineDeps } from './runPipeline';
import { countDelivery, emptyScanReport, type ScanReport } from './ScanReport';

export type HousekeepingDeps = Pick<PipelineDeps, 'settings' | 'store' | 'loadRules' | 'notifiersFor' | 'now' | 'log' | 'scrub'>;

/**
 * The timer's tick when there is nothing to poll (every log arrives through the Event Hubs trigger): the
 * parts of a polled run that do not need a source. The outbox is retried, because the trigger retries it
 * only when a batch arrives and a quiet hub would leave failed alerts waiting; expired ledger and session
 * rows are removed, because only a run with a watermark scope does that and the trigger has none. The
 * silence check is not done: it needs each server's last-seen time, which only a polled source's watermark
 * keeps. A failure (rules file, state store, sign-in) is the report's error, so the invocation fails.
 */
export async function runHousekeeping(deps: HousekeepingDeps): Promise<ScanReport> {
  const report = emptyScanReport('outbox');
  const startedAt = deps.now();
  try {
    const ruleSet = await deps.loadRules();
    const notifiers = deps.notifiersFor(ruleSet.destinations);
    countDelivery(report, await retryOutbox({ store: deps.store, notifiers, now: deps.now, log: deps.log, leaseMs: deps.settings.deliveryLeaseMs }));
    await removeExpiredRows(deps.store, startedAt, deps.settings, deps.log);
  } catch (err) {
    const signIn = signInFailure(err);
    report.error = signIn ?? (deps.scrub ?? redactSecrets)(errorMessage(err));
    report.errorKind = signIn !== null || err instanceof UserError ? 'user' : 'unexpected';
  }
  return report;
}
