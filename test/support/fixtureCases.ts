import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceFormat } from '../../shared/source/SourceRecord';
import type { FormatTraits } from './compareEvents';
import { type JsonlogRecord, jsonlogTimeMs } from './jsonlogExpectations';

/** Azure's documented limit: longer messages are not captured (the converter drops them too). */
export const AZURE_MAX_MESSAGE_BYTES = 65536;
export const FIXTURE_SERVER = 'pg-fixture-1';

export interface FixtureCase {
  file: string;
  format: SourceFormat;
  /** log_line_prefix to pass (null for csvlog/jsonlog and when testing detection). */
  prefix: string | null;
  traits: FormatTraits;
  /** Which jsonlog records the input holds (Azure shapes lose records over 65 KB). */
  keep: (r: JsonlogRecord) => boolean;
}

/** Every file of one generated run directory (postgresql.{log,csv,json} + Azure shapes), with what each can tell. */
export function fixtureCases(dir: string, fileServer: string | null): FixtureCase[] {
  const prefix = readFileSync(join(dir, 'prefix.txt'), 'utf8');
  // The product's server names are lower-case whatever --server says.
  const server = fileServer === null ? null : fileServer.toLowerCase();
  const structured: FormatTraits = { sessionId: true, pid: true, time: 'ms', lineApplication: true, server };
  const all = () => true;
  const cases: FixtureCase[] = [
    { file: join(dir, 'postgresql.json'), format: 'jsonlog', prefix: null, traits: structured, keep: all },
    { file: join(dir, 'postgresql.csv'), format: 'csvlog', prefix: null, traits: structured, keep: all },
    { file: join(dir, 'postgresql.log'), format: 'stderr', prefix, traits: prefixTraits(prefix, server), keep: all },
  ];
  const azure: FormatTraits = { sessionId: true, pid: true, time: 's', lineApplication: false, server: FIXTURE_SERVER };
  const fits = (r: JsonlogRecord) => Buffer.byteLength(azureLine(r), 'utf8') <= AZURE_MAX_MESSAGE_BYTES;
  const shapes: [string, SourceFormat][] = [
    ['azure-diagnostics.ndjson', 'azure-diagnostics'],
    ['pgsql-server-logs.ndjson', 'pgsql-server-logs'],
    ['log-analytics-response.json', 'pgsql-server-logs'],
    ['azure-blob.PT1H.json', 'azure-blob'],
  ];
  for (const [name, format] of shapes) {
    if (existsSync(join(dir, name))) cases.push({ file: join(dir, name), format, prefix: '%t-%c-', traits: azure, keep: fits });
  }
  return cases;
}

function prefixTraits(prefix: string, server: string | null): FormatTraits {
  return {
    sessionId: prefix.includes('%c'),
    pid: prefix.includes('%p'),
    time: prefix.includes('%m') ? 'ms' : 's',
    lineApplication: prefix.includes('%a'),
    server,
  };
}

/** The `%t-%c-` line Azure stores in Message, built from the jsonlog columns. */
export function azureLine(r: JsonlogRecord): string {
  const t = new Date(Math.floor(jsonlogTimeMs(r.timestamp) / 1000) * 1000).toISOString().replace('T', ' ').replace('.000Z', ' UTC');
  return `${t}-${r.session_id}-${r.error_severity}:  ${r.message}`;
}
