import { afterAll, beforeAll } from 'vitest';
import { createOpenSearchApi } from '../../../shared/source/openSearch/createOpenSearchApi';
import { OpenSearchLogReader } from '../../../shared/source/openSearch/OpenSearchLogReader';
import { openSearchSource } from '../../../shared/source/openSearch/openSearchSource';
import type { ContractRecord } from '../../support/contractRecords';
import { type FakeOpenSearch, startFakeOpenSearch } from '../../support/fakeOpenSearch';
import { logSourceContract } from '../../support/logSourceContract';

/**
 * The OpenSearch source through the official client against the HTTPS stand-in: records are indexed as
 * Aiven documents (MESSAGE, HOSTNAME, timestamp) into daily indexes of their own prefix per harness.
 */
let os: FakeOpenSearch;
let harnesses = 0;
beforeAll(async () => {
  os = await startFakeOpenSearch();
});
afterAll(async () => {
  await os.close();
});

const HOUR = 3_600_000;
const silent = { info: () => {}, warn: () => {}, error: () => {} };

logSourceContract('opensearch', () => {
  const prefix = `contract${++harnesses}`;
  let latest = 0;
  return {
    kind: 'stateful',
    // Each run reads OPENSEARCH_MAX_LATENESS back from the last run's end.
    rereadsCommitted: true,
    add: async (records: ContractRecord[]) => {
      os.addDocuments(records.map((r) => ({ timestamp: r.time, MESSAGE: r.line, HOSTNAME: r.server })), prefix);
      for (const r of records) latest = Math.max(latest, Date.parse(r.time));
    },
    source: () => {
      const settings = {
        openSearchUrl: os.url, openSearchUsername: os.username, openSearchPassword: os.password, openSearchCaCert: os.ca,
        openSearchIndex: `${prefix}-*`, openSearchMessageField: null, openSearchTimeField: null, openSearchServerField: null,
        openSearchMaxLatenessMs: 30 * HOUR,
      };
      const reader = new OpenSearchLogReader({ api: createOpenSearchApi(settings), settings, limits: { pageSize: 50 }, sleep: async () => {} });
      return openSearchSource({ reader, url: os.url, index: settings.openSearchIndex, initialLookbackMs: HOUR, maxLatenessMs: 30 * HOUR, settleDelayMs: 2 * 60_000, servers: [], log: silent });
    },
    // A few minutes after the newest document; the lateness reaches back over the whole day.
    nextRunTime: () => new Date(latest + 5 * 60_000),
  };
});
