import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../shared/model/AuditEvent';
import { parseAuditLog, parseAuditLogFile, type ParseOptions } from '../../shared/merge/parseAuditLog';
import type { ParseSummary } from '../../shared/parse/ParseSummary';
import { canReadSourceInWorker } from '../../shared/source/readSourceInWorker';

const ROOT = resolve(__dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/pg15');
type Parse = (path: string, options: ParseOptions) => { events: AsyncIterable<AuditEvent>; summary(): ParseSummary };

async function collect(parsed: { events: AsyncIterable<AuditEvent>; summary(): ParseSummary }): Promise<{ events: AuditEvent[]; summary: ParseSummary }> {
  const events: AuditEvent[] = [];
  for await (const e of parsed.events) events.push(e);
  return { events, summary: parsed.summary() };
}

/**
 * The worker thread runs compiled JavaScript, which vitest does not give it: compile the parser's
 * modules (TypeScript's own transpiler, no type check) to a temp dir and run parseAuditLogFile from there.
 */
function compileParser(outDir: string): void {
  for (const dir of ['shared/source', 'shared/source/openSearch', 'shared/parse', 'shared/merge', 'shared/errors', 'shared/model', 'shared/util', 'shared/redact']) {
    for (const file of readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.ts'))) {
      const { outputText } = ts.transpileModule(readFileSync(join(ROOT, dir, file), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      });
      const out = join(outDir, dir, file.replace(/\.ts$/, '.js'));
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, outputText);
    }
  }
}

/**
 * A fixture repeated until the file is large enough for the worker (events repeat; the merge is still
 * exercised). Each copy's `%c` session ids are its own: one session's rows repeated within its second would
 * be one run of rows in any order (see TrustGate), whose duplicates merge into the first copy's events.
 */
function bigCopy(dir: string, file: string, minBytes: number): string {
  const text = readFileSync(join(FIXTURES, file), 'utf8');
  const out = join(dir, file.replace(/\//g, '_'));
  const copies = Array.from({ length: Math.ceil(minBytes / Buffer.byteLength(text)) }, (_, i) =>
    text.replace(/(UTC-[0-9a-f]{1,16}\.)([0-9a-f]{1,16})-/g, (_m, start: string, pid: string) => `${start}${(parseInt(pid, 16) + i * 0x100000).toString(16)}-`));
  writeFileSync(out, copies.join(''));
  return out;
}

describe('parseAuditLogFile', () => {
  let dir: string;
  let compiled: { parseAuditLogFile: Parse; canReadSourceInWorker: () => boolean; WORKER_MIN_BYTES: number };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'parse-file-'));
    compileParser(join(dir, 'js'));
    compiled = {
      ...(require(join(dir, 'js/shared/merge/parseAuditLog.js')) as { parseAuditLogFile: Parse }),
      ...(require(join(dir, 'js/shared/source/readSourceInWorker.js')) as { canReadSourceInWorker: () => boolean }),
      ...(require(join(dir, 'js/shared/source/openSourceFile.js')) as { WORKER_MIN_BYTES: number }),
    };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs in this thread under a TypeScript loader (no compiled worker to start)', () => {
    expect(canReadSourceInWorker()).toBe(false);
    expect(compiled.canReadSourceInWorker()).toBe(true);
  });

  it.each([
    ['azure/azure-diagnostics.ndjson', {}],
    ['azure/pgsql-server-logs.ndjson', { format: 'pgsql-server-logs' }],
    ['azure/azure-blob.PT1H.json', {}],
    ['pid/postgresql.log', { prefix: '%m [%p] ', server: 'Local' }],
    ['user-db-app/postgresql.csv', {}],
    ['user-db-app/postgresql.json', { format: 'jsonlog' }],
  ] as [string, ParseOptions][])('%s, large: the worker gives the same events and summary as parseAuditLog', async (file, options) => {
    const path = bigCopy(dir, file, compiled.WORKER_MIN_BYTES + 1);
    const opts = { ...options, source: 'big' };
    const expected = await collect(parseAuditLog(Readable.from(readFileSync(path).toString('utf8').match(/[\s\S]{1,65536}/g)!), opts));
    expect(expected.events.length).toBeGreaterThan(1000);
    const actual = await collect(compiled.parseAuditLogFile(path, opts));
    expect(actual.summary).toEqual(expected.summary);
    expect(actual.events).toEqual(expected.events);
  });

  it('in this thread for a small file: the same as parseAuditLog', async () => {
    const path = join(FIXTURES, 'azure/azure-diagnostics.ndjson');
    const expected = await collect(parseAuditLog(Readable.from([readFileSync(path, 'utf8')]), { source: 's' }));
    expect(await collect(parseAuditLogFile(path, { source: 's' }))).toEqual(expected);
  });

  it('reports garbage rows with their locations, through the worker', async () => {
    const good = readFileSync(join(FIXTURES, 'azure/azure-diagnostics.ndjson'), 'utf8');
    const path = join(dir, 'garbage.ndjson');
    writeFileSync(path, `${good}{"not json\n`.repeat(Math.ceil((compiled.WORKER_MIN_BYTES + 1) / good.length)));
    const expected = await collect(parseAuditLog(Readable.from([readFileSync(path, 'utf8')]), { source: 'g' }));
    expect(expected.summary.malformed).toBeGreaterThan(0);
    expect(await collect(compiled.parseAuditLogFile(path, { source: 'g' }))).toEqual(expected);
  });

  it('stopping early ends the worker (no hang, no late error)', async () => {
    const path = bigCopy(dir, 'azure/azure-diagnostics.ndjson', compiled.WORKER_MIN_BYTES * 3);
    const seen: AuditEvent[] = [];
    for await (const e of compiled.parseAuditLogFile(path, {}).events) {
      seen.push(e);
      if (seen.length === 10) break;
    }
    expect(seen).toHaveLength(10);
    const again = await collect(compiled.parseAuditLogFile(path, {}));
    expect(again.events.slice(0, 10)).toEqual(seen);
  });

  it('a read error in the worker surfaces as an error with its code, not as an empty parse', async () => {
    const { readSourceInWorker } = require(join(dir, 'js/shared/source/readSourceInWorker.js')) as {
      readSourceInWorker: (path: string, format: string, name: string, server: string | null) => Promise<unknown>;
    };
    await expect(readSourceInWorker(join(dir, 'gone.ndjson'), 'auto', 'gone', null)).rejects.toMatchObject({
      name: 'SourceWorkerError', code: 'ENOENT', message: expect.stringContaining('gone.ndjson'),
    });
  });
});
