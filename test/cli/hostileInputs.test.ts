import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../shared/settings/loadSettings';
import { runCliCapture } from '../support/runCliCapture';

const ROOT = resolve(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'hostile-inputs-'));
const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at |unexpected failure/);

/** Nine aliases of nine aliases ... : 9^8 (43 million) strings once expanded. */
const BILLION_LAUGHS = [
  'version: 1',
  'lists:',
  '  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
  ...['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map((name, i) => {
    const prev = String.fromCharCode('a'.charCodeAt(0) + i);
    return `  ${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`;
  }),
  'rules: []',
  '',
].join('\n');

describe('hostile inputs give exit 1 and a message naming the offender, never a stack trace', () => {
  it('a directory as --input (scan) or as the file (parse), and as the rules file', async () => {
    mkdirSync(join(dir, 'logs'));
    const scan = await runCliCapture(['scan', '--input', 'logs', '--rules', join(ROOT, 'config/rules.yaml'), '--dry-run'], { cwd: dir });
    expect(scan.code).toBe(1);
    expect(scan.stderr).toContain('logs: is a directory, not a log file');
    noStack(scan.stderr);
    const parse = await runCliCapture(['parse', 'logs'], { cwd: dir });
    expect(parse.code).toBe(1);
    expect(parse.stderr).toContain('logs: is a directory, not a log file');
    noStack(parse.stderr);
    const rules = await runCliCapture(['check-rules', 'logs'], { cwd: dir });
    expect(rules.code).toBe(1);
    expect(rules.stderr).toContain('logs: cannot read the rules file (it is a directory)');
    noStack(rules.stderr);
  });

  it('a billion-laughs rules file', async () => {
    writeFileSync(join(dir, 'laughs.yaml'), BILLION_LAUGHS);
    const check = await runCliCapture(['check-rules', 'laughs.yaml'], { cwd: dir });
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('laughs.yaml: (file): YAML aliases expand too far');
    noStack(check.stderr);
    writeFileSync(join(dir, 'empty.log'), '');
    const scan = await runCliCapture(['scan', '--input', 'empty.log', '--rules', 'laughs.yaml', '--dry-run'], { cwd: dir });
    expect(scan.code).toBe(1);
    expect(scan.stderr).toContain('YAML aliases expand too far');
    noStack(scan.stderr);
  });

  it.each(['P99999999999Y', 'PT1e400S', 'P99999999999D', `PT${'9'.repeat(400)}S`, 'P1DT'])('an absurd duration setting %j', async (value) => {
    expect(() => loadSettings({ SCAN_MAX_LATENESS: value })).toThrow(/SCAN_MAX_LATENESS: "/);
    const scan = await runCliCapture(['scan', '--dry-run'], {
      cwd: ROOT,
      env: { SCAN_MAX_LATENESS: value, LOGS_WORKSPACE_ID: '00000000-0000-0000-0000-000000000000', AzureWebJobsStorage: 'UseDevelopmentStorage=true' },
    });
    expect(scan.code).toBe(1);
    expect(scan.stderr).toContain(`SCAN_MAX_LATENESS: ${JSON.stringify(value)} is`);
    noStack(scan.stderr);
  });

  it('the longest accepted duration still loads', () => {
    expect(loadSettings({ SCAN_MAX_LATENESS: 'P3650D' }).maxLatenessMs).toBe(3650 * 86_400_000);
  });
});
