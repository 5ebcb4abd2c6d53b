import { createReadStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../shared/model/AuditEvent';
import { parseAuditLog, parseAuditLogFile, type ParseOptions } from '../../shared/merge/parseAuditLog';
import { collectEvents } from '../support/collectEvents';
import { runCliCapture } from '../support/runCliCapture';

const ROOT = resolve(__dirname, '../..');
const PG15 = join(ROOT, 'test/fixtures/pg15');
const BOUNDS = join(ROOT, 'test/fixtures/bounds');
const dir = mkdtempSync(join(tmpdir(), 'gzip-input-'));

async function all(stream: ReturnType<typeof parseAuditLog>) {
  const events: AuditEvent[] = [];
  for await (const e of stream.events) events.push(e);
  return { events, summary: stream.summary() };
}

/** A buffer in chunks of 4 KiB, so the gzip header and members meet chunk boundaries. */
const chunked = (bytes: Buffer, size = 4096) => Readable.from(Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size)));

const FORMATS: [string, ParseOptions][] = [
  ['azure/postgresql.log', {}],
  ['azure/postgresql.csv', {}],
  ['azure/postgresql.json', {}],
  ['azure/azure-diagnostics.ndjson', {}],
  ['azure/pgsql-server-logs.ndjson', {}],
  ['azure/log-analytics-response.json', {}],
  ['azure/azure-blob.PT1H.json', {}],
  ['pid/postgresql.log', { prefix: '%m [%p] ' }],
];

describe('gzip-compressed logs (rotated files), recognised by their magic bytes', () => {
  it.each(FORMATS)('%s.gz gives the same events and summary as the plain file', async (file, options) => {
    const plain = readFileSync(join(PG15, file));
    const expected = await collectEvents(Readable.from([plain]), options);
    expect(expected.events.length).toBeGreaterThan(0);
    const gz = await all(parseAuditLog(chunked(gzipSync(plain)), options));
    expect(gz).toEqual(expected);
  });

  it('a .gz file read by path (parseAuditLogFile) equals its plain text', async () => {
    const plain = gunzipSync(readFileSync(join(BOUNDS, 'postgresql.json.gz')));
    const expected = await collectEvents(Readable.from([plain]));
    const viaFile = await all(parseAuditLogFile(join(BOUNDS, 'postgresql.json.gz')));
    expect(viaFile.events).toEqual(expected.events);
    expect(viaFile.summary).toEqual(expected.summary);
  });

  it('concatenated gzip members (cat a.gz b.gz) are read one after the other, whatever the file is called', async () => {
    const log = readFileSync(join(PG15, 'azure/postgresql.log'), 'utf8');
    const lines = log.split('\n');
    const half = lines.slice(0, 200).join('\n') + '\n';
    const rest = lines.slice(200).join('\n');
    const file = join(dir, 'postgresql.log'); // no .gz: the bytes decide
    writeFileSync(file, Buffer.concat([gzipSync(half), gzipSync(rest)]));
    const expected = await collectEvents(Readable.from([log]));
    expect(await all(parseAuditLog(createReadStream(file)))).toEqual(expected);
  });

  it('a .gz cut short (rotation while writing): the records before the cut are read, the damage is counted', async () => {
    const log = readFileSync(join(PG15, 'azure/postgresql.log'));
    const gz = gzipSync(log);
    const full = await collectEvents(Readable.from([log]));
    const { events, summary } = await all(parseAuditLog(chunked(gz.subarray(0, Math.floor(gz.length * 0.6))), { source: 'rotated.gz' }));
    expect(events.length).toBeGreaterThan(10);
    expect(events.length).toBeLessThan(full.events.length);
    expect(events).toEqual(full.events.slice(0, events.length - 1).concat(events.slice(-1)));
    expect(summary.malformed).toBe(2); // the line the cut fell in, and the damage
    expect(summary.problems).toContainEqual({ location: 'rotated.gz', message: expect.stringMatching(/^gzip data is damaged or cut short after \d+ decompressed bytes/) });
  });

  it('CLI: parse reads gzip from stdin and from a file, scan --input reads a .gz', async () => {
    const plainFile = join(PG15, 'azure/postgresql.csv');
    const gzFile = join(dir, 'postgresql.csv.1.gz');
    writeFileSync(gzFile, gzipSync(readFileSync(plainFile)));
    const plain = await runCliCapture(['parse', plainFile], { cwd: ROOT });
    const fromStdin = await runCliCapture(['parse', '-'], { cwd: ROOT, stdin: chunked(readFileSync(gzFile), 100) });
    const fromFile = await runCliCapture(['parse', gzFile], { cwd: ROOT });
    expect(plain.code).toBe(0);
    expect(plain.stdout.length).toBeGreaterThan(1000);
    expect(fromStdin).toEqual({ ...plain, stderr: plain.stderr });
    expect(fromFile.stdout).toBe(plain.stdout);
    const scanPlain = await runCliCapture(['scan', '--input', plainFile, '--dry-run', '--json', '--rules', 'config/rules.yaml'], { cwd: ROOT });
    const scanGz = await runCliCapture(['scan', '--input', gzFile, '--dry-run', '--json', '--rules', 'config/rules.yaml'], { cwd: ROOT });
    expect(scanGz.code).toBe(scanPlain.code);
    expect(scanGz.stdout).toBe(scanPlain.stdout);
  });
});
