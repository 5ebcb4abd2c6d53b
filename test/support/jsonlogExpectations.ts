import { readFileSync } from 'node:fs';

/**
 * What the parser should produce for a real server's log, derived INDEPENDENTLY of the production code:
 * PostgreSQL's own jsonlog gives every record's session_id, pid, user, dbname, application_name and
 * remote_host as columns, so the only pgaudit knowledge needed is a plain CSV split (written here,
 * char by char) and "group by (session_id, statement id, substatement id)".
 */
export interface JsonlogRecord {
  timestamp: string;
  user?: string;
  dbname?: string;
  pid: number;
  remote_host?: string;
  session_id: string;
  line_num: number;
  error_severity: string;
  message: string;
  application_name?: string;
  state_code?: string;
}

export function readJsonlogFile(path: string): JsonlogRecord[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as JsonlogRecord);
}

/** RFC 4180 split, one character at a time (pgaudit quotes a field only when it must). Throws on a cut-off quote. */
export function csvFields(text: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let atFieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      atFieldStart = true;
    } else {
      field += ch;
      atFieldStart = false;
    }
  }
  if (quoted) throw new Error(`unterminated quoted field in ${JSON.stringify(text.slice(0, 80))}`);
  fields.push(field);
  return fields;
}

export interface ExpectedLine {
  auditType: string;
  class: string;
  command: string;
  objectType: string | null;
  objectName: string | null;
}

export interface ExpectedEvent {
  sessionId: string;
  pid: number;
  /** Time of the first line, ms since the epoch. */
  timeMs: number;
  user: string | null;
  database: string | null;
  /** application_name of the first line (what a prefix with %a, csvlog and jsonlog show). */
  application: string | null;
  /** application_name of the session's `connection authorized` line (all a prefix without %a can know). */
  connectionApplication: string | null;
  client: string | null;
  auditType: string;
  statementId: number;
  substatementId: number;
  class: string;
  command: string;
  objects: { type: string | null; name: string }[];
  lines: ExpectedLine[];
  statement: string | null;
  parameters: (string | null)[] | null;
  rows: number | null;
}

const MARKERS = ['<not logged>', '<previously logged>', '<none>'];

export function jsonlogTimeMs(timestamp: string): number {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3}) UTC$/.exec(timestamp);
  if (!m) throw new Error(`jsonlog timestamp ${timestamp} is not UTC with milliseconds`);
  return Date.parse(`${m[1]}T${m[2]}Z`);
}

/** Every AUDIT record of the jsonlog (optionally only those `keep` accepts), grouped per session + ids, in log order. */
export function expectedEvents(records: JsonlogRecord[], keep: (r: JsonlogRecord) => boolean = () => true): ExpectedEvent[] {
  const connectionApp = new Map<string, string | null>();
  for (const r of records) {
    const m = /^connection authorized: user=\S+ database=\S+(?: application_name=(.*))?$/.exec(r.message);
    if (m) connectionApp.set(r.session_id, m[1] ?? null);
  }
  const events = new Map<string, ExpectedEvent>();
  for (const r of records) {
    if (!r.message.startsWith('AUDIT: ') || !keep(r)) continue;
    const f = csvFields(r.message.slice('AUDIT: '.length));
    if (f.length !== 9 && f.length !== 10) throw new Error(`${f.length} fields in ${r.message.slice(0, 100)}`);
    const [auditType, stmt, sub, cls, command, objectType, objectName, statement, parameter, rows] = f as [
      string, string, string, string, string, string, string, string, string, string | undefined,
    ];
    const key = `${r.session_id}/${stmt}/${sub}`;
    let e = events.get(key);
    if (!e) {
      e = {
        sessionId: r.session_id, pid: r.pid, timeMs: jsonlogTimeMs(r.timestamp), user: r.user ?? null,
        database: r.dbname ?? null, application: r.application_name || null,
        connectionApplication: connectionApp.get(r.session_id) ?? null, client: r.remote_host ?? null,
        auditType, statementId: Number(stmt), substatementId: Number(sub), class: cls, command,
        objects: [], lines: [], statement: null, parameters: null, rows: null,
      };
      events.set(key, e);
    }
    const line: ExpectedLine = { auditType, class: cls, command, objectType: objectType || null, objectName: objectName || null };
    if (!e.lines.some((l) => JSON.stringify(l) === JSON.stringify(line))) e.lines.push(line);
    if (objectName && !e.objects.some((o) => o.name === objectName && o.type === (objectType || null))) {
      e.objects.push({ type: objectType || null, name: objectName });
    }
    if (e.statement === null && !MARKERS.includes(statement)) e.statement = statement;
    if (e.parameters === null && !MARKERS.includes(parameter)) {
      e.parameters = parameter === '' ? [null] : csvFields(parameter).map((v) => (v === '' ? null : v));
    }
    if (e.rows === null && rows !== undefined && rows !== '') e.rows = Number(rows);
  }
  return [...events.values()];
}
