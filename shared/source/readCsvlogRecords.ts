import type { LineBatch } from './readLines';
import { MAX_RECORD_CHARS } from './sourceLimits';
import { splitAuditCsv } from './splitAuditCsv';
import type { SourceItem, StructuredFields } from './SourceRecord';

/**
 * PostgreSQL csvlog. Fields are RFC 4180-quoted and may span lines, so a record ends where the
 * number of quote characters seen so far is even (a doubled quote inside a field counts twice).
 * Column order (PG 13–17): log_time, user_name, database_name, process_id, connection_from, session_id,
 * session_line_num, command_tag, session_start_time, virtual_transaction_id, transaction_id,
 * error_severity, sql_state_code, message, ..., application_name (23rd), backend_type, leader_pid, query_id.
 * A record longer than MAX_RECORD_CHARS keeps its first MAX_RECORD_CHARS (the quotes of the rest are
 * still counted, so the records after it are read as usual).
 */
export async function* readCsvlogRecords(batches: AsyncIterable<LineBatch>, name: string, server: string | null, maxChars = MAX_RECORD_CHARS): AsyncGenerator<SourceItem[]> {
  let pieces: string[] = [];
  let length = 0;
  let oversized = false;
  let quotes = 0;
  let startLine = 0;
  let lineNo = 0;
  for await (const { lines, cut } of batches) {
    const out: SourceItem[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      lineNo++;
      const dropped = cut?.get(i);
      if (dropped !== undefined) {
        quotes += dropped;
        oversized = true;
      }
      if (pieces.length === 0) {
        startLine = lineNo;
        pieces.push(line);
        length = line.length;
      } else if (length + 1 + line.length <= maxChars) {
        pieces.push(line);
        length += 1 + line.length;
      } else {
        const room = maxChars - length - 1;
        if (room > 0) pieces.push(line.slice(0, room));
        length = maxChars;
        oversized = true;
      }
      quotes += countQuotes(line);
      if (quotes % 2 !== 0) continue;
      out.push(toItem(pieces.length === 1 ? pieces[0]! : pieces.join('\n'), `${name}:${startLine}`, server, oversized));
      pieces = [];
      length = 0;
      oversized = false;
      quotes = 0;
    }
    if (out.length > 0) yield out;
  }
  if (pieces.length > 0) yield [{ problem: { location: `${name}:${startLine}`, message: 'csvlog record ends inside a quoted field (file cut short?)' } }];
}

function toItem(text: string, location: string, server: string | null, oversized: boolean): SourceItem {
  if (text === '') return { problem: { location, message: 'empty line' } };
  const { fields: f } = splitAuditCsv(text);
  if (f.length < 14 || !f[11] || f[13] === undefined) {
    return { problem: { location, message: `not a csvlog record (${f.length} columns)` } };
  }
  const fields: StructuredFields = {
    time: f[0] || null,
    user: f[1] || null,
    database: f[2] || null,
    pid: f[3] ? Number(f[3]) : null,
    client: f[4] ? f[4].replace(/:\d+$/, '') : null,
    sessionId: f[5] || null,
    sessionLine: f[6] ? Number(f[6]) : null,
    severity: f[11],
    message: f[13],
    application: f[22] || null,
  };
  return { record: { location, server, fields, rowTime: null, rowPid: null, ...(oversized ? { oversized: true } : {}) } };
}

function countQuotes(line: string): number {
  let count = 0;
  for (let i = line.indexOf('"'); i !== -1; i = line.indexOf('"', i + 1)) count++;
  return count;
}
