import type { InvocationContext } from '@azure/functions';
import { retryOutbox } from '../deliver/retryOutbox';
import { errorMessage } from '../errors/errorMessage';
import { createScrubber } from '../redact/createScrubber';
import { scrubbingLogger } from '../redact/scrubbingLogger';
import { secretsInEnv } from '../settings/secretSettings';
import { decodeEventHubBatch } from '../source/eventHubs/decodeEventHubBatch';
import { type EventHubBatch, eventHubBatch } from '../source/eventHubs/EventHubBatch';
import { appRoot } from './createTimerHandler';
import { type EventHubPipeline, type EventHubPipelineOptions, eventHubPipelineFromEnvironment } from './eventHubPipelineFromEnvironment';
import { runEventHubBatch } from './runEventHubBatch';
import { countDelivery, formatScanReport } from './ScanReport';

/** The outbox (alerts a destination could not take yet) is retried at most this often per instance. */
const OUTBOX_EVERY_MS = 60_000;

/**
 * The Event Hubs function's handler. The pipeline (settings, compiled rules, clients) is built on the
 * first batch and kept for the instance; a failure to build it is thrown and tried again on the next
 * delivery. Returning is what lets the host checkpoint the batch; a thrown error leaves the checkpoint
 * where it was, and the trigger's retry policy delivers the same batch again.
 */
export function createEventHubHandler(env: Record<string, string | undefined> = process.env, options: Partial<EventHubPipelineOptions> = {}) {
  let pipeline: Promise<EventHubPipeline> | null = null;
  let outboxDueAt = 0;
  const scrub = createScrubber(secretsInEnv(env));
  return async (messages: unknown, context: InvocationContext): Promise<void> => {
    const log = scrubbingLogger({ info: (m) => context.log(m), warn: (m) => context.warn(m), error: (m) => context.error(m) }, scrub);
    const batch = eventHubBatch(messages, context.triggerMetadata);
    try {
      pipeline ??= eventHubPipelineFromEnvironment(env, log, { cwd: appRoot(), ...options });
      const deps = await pipeline.catch((err: unknown) => {
        pipeline = null;
        throw err;
      });
      const decoded = decodeEventHubBatch(batch);
      const report = await runEventHubBatch(decoded.items, { ...deps, log });
      if (deps.now().getTime() >= outboxDueAt) {
        outboxDueAt = deps.now().getTime() + OUTBOX_EVERY_MS;
        countDelivery(report, await retryOutbox({ store: deps.store, notifiers: deps.notifiers, now: deps.now, log, leaseMs: deps.settings.deliveryLeaseMs }));
      }
      for (const warning of report.warnings) log.warn(warning);
      if (decoded.malformedEvents > 0) log.warn(`${decoded.malformedEvents} events were not diagnostic-setting payloads and were skipped (counted as malformed)`);
      log.info(`${describe(batch)}: ${formatScanReport(report).replace(/^scan: /, '')}`);
    } catch (err) {
      log.error(`${describe(batch)} failed; it will be delivered again: ${errorMessage(err)}`);
      throw new Error(log.scrub(`event hub batch failed: ${errorMessage(err)}`));
    }
  };
}

/** `event hub pgaudit partition 1, sequence 59..62 (4 events)`. */
function describe(batch: EventHubBatch): string {
  const sequences = batch.events.map((e) => e.sequenceNumber).filter((n): n is number => n !== null);
  const range = sequences.length > 0 ? `, sequence ${Math.min(...sequences)}..${Math.max(...sequences)}` : '';
  return `event hub ${batch.eventHubName ?? '?'} partition ${batch.partitionId ?? '?'}${range} (${batch.events.length} events)`;
}

