import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Alert } from '../../shared/model/Alert';
import { type CliRun, runCliCapture } from '../support/runCliCapture';

/** The committed attack fixtures (scripts/generate-attack-fixtures.sh). */
export const ATTACK_FIXTURES = resolve(__dirname, '../fixtures/attacks');

/**
 * How a forgery is recognised in the output, whatever the trust work names it: an alert of its own whose
 * rule id says so (`log-forgery`, `forged-record`, ...), and a count in the scan summary (`3 forged ...`).
 */
export const FORGERY_RULE = /forg/i;
export const FORGED_COUNT = /\b(\d+) forged\b/i;

export interface AttackFile {
  file: string;
  gzip: boolean;
  format: string;
  prefix: string | null;
  run: string;
  /** The format carries `%c` (or a session_id column): alerts are matched to sessions by it, else by pid. */
  sessionIds: boolean;
  /** STATEMENT/DETAIL/CONTEXT are lines (rows) of their own: a forged `STATEMENT:` text is visible as one. */
  statementLines: boolean;
  /**
   * Rows of a session within one second come in any order (as Log Analytics may return them): a forged
   * connection line can precede the genuine one, so "unknown" (contested) is an honest user there.
   */
  scrambled?: boolean;
}

export interface SessionTruth {
  sessionId: string;
  pid: number;
  user: string;
  database: string;
}

export interface Incident {
  rule: string;
  /** A piece of the real statement (as pgaudit logged it). */
  statement: string;
  class: string;
  command: string;
  statementId: number;
  substatementId: number;
}

export interface AttackSession {
  id: string;
  kind: 'benign' | 'attack';
  description: string;
  user: string;
  application: string;
  applicationAsLogged: string;
  truth: Record<string, SessionTruth>;
  incidents: Incident[];
  /** Where a forgery must be reported: every format, only where forged text is a line of its own, nowhere. */
  forgery: 'all' | 'stderr' | 'none';
  forgedRecords: number;
  forgedStatements: number;
  framed: string[];
  /** The role name contains ` database=`: from a connection line alone, "unknown" is an honest answer. */
  ambiguousUser: boolean;
  invisible: string[];
}

export interface Secret {
  token: string;
  source: string;
  inLogs: boolean;
}

export interface Expectations {
  server: string;
  lists: Record<string, string[]>;
  files: AttackFile[];
  sessions: AttackSession[];
  secrets: Secret[];
}

export function readExpectations(dir = ATTACK_FIXTURES): Expectations {
  return JSON.parse(readFileSync(join(dir, 'expectations.json'), 'utf8')) as Expectations;
}

/** The file as the product reads it: committed Azure shapes are gzipped, decompressed here into `tmp`. */
export function inputPath(dir: string, f: AttackFile, tmp: string): string {
  const path = join(dir, f.file);
  if (!f.gzip) return path;
  const out = join(tmp, f.run, basename(f.file, '.gz'));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, gunzipSync(readFileSync(path)));
  return out;
}

export function listArgs(lists: Record<string, string[]>): string[] {
  return Object.entries(lists).flatMap(([name, values]) => ['--list', `${name}=${values.join(',')}`]);
}

/** `scan --input FILE --dry-run [--json]` with the scenario's lists, in-process. */
export async function scanFile(
  path: string,
  f: AttackFile,
  exp: Expectations,
  options: { json?: boolean; rules?: string } = {},
): Promise<CliRun & { alerts: Alert[] }> {
  const args = ['scan', '--input', path, '--format', f.format, '--rules', options.rules ?? 'config/rules.yaml', ...listArgs(exp.lists), '--dry-run'];
  if (f.prefix !== null) args.push('--prefix', f.prefix);
  // Plain log files carry no server name; Azure rows carry their own.
  if (!f.format.startsWith('azure') && !f.format.startsWith('pgsql')) args.push('--server', exp.server);
  if (options.json !== false) args.push('--json');
  const run = await runCliCapture(args);
  const alerts = options.json === false ? [] : run.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Alert);
  return { ...run, alerts };
}

/** Whether the alert is about this session of this run. */
export function inSession(alert: Alert, f: AttackFile, s: AttackSession): boolean {
  const t = s.truth[f.run];
  if (!t) return false;
  return f.sessionIds ? alert.event.sessionId === t.sessionId : alert.event.pid === t.pid;
}

export const describeAlert = (a: Alert) =>
  `${a.rule} user=${JSON.stringify(a.event.user)} session=${a.event.sessionId} pid=${a.event.pid} ${a.event.statementId}/${a.event.substatementId} ${JSON.stringify((a.event.statement ?? '').slice(0, 80))}`;
