import { afterAll, beforeAll } from 'vitest';
import { logAnalyticsSource } from '../../../shared/source/logAnalytics/logAnalyticsSource';
import { diagnosticsRowOf } from '../../support/contractRecords';
import { startHarness, type Harness } from '../../support/logAnalyticsHarness';
import { logSourceContract } from '../../support/logSourceContract';

/**
 * The Log Analytics source through the real LogsQueryClient and DefaultAzureCredential against the local
 * workspace stand-in. Each harness reads its own stretch of arrival time (a day apart), so the rows of
 * one test are outside every other test's window.
 */
let harness: Harness;
beforeAll(async () => { harness = await startHarness({ table: 'AzureDiagnostics' }); });
afterAll(async () => harness?.close());

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
let stretches = 0;
// The demo day's records were logged 2026-11-23; they arrive in the workspace a day or more later (late rows).
const FIRST_ARRIVAL = Date.parse('2026-11-24T06:00:00.000Z');

logSourceContract('log-analytics', () => {
  let clock = FIRST_ARRIVAL + ++stretches * DAY;
  return {
    kind: 'stateful',
    rereadsCommitted: true,
    add: async (records) => {
      harness.la.addRows('AzureDiagnostics', records.map((r) => ({ ...diagnosticsRowOf(r), ingestedAt: new Date(clock) })));
    },
    source: () => logAnalyticsSource(harness.deps, { settleDelayMs: 2 * MINUTE, initialLookbackMs: 60 * MINUTE, maxLatenessMs: 30 * DAY }),
    nextRunTime: () => new Date((clock += 5 * MINUTE)),
  };
});
