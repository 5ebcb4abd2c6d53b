import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ATTACK_FIXTURES } from './attackFixtures';

/**
 * Hostile inputs, made by the test (issue 10, item 5). Each hides one real incident after the hostile
 * part — `DROP TABLE scratch.after_hostile` by `intern` — so a run that "survives" by giving up on the rest
 * of the file is caught.
 */
export const SESSION = '6b0fb000.1a2b';
export const AFTER = 'DROP TABLE scratch.after_hostile';
const T = '2026-12-02 06:00:00 UTC';
const line = (msg: string) => `${T}-${SESSION}-LOG:  ${msg}\n`;
const CONNECT = 'connection authorized: user=intern database=shop application_name=psql';
const after = (id: number) => `AUDIT: SESSION,${id},1,DDL,DROP TABLE,TABLE,scratch.after_hostile,${AFTER};,<not logged>`;

/** A `%t-%c-` stderr file with one AUDIT line whose statement is `mb` MB long (a card read), then the incident. */
export async function writeLongLine(path: string, mb: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(line(CONNECT));
  out.write(`${T}-${SESSION}-LOG:  AUDIT: SESSION,1,1,READ,SELECT,TABLE,sales.payment_cards,SELECT pan FROM sales.payment_cards WHERE note = '`);
  const chunk = 'x'.repeat(1024 * 1024);
  for (let i = 0; i < mb; i++) if (!out.write(chunk)) await once(out, 'drain');
  out.write(`';,<not logged>\n`);
  out.write(line(after(2)));
  out.end();
  await once(out, 'finish');
}

/** One AzureDiagnostics row of the attack fixture, as a template for made-up rows. */
function rowTemplate(): Record<string, unknown> {
  const first = gunzipSync(readFileSync(join(ATTACK_FIXTURES, 'azure/azure-diagnostics.ndjson.gz'))).toString('utf8').split('\n')[0]!;
  return JSON.parse(first) as Record<string, unknown>;
}

function diagnosticsRow(template: Record<string, unknown>, message: string): string {
  return JSON.stringify({ ...template, TimeGenerated: '2026-12-02T06:00:00.000Z', errorLevel_s: 'LOG', processId_d: 6699, Message: `${T}-${SESSION}-LOG:  ${message}` });
}

/**
 * AzureDiagnostics NDJSON whose first row is cut off, then `rows` valid AUDIT rows (~100 MB for 120,000),
 * then the incident.
 */
export async function writeBrokenFirstRow(path: string, rows: number): Promise<void> {
  const template = rowTemplate();
  const out = createWriteStream(path);
  out.write(`${diagnosticsRow(template, CONNECT).slice(0, 180)}\n`);
  out.write(`${diagnosticsRow(template, CONNECT)}\n`);
  for (let i = 1; i <= rows; i++) {
    const row = diagnosticsRow(template, `AUDIT: SESSION,${i},1,READ,SELECT,TABLE,sales.orders,"SELECT id, total FROM sales.orders WHERE id = ${i};",<not logged>`);
    if (!out.write(`${row}\n`)) await once(out, 'drain');
  }
  out.write(`${diagnosticsRow(template, after(rows + 1))}\n`);
  out.end();
  await once(out, 'finish');
}

/** AzureDiagnostics NDJSON with a row nested `depth` arrays deep inside Message, a bare nested line, then the incident. */
export function writeDeepJson(path: string, depth: number): void {
  const template = rowTemplate();
  const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
  writeFileSync(path, [
    diagnosticsRow(template, CONNECT),
    JSON.stringify({ ...template, Message: null }).replace('"Message":null', `"Message":${deep}`),
    `${'{"a":'.repeat(depth / 4)}1${'}'.repeat(depth / 4)}`,
    deep,
    diagnosticsRow(template, after(1)),
  ].join('\n') + '\n');
}

/** A stderr file whose one AUDIT statement is `a` × n then `!`: exponential for a backtracking ^(a+)+$. */
export function writeBacktrackBait(path: string, n: number): void {
  writeFileSync(path, line(CONNECT) + line(`AUDIT: SESSION,1,1,READ,SELECT,,,${'a'.repeat(n)}!,<not logged>`) + line(after(2)));
}

export function writeRegexRules(path: string, regex: string): void {
  writeFileSync(path, `version: 1
rules:
  - id: hostile-regex
    title: A rule whose regex backtracks
    severity: low
    match:
      statement: { regex: ${JSON.stringify(regex)} }
    falsepositives: [none, a test rule]
  - id: drop-object
    title: Object dropped
    severity: high
    match:
      command: "DROP *"
    falsepositives: [none, a test rule]
`);
}

/** The billion-laughs shape in YAML: nine levels of aliases, each ten times the one below. */
export function writeBillionLaughs(path: string): void {
  const levels = 'abcdefghi'.split('');
  const lists = levels.map((name, i) => `  ${name}: &${name} [${Array.from({ length: 10 }, () => (i === 0 ? 'lol' : `*${levels[i - 1]}`)).join(', ')}]`);
  writeFileSync(path, `version: 1\nlists:\n${lists.join('\n')}\nrules: []\n`);
}

/**
 * A `%t-%c-` stderr file of `sessions` sessions, each authorized and left with one statement it never
 * finishes (no later statement, no disconnection), then the incident in a session of its own.
 */
export async function writeOpenSessions(path: string, sessions: number): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < sessions; i++) {
    const id = `6b0fb000.${(0x10000 + i).toString(16)}`;
    const rows = `${T}-${id}-LOG:  ${CONNECT}\n${T}-${id}-LOG:  AUDIT: SESSION,1,1,READ,SELECT,TABLE,sales.orders,"SELECT id, total FROM sales.orders WHERE id = ${i};",<not logged>\n`;
    if (!out.write(rows)) await once(out, 'drain');
  }
  out.write(line(CONNECT));
  out.write(line(after(1)));
  out.end();
  await once(out, 'finish');
}
