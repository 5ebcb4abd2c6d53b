import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../shared/model/AuditEvent';
import { collectEvents } from '../../support/collectEvents';
import { runCliCapture, type CliRun } from '../../support/runCliCapture';
import { textStream } from '../../support/textStream';

const ROOT = resolve(__dirname, '../../..');
const AZURE = 'test/fixtures/pg15/azure';
const PID = 'test/fixtures/pg15/pid';

/** `pgaudit-alerts parse ...` in-process (runCli with a CliIO of captured streams). */
function parse(args: string[], options: { stdin?: Readable; env?: Record<string, string>; cwd?: string } = {}): Promise<CliRun> {
  return runCliCapture(['parse', ...args], { cwd: ROOT, ...options, stdin: options.stdin ?? Readable.from([]) });
}

const events = (stdout: string): AuditEvent[] => stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as AuditEvent);

function tempFile(name: string, content: string | Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'parse-cli-')), name);
  writeFileSync(file, content);
  return file;
}

/** Deterministic bytes (mulberry32), so a failure can be reproduced. */
function randomBytes(length: number, seed: number): Buffer {
  let a = seed;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

describe('parse: output', () => {
  it('prints one AuditEvent per line on stdout and a summary on stderr', async () => {
    const run = await parse([`${AZURE}/azure-diagnostics.ndjson`]);
    expect(run.code).toBe(0);
    const printed = events(run.stdout);
    const api = await collectEvents(readFileSync(join(ROOT, AZURE, 'azure-diagnostics.ndjson'), 'utf8'));
    expect(printed).toEqual(api.events);
    expect(printed.length).toBeGreaterThan(150);
    expect(Object.keys(printed[0]!)).toEqual([
      'server', 'sessionId', 'pid', 'time', 'user', 'database', 'application', 'client', 'auditType', 'statementId',
      'substatementId', 'class', 'command', 'objects', 'lines', 'statement', 'parameters', 'rows',
    ]);
    const { records, auditRecords } = api.summary;
    expect(run.stderr).toBe(
      `parsed ${records} records (azure-diagnostics, log_line_prefix "%t-%c-"): ${auditRecords} AUDIT records, ${printed.length} events, 0 malformed, 0 truncated\n`,
    );
  });

  it.each([
    ['auto', `${AZURE}/postgresql.log`, 'stderr'],
    ['stderr', `${AZURE}/postgresql.log`, 'stderr'],
    ['csvlog', `${AZURE}/postgresql.csv`, 'csvlog'],
    ['jsonlog', `${AZURE}/postgresql.json`, 'jsonlog'],
    ['azure-diagnostics', `${AZURE}/azure-diagnostics.ndjson`, 'azure-diagnostics'],
    ['pgsql-server-logs', `${AZURE}/pgsql-server-logs.ndjson`, 'pgsql-server-logs'],
    ['pgsql-server-logs', `${AZURE}/log-analytics-response.json`, 'pgsql-server-logs'],
    ['azure-blob', `${AZURE}/azure-blob.PT1H.json`, 'azure-blob'],
  ])('--format %s reads %s', async (format, file, named) => {
    const run = await parse(['--format', format, file]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`(${named}`);
    expect(run.stderr).toContain(' 0 malformed, 0 truncated');
    const reference = events((await parse([`${AZURE}/postgresql.json`])).stdout);
    const key = (e: AuditEvent) => `${e.sessionId}/${e.statementId}/${e.substatementId}/${e.command}/${e.statement}`;
    expect(events(run.stdout).map(key).sort()).toEqual(reference.map(key).sort());
  });

  it('--format forced on the wrong input counts the AUDIT lines it cannot read and exits 0', async () => {
    const run = await parse(['--format', 'stderr', `${AZURE}/postgresql.json`]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/, 0 events, [1-9]\d* malformed/);
    expect(run.stderr).toContain('postgresql.json:');
  });

  it('--prefix is used as given; a wrong one is replaced by a detected one, and the summary says so', async () => {
    const right = await parse(['--prefix', '%m [%p] ', `${PID}/postgresql.log`]);
    expect(right.stderr).toContain('log_line_prefix "%m [%p] "');
    expect(right.stderr).not.toContain('note:');
    const wrong = await parse(['--prefix', '%t-%c-', `${PID}/postgresql.log`]);
    expect(wrong.stderr).toMatch(/note: log_line_prefix "%t-%c-" fits 0 of \d+ sampled lines; detected "%m \[%p\] /);
    expect(events(wrong.stdout)).toEqual(events(right.stdout));
    const fromEnv = await parse([`${PID}/postgresql.log`], { env: { PG_LOG_LINE_PREFIX: '%m [%p] ' } });
    expect(fromEnv.stderr).toContain('log_line_prefix "%m [%p] "');
    expect(fromEnv.stdout).toBe(right.stdout);
  });

  it('--server names the server of a plain file (lower-cased); Azure rows keep their own', async () => {
    const file = events((await parse(['--server', 'PG-Local-7', `${PID}/postgresql.csv`])).stdout);
    expect(new Set(file.map((e) => e.server))).toEqual(new Set(['pg-local-7']));
    expect(new Set(events((await parse([`${PID}/postgresql.csv`])).stdout).map((e) => e.server))).toEqual(new Set([null]));
    const rows = events((await parse(['--server', 'other', `${AZURE}/azure-blob.PT1H.json`])).stdout);
    expect(new Set(rows.map((e) => e.server))).toEqual(new Set(['pg-fixture-1']));
  });

  it('reads stdin when the input is "-"', async () => {
    const text = readFileSync(join(ROOT, PID, 'postgresql.log'), 'utf8');
    const run = await parse(['--server', 'x', '-'], { stdin: textStream(text, 4096) });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe((await parse(['--server', 'x', `${PID}/postgresql.log`])).stdout);
    expect(run.stderr).toContain('(stderr, log_line_prefix');
  });
});

describe('parse: bad input is counted, located, and never stops the run', () => {
  const AUDIT_OK = '2026-11-25 12:00:00 UTC-6b06d24e.12a2-LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,SELECT 1;,<not logged>';

  it('binary garbage: exit 0, no events, a summary', async () => {
    const file = tempFile('binary.log', randomBytes(64 * 1024, 7));
    const run = await parse([file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^parsed \d+ records \(stderr, log_line_prefix "%t-%c-"\): 0 AUDIT records, 0 events, 0 malformed, 0 truncated\n$/);
  });

  it('binary and random text around real records: the records survive, broken AUDIT lines are located', async () => {
    const noise = randomBytes(4096, 42).toString('latin1').replace(/\n/g, ' ');
    const text = [
      noise,
      AUDIT_OK,
      'random text that is not a log line at all',
      '2026-11-25 12:00:01 UTC-6b06d24e.12a2-LOG:  AUDIT: SESSION,two,1,READ,SELECT,,,SELECT 2;,<not logged>',
      `2026-11-25 12:00:01 UTC-6b06d24e.12a2-LOG:  AUDIT: ${noise.slice(0, 200)}`,
      'AUDIT: SESSION,3,1,READ,SELECT,,,no prefix at all,<none>',
      AUDIT_OK.replace('SESSION,1,1', 'SESSION,4,1'),
    ].join('\n');
    const run = await parse(['-'], { stdin: textStream(text, 333) });
    expect(run.code).toBe(0);
    expect(events(run.stdout).map((e) => e.statementId)).toEqual([1, 4]);
    expect(run.stderr).toContain(', 3 malformed, ');
    expect(run.stderr).toContain('  stdin:4: malformed AUDIT record: statement/substatement ids "two","1" are not integers');
    expect(run.stderr).toContain('  stdin:5: malformed AUDIT record');
    expect(run.stderr).toContain('  stdin:6: AUDIT line does not fit log_line_prefix "%t-%c-"');
  });

  it('truncated JSON rows: each cut row is counted at its line, the rest is read', async () => {
    const lines = readFileSync(join(ROOT, AZURE, 'azure-diagnostics.ndjson'), 'utf8').trim().split('\n');
    const cut = new Set([3, 10, 11, 12, 20, 21, 22, 23, 24, 25, 26, 27, 28]); // 1-based line numbers
    const damaged = lines.map((l, i) => (cut.has(i + 1) ? l.slice(0, Math.floor(l.length / 2)) : l));
    const file = tempFile('rows.ndjson', damaged.join('\n') + '\n');
    const run = await parse([file]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`, ${cut.size} malformed, `);
    const listed = run.stderr.split('\n').filter((l) => l.startsWith('  '));
    expect(listed.slice(0, 10)).toEqual([...cut].slice(0, 10).map((n) => `  ${file}:${n}: not a JSON row`));
    expect(listed[10]).toBe(`  ... ${cut.size - 10} more`);
    expect(events(run.stdout).length).toBeGreaterThan(150);
  });

  it('a pretty-printed Log Analytics response cut short is read row by row', async () => {
    const body = JSON.parse(readFileSync(join(ROOT, AZURE, 'log-analytics-response.json'), 'utf8')) as object;
    const pretty = JSON.stringify(body, null, 2);
    const run = await parse(['--format', 'pgsql-server-logs', tempFile('cut.json', pretty.slice(0, Math.floor(pretty.length / 2)))]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/[1-9]\d* malformed/);
  });

  it('an unterminated quoted AUDIT record is kept as a truncated event, and the next record is still read', async () => {
    const text = [
      '2026-11-25 12:00:00 UTC-6b06d24e.12a2-LOG:  AUDIT: SESSION,5,1,WRITE,UPDATE,TABLE,sales.cards,"UPDATE sales.cards SET pan = \'41',
      AUDIT_OK.replace('SESSION,1,1', 'SESSION,6,1'),
      '',
    ].join('\n');
    const run = await parse([tempFile('cut.log', text)]);
    expect(run.code).toBe(0);
    const out = events(run.stdout);
    expect(out.map((e) => [e.statementId, e.truncated ?? false])).toEqual([[5, true], [6, false]]);
    expect(out[0]!.statement).toBe("UPDATE sales.cards SET pan = '41");
    expect(run.stderr).toContain(', 0 malformed, 1 truncated');
    expect(run.stderr).toMatch(/cut\.log:1: AUDIT record cut off/);
  });

  it('a csvlog cut inside a quoted multi-line field is reported at the record where it starts', async () => {
    const csv = readFileSync(join(ROOT, AZURE, 'postgresql.csv'), 'utf8');
    const at = csv.indexOf('"CREATE TABLE sales.customers (\n') + 40;
    const file = tempFile('cut.csv', csv.slice(0, at));
    const run = await parse([file]);
    expect(run.code).toBe(0);
    const startLine = csv.slice(0, at).split('\n').length - 1;
    expect(run.stderr).toContain(`  ${file}:${startLine}: csvlog record ends inside a quoted field (file cut short?)`);
    expect(events(run.stdout).length).toBeGreaterThan(10);
  });
});

describe('parse: user errors', () => {
  const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at |Error:/);

  it('a missing file exits 1 naming the file, without a stack trace', async () => {
    const run = await parse(['no/such/file.log']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('pgaudit-alerts parse: no/such/file.log: cannot read input file (ENOENT)\n');
    noStack(run.stderr);
  });

  it('a bad --format exits 1 and lists the valid ones', async () => {
    const run = await parse(['--format', 'syslog', `${AZURE}/postgresql.log`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--format "syslog" is not one of auto, stderr, csvlog, jsonlog, azure-diagnostics, pgsql-server-logs, azure-blob');
    noStack(run.stderr);
  });

  it('no input, two inputs, or an unknown option exit 1 with usage', async () => {
    for (const args of [[], ['a.log', 'b.log'], ['--colour', 'x.log']]) {
      const run = await parse(args);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr).toMatch(/^pgaudit-alerts parse: /);
      noStack(run.stderr);
    }
  });

  it('a bad --prefix exits 1 naming it', async () => {
    const run = await parse(['--prefix', '%t-%', `${AZURE}/postgresql.log`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('log_line_prefix "%t-%"');
    noStack(run.stderr);
  });
});
