import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { kqlCommand } from '../../../shared/cli/commands/kql';
import type { CliIO } from '../../../shared/cli/CliIO';
import { analyzeKql } from '../../support/kustoLanguage';

function io(env: Record<string, string>): { io: CliIO; out: () => string } {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  return {
    io: { stdin: new PassThrough(), stdout, stderr: new PassThrough(), env, cwd: process.cwd() },
    out: () => Buffer.concat(chunks).toString('utf8'),
  };
}

describe('pgaudit-alerts kql', () => {
  it('prints the scan query for the settings, with a window that runs as pasted', async () => {
    const run = io({ LOGS_TABLE: 'AzureDiagnostics', PG_SERVERS: 'PG-Prod-1, pg-reporting', SCAN_INITIAL_LOOKBACK: 'PT30M', SCAN_SETTLE_DELAY: 'PT1M' });
    expect(await kqlCommand(['--rules', 'config/rules.yaml'], run.io)).toBe(0);
    const text = run.out();
    expect(text).toMatch(/^\/\/ pgaudit-alerts scan query: LOGS_TABLE=AzureDiagnostics, PG_SERVERS=pg-prod-1, pg-reporting/);
    expect(text).toContain('| where LogicalServerName in ("pg-prod-1", "pg-reporting")');
    const after = Date.parse(/let ingestedAfter = datetime\((.*?)\);/.exec(text)![1]!);
    const before = Date.parse(/let ingestedBefore = datetime\((.*?)\);/.exec(text)![1]!);
    expect(before - after).toBe(30 * 60_000);
    expect(Math.abs(Date.now() - 60_000 - before)).toBeLessThan(60_000);
    expect(analyzeKql(text).diagnostics).toEqual([]);
  });

  it('names a bad setting (user error) and refuses stray arguments', async () => {
    await expect(kqlCommand([], io({ LOGS_TABLE: 'Syslog' }).io)).rejects.toThrow(/LOGS_TABLE/);
    await expect(kqlCommand(['extra'], io({}).io)).rejects.toThrow(/usage: pgaudit-alerts kql/);
  });
});
