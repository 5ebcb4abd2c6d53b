import { parseLogTimestamp } from './parseLogTimestamp';
import { splitAuditCsv } from './splitAuditCsv';
import type { SourceItem, StructuredFields } from './SourceRecord';

/**
 * PostgreSQL csvlog. Fields are RFC 4180-quoted and may span lines, so a record ends where the
 * number of quote characters seen so far is even (a doubled quote inside a field counts twice).
 * Column order (PG 13–17): log_time, user_name, database_name, process_id, connection_from, session_id,
 * session_line_num, command_tag, session_start_time, virtual_transaction_id, transaction_id,
 * error_severity, sql_state_code, message, detail, hint, internal_query, internal_query_pos, context, query, query_pos, location, application_name (23rd), backend_type, leader_pid, query_id.
 */
export async function* readCsvlogRecords(batches: AsyncIterable<string[]>, name: string, server: string | null): AsyncGenerator<SourceItem[]> {
  let buffer: string | null = null;
  let quotes = 0;
  let startLine = 0;
  let lineNo = 0;
  for await (const batch of batches) {
    const out: SourceItem[] = [];
    for (const line of batch) {
      lineNo++;
      if (buffer === null) {
        buffer = line;
        startLine = lineNo;
      } else {
        buffer += '\n' + line;
      }
      quotes += countQuotes(line);
      if (quotes % 2 !== 0) continue;
      out.push(toItem(buffer, `${name}:${startLine}`, server));
      buffer = null;
      quotes = 0;
    }
    if (out.length > 0) yield out;
  }
  if (buffer !== null) yield [{ problem: { location: `${name}:${startLine}`, message: 'csvlog record ends inside a quoted field (file cut short?)' } }];
}

function toItem(text: string, location: string, server: string | null): SourceItem {
  if (text === '') return { problem: { location, message: 'empty line' } };
  const { fields: f } = splitAuditCsv(text);
  if (f.length < 14 || !f[11] || f[13] === undefined) {
    return { problem: { location, message: `not a csvlog record (${f.length} columns)` } };
  }
  const fields: StructuredFields = {
    time: parseLogTimestamp(f[0]),
    user: f[1] || null,
    database: f[2] || null,
    pid: f[3] ? Number(f[3]) : null,
    client: f[4] ? f[4].replace(/:\d+$/, '') : null,
    sessionId: f[5] || null,
    sessionLine: f[6] ? Number(f[6]) : null,
    severity: f[11],
    message: f[13],
    application: f[22] || null,
    // A genuine pgAudit or connection record never has one; RAISE from PL/pgSQL always does.
    context: f[18] || null,
  };
  return { record: { location, server, fields, rowTime: null, rowPid: null } };
}

function countQuotes(line: string): number {
  let count = 0;
  for (let i = line.indexOf('"'); i !== -1; i = line.indexOf('"', i + 1)) count++;
  return count;
}
