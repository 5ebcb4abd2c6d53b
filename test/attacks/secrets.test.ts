import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACK_FIXTURES, inputPath, readExpectations, scanFile } from './attackFixtures';
import { renderAlert, renderDigest } from './renderings';

/**
 * Secrets in the forms redaction used to miss (sslpassword in OPTIONS, standard_conforming_strings = off,
 * set_config('app.password', ...), ssl_passphrase_command, format('... PASSWORD %L', ...), E'' and
 * dollar-quoted PASSWORD strings on the GRANT line of a multi-statement query, password= in option values)
 * appear in no output: JSON, terminal text, Slack and email renderings, single and digest, nor stderr.
 * Run with the default rules and with a rule that alerts on every statement (so every statement is rendered).
 */
const exp = readExpectations();
const EVERYTHING = resolve(__dirname, 'alert-everything.rules.yaml');
let tmp = '';
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'pgaudit-attack-secrets-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const inLogs = exp.secrets.filter((s) => s.inLogs);

it('the fixtures hold the secrets (the test can fail)', () => {
  expect(inLogs.length).toBeGreaterThanOrEqual(7);
  const raw = readFileSync(join(ATTACK_FIXTURES, 'azure/postgresql.log'), 'utf8');
  for (const s of inLogs) expect(raw, s.source).toContain(s.token);
});

describe.each(exp.files.map((f) => [f.file, f] as const))('secrets in %s', (_name, f) => {
  it.each([['default rules', 'config/rules.yaml'], ['a rule on every statement', EVERYTHING]])('%s: no secret in any output', async (_label, rules) => {
    const path = inputPath(ATTACK_FIXTURES, f, tmp);
    const json = await scanFile(path, f, exp, { rules });
    const text = await scanFile(path, f, exp, { rules, json: false });
    expect(json.code).toBe(0);
    expect(json.alerts.length).toBeGreaterThan(rules === EVERYTHING ? 50 : 10);
    const outputs: [string, string][] = [
      ['scan --json stdout', json.stdout], ['scan --json stderr', json.stderr], ['scan stdout', text.stdout], ['scan stderr', text.stderr],
      ['digest', JSON.stringify(renderDigest(json.alerts))],
      ...json.alerts.map((a) => [`${a.rule} ${a.event.statementId}/${a.event.substatementId}`, JSON.stringify(renderAlert(a))] as [string, string]),
    ];
    const leaks = outputs.flatMap(([where, out]) => inLogs.filter((s) => out.includes(s.token)).map((s) => `${s.source} (${s.token}) in ${where}`));
    expect([...new Set(leaks)]).toEqual([]);
  }, 60_000);
});
