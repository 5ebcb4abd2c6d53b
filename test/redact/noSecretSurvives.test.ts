import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../shared/model/Alert';
import { renderAlertEmail, renderDigestEmail } from '../../shared/notify/email/renderEmail';
import { renderAlertText, renderDigestText } from '../../shared/notify/text/renderAlertText';
import { renderSlackAlert, renderSlackDigest } from '../../shared/notify/slack/renderSlackMessages';
import { redactAlert } from '../../shared/redact/redactAlert';
import { runCliCapture } from '../support/runCliCapture';
import { hashCaseArb, secretCaseArb, type SecretCase } from '../support/secretForms';

const PREFIX = '%m [%p] [user=%u,db=%d,app=%a] ';
const dir = mkdtempSync(join(tmpdir(), 'redact-'));
const RULES = join(dir, 'rules.yaml');
writeFileSync(
  RULES,
  'version: 1\nrules:\n  - id: everything\n    title: Every statement\n    description: Fires on every audited statement.\n    severity: low\n    match:\n      command: "*"\n    falsepositives: [All of them]\n',
);

/** pgaudit's CSV field encoding (append_valid_csv), but always quoted so that a cut leaves the quote open. */
const csv = (v: string) => `"${v.replace(/"/g, '""')}"`;
const csvIfNeeded = (v: string) => (/[,"\n\r]/.test(v) ? csv(v) : v);

interface LoggedCase extends SecretCase {
  /** Cut the record here (as Azure cuts long messages): only pieces before the cut are checked. */
  cut: number | null;
}

/** A stderr log in which each case is one pgaudit record of its own session statement. */
function logOf(cases: LoggedCase[]): string {
  return cases
    .map((c, i) => {
      const params = c.parameters === null ? '<none>' : csv(c.parameters.map(csvIfNeeded).join(','));
      let record = `AUDIT: SESSION,${i + 1},1,ROLE,ALTER ROLE,,,${csv(c.statement)},${params}`;
      if (c.cut !== null) record = record.slice(0, record.indexOf(',"') + 2 + c.cut);
      return `2026-11-25 12:20:22.349 UTC [6512] [user=bob,db=d,app=psql] LOG:  ${record}\n`;
    })
    .join('');
}

/** Every output an alert reaches: CLI JSON and text, Slack blocks, fallback text and metadata, email subject, HTML and text. */
function renderings(alerts: Alert[]): string[] {
  const out: string[] = [];
  for (const a of alerts.map(redactAlert)) {
    out.push(renderAlertText(a));
    const slack = renderSlackAlert(a);
    out.push(JSON.stringify(slack));
    const mail = renderAlertEmail(a);
    out.push(mail.subject, mail.html, mail.text);
  }
  if (alerts.length > 0) out.push(JSON.stringify(renderSlackDigest(alerts)), JSON.stringify(renderDigestEmail(alerts)), renderDigestText(alerts));
  return out;
}

const caseArb: fc.Arbitrary<LoggedCase> = fc
  .tuple(fc.oneof({ weight: 9, arbitrary: secretCaseArb }, { weight: 1, arbitrary: hashCaseArb }), fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { freq: 4 }))
  .map(([c, cut]) => {
    if (cut === null || c.parameters !== null) return { ...c, cut: null };
    // Cut somewhere after the secret starts: the rest of the record is lost, as when Azure truncates it.
    const start = c.statement.indexOf(c.pieces[0]!);
    return { ...c, cut: start + Math.floor(cut * (c.statement.length - start)) };
  });

describe('no secret survives into any output', () => {
  it('for secrets in every SQL string and option form, through scan --dry-run (JSON and text) and every renderer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(caseArb, { minLength: 1, maxLength: 12 }), async (generated) => {
        // A cut record is the last one: in a plain log its open quote would run on into the next line.
        const cases = generated.map((c, i) => (i === generated.length - 1 ? c : { ...c, cut: null }));
        const input = join(dir, 'audit.log');
        writeFileSync(input, logOf(cases));
        const args = ['scan', '--input', input, '--rules', RULES, '--prefix', PREFIX, '--dry-run'];
        const json = await runCliCapture([...args, '--json']);
        const text = await runCliCapture(args);
        expect(json.code, json.stderr).toBe(0);
        const alerts = json.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Alert);
        // A record cut inside a doubled quote no longer parses (it is counted as malformed): no alert, nothing to leak.
        expect(alerts.length).toBeGreaterThanOrEqual(cases.length - (cases.at(-1)!.cut === null ? 0 : 1));
        const outputs = [json.stdout, json.stderr, text.stdout, text.stderr, ...renderings(alerts)];
        for (const c of cases) {
          const logged = c.cut === null ? c.statement : c.statement.slice(0, c.cut);
          for (const p of c.pieces.filter((p) => logged.includes(p) || c.parameters?.some((v) => v.includes(p)))) {
            for (const o of outputs) if (o.includes(p)) expect.fail(`${c.form}: ${p} survives in\n${o.slice(Math.max(0, o.indexOf(p) - 200), o.indexOf(p) + 100)}\nstatement: ${c.statement}`);
          }
        }
      }),
      { numRuns: Number(process.env.REDACT_RUNS ?? 40) },
    );
  });
});
