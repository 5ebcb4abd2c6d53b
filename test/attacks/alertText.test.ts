import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../shared/model/Alert';
import { ATTACK_FIXTURES, inSession, inputPath, readExpectations, scanFile } from './attackFixtures';
import { renderAlert, renderDigest, slackTexts } from './renderings';

/**
 * Alert text cannot be spoofed (issue 10, item 7): the `text-spoofing` session created and dropped tables
 * whose names hold newlines with a forged "[CRITICAL] ..." headline and "User: etl_loader" line, U+202E,
 * Slack formatting (*bold* _it_ ~strike~, <!here>, ```), and connected with such an application_name.
 * Every rendering must show that text visibly escaped: no forged line, no raw bidi or control character,
 * no Slack formatting or mention taking effect.
 */
const exp = readExpectations();
const spoof = exp.sessions.find((s) => s.id === 'text-spoofing')!;
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/u;
// The forged lines exactly (genuine "User:" lines of the look-alike roles, e.g. `etl_loader `, are not these).
const FORGED_LINE = /^\s*(?:\[CRITICAL\] Owned|User:\s+etl_loader(?:"|$)|\*pwned\*)/;
const SLACK_MARKUP = ['*pwned*', '_it_', '~st~', '<!here>', '<!channel>'];

let tmp = '';
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'pgaudit-attack-text-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/**
 * Text outside Slack code (``` blocks and `inline` spans), where mrkdwn formatting applies. Slack formats
 * nothing inside either; an inline span cannot be broken out of because renderers replace backticks in
 * database text (a stray backtick would leave an odd count, caught below).
 */
function outsideCode(text: string): string {
  return text
    .split('```')
    .filter((_, i) => i % 2 === 0)
    .map((part) => part.split('`').filter((_, i) => i % 2 === 0).join(''))
    .join('');
}

/** Problems of one plain-text rendering: forged lines at the left margin, raw bidi or control characters. */
function plainTextProblems(where: string, text: string): string[] {
  const problems: string[] = [];
  if (BIDI.test(text)) problems.push(`${where}: raw bidi control`);
  if (CONTROL.test(text)) problems.push(`${where}: raw control character`);
  for (const line of text.split('\n')) {
    // Statement lines are indented (a multi-line statement is legitimate); facts start at the margin.
    if (!line.startsWith('    ') && FORGED_LINE.test(line)) problems.push(`${where}: forged line ${JSON.stringify(line)}`);
  }
  return problems;
}

function renderingProblems(label: string, r: ReturnType<typeof renderAlert>): string[] {
  const problems = [...plainTextProblems(`${label} text`, r.text), ...plainTextProblems(`${label} email text`, r.email.text)];
  if (/[\r\n]/.test(r.email.subject) || BIDI.test(r.email.subject)) problems.push(`${label} email subject: ${JSON.stringify(r.email.subject)}`);
  if (BIDI.test(r.email.html)) problems.push(`${label} email html: raw bidi control`);
  if (/<!(?:here|channel)>|<\/?script/i.test(r.email.html)) problems.push(`${label} email html: unescaped markup from the database`);
  for (const m of r.slack) {
    for (const t of slackTexts(m)) {
      if (BIDI.test(t)) problems.push(`${label} slack: raw bidi control in ${JSON.stringify(t.slice(0, 60))}`);
      const fences = t.split('```').length - 1;
      if (fences % 2 !== 0) problems.push(`${label} slack: an odd number of code fences (a database text broke out of its code block)`);
      const ticks = t.split('```').filter((_, i) => i % 2 === 0).join('').split('`').length - 1;
      if (ticks % 2 !== 0) problems.push(`${label} slack: an odd number of inline code backticks (a database text broke out of its code span)`);
      const outside = outsideCode(t);
      for (const mark of SLACK_MARKUP) if (outside.includes(mark)) problems.push(`${label} slack: ${mark} unescaped outside code`);
      for (const line of outside.split('\n')) if (FORGED_LINE.test(line)) problems.push(`${label} slack: forged line ${JSON.stringify(line)}`);
    }
  }
  return problems;
}

describe.each(exp.files.map((f) => [f.file, f] as const))('alert text from %s', (_name, f) => {
  let alerts: Alert[] = [];
  let terminal = '';
  beforeAll(async () => {
    const path = inputPath(ATTACK_FIXTURES, f, tmp);
    alerts = (await scanFile(path, f, exp)).alerts.filter((a) => inSession(a, f, spoof));
    terminal = (await scanFile(path, f, exp, { json: false })).stdout;
  }, 60_000);

  it('the spoofing session alerts (so the renderings below are exercised)', () => {
    expect(alerts.filter((a) => a.rule === 'drop-object').length).toBe(3);
  });

  it('terminal output (scan --dry-run) shows database text escaped', () => {
    expect(plainTextProblems('scan stdout', terminal)).toEqual([]);
  });

  it('each alert rendered for text, Slack and email shows database text escaped', () => {
    expect(alerts.flatMap((a) => renderingProblems(`${a.rule} ${a.event.statementId}`, renderAlert(a)))).toEqual([]);
  });

  it('the digest of those alerts shows database text escaped', () => {
    expect(renderingProblems('digest', renderDigest(alerts))).toEqual([]);
  });
});
