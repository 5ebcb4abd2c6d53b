import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FormatTraits } from './compareEvents';
import { FIXTURE_SERVER } from './fixtureCases';
import { type JsonlogRecord, jsonlogTimeMs, readJsonlogFile } from './jsonlogExpectations';

/** The real run under Aiven's log_line_prefix (scripts/generate-fixtures.sh --prefixes aiven). */
export const AIVEN_RUN = resolve(__dirname, '../fixtures/pg15/aiven');
export const AIVEN_DOCUMENTS = join(AIVEN_RUN, 'opensearch-documents.ndjson');
export const AIVEN_PREFIX = 'pid=%p,user=%u,db=%d,app=%a,client=%h ';

/** What Aiven's documents can tell: pid, user, db and app on every line, time to the ms, no session id. */
export const AIVEN_TRAITS: FormatTraits = { sessionId: false, pid: true, time: 'ms', lineApplication: true, server: FIXTURE_SERVER };

export interface AivenFixture {
  /** The documents' `_source`, their times moved so the first is at `start`. */
  docs: Record<string, unknown>[];
  /** The run's jsonlog with the same move, for expectedEvents. */
  records: JsonlogRecord[];
  /** Records of the expectation: those PostgreSQL wrote as pgAudit records (a RAISE'd look-alike has a CONTEXT). */
  genuine: (r: JsonlogRecord) => boolean;
}

/** The fixture's documents and jsonlog, moved in time (so that they straddle midnight: two daily indexes). */
export function aivenFixture(start: string): AivenFixture {
  const raw = readFileSync(AIVEN_DOCUMENTS, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  const delta = Date.parse(start) - Date.parse(String(raw[0]!.timestamp));
  const docs = raw.map((d) => ({ ...d, timestamp: new Date(Date.parse(String(d.timestamp)) + delta).toISOString() }));
  const records = readJsonlogFile(join(AIVEN_RUN, 'postgresql.json')).map((r) => ({
    ...r,
    timestamp: new Date(jsonlogTimeMs(r.timestamp) + delta).toISOString().replace('T', ' ').replace('Z', ' UTC'),
  }));
  return { docs, records, genuine: (r) => !('context' in r) };
}
