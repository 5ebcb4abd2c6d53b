import type { InvocationContext } from '@azure/functions';
import { errorMessage } from '../errors/errorMessage';
import { createScrubber } from '../redact/createScrubber';
import { scrubbingLogger } from '../redact/scrubbingLogger';
import { secretsInEnv } from '../settings/secretSettings';
import { type EventHubBatch, eventHubBatch } from '../source/eventHubs/EventHubBatch';
import { appRoot } from './createTimerHandler';
import { type EventHubPipelineOptions, eventHubPipelineFromEnvironment } from './eventHubPipelineFromEnvironment';
import { type EventHubPipeline, runEventHubBatch } from './runEventHubBatch';
import { formatScanReport } from './ScanReport';

/**
 * The Event Hubs function's handler: each batch through runEventHubBatch (the one pipeline). What every
 * batch shares is built on the first batch and kept for the instance; settings that fail validation are
 * thrown and read again on the next delivery. Returning lets the host checkpoint the batch; a thrown error
 * leaves the checkpoint where it was, and the trigger's retry policy delivers the same batch again.
 */
export function createEventHubHandler(env: Record<string, string | undefined> = process.env, options: Partial<Omit<EventHubPipelineOptions, 'scrub'>> = {}) {
  let pipeline: EventHubPipeline | null = null;
  const scrub = createScrubber(secretsInEnv(env));
  return async (messages: unknown, context: InvocationContext): Promise<void> => {
    // The invocation log leaves the process (Application Insights): every line is scrubbed of the app's secrets.
    const log = scrubbingLogger({ info: (m) => context.log(m), warn: (m) => context.warn(m), error: (m) => context.error(m) }, scrub);
    const batch = eventHubBatch(messages, context.triggerMetadata);
    try {
      pipeline ??= eventHubPipelineFromEnvironment(env, log, { cwd: appRoot(), scrub, ...options });
      const report = await runEventHubBatch(batch, pipeline, log);
      for (const warning of report.warnings) log.warn(warning);
      if (report.malformedEvents > 0) log.warn(`${report.malformedEvents} events were not diagnostic-setting payloads and were skipped (counted as malformed)`);
      log.info(`${describe(batch)}: ${formatScanReport(report)}`);
    } catch (err) {
      log.error(`${describe(batch)} failed; the host will deliver it again: ${errorMessage(err)}`);
      // The host logs a failed invocation's error too: it gets the scrubbed message, not the original (or its cause).
      throw new Error(log.scrub(`event hub batch failed: ${errorMessage(err)}`));
    }
  };
}

/** `event hub pgaudit-logs partition 1, sequence 59..62 (4 events)`. */
function describe(batch: EventHubBatch): string {
  const sequences = batch.events.map((e) => e.sequenceNumber).filter((n): n is number => n !== null);
  const range = sequences.length > 0 ? `, sequence ${Math.min(...sequences)}..${Math.max(...sequences)}` : '';
  return `event hub ${batch.eventHubName ?? '?'} partition ${batch.partitionId ?? '?'}${range} (${batch.events.length} events)`;
}
