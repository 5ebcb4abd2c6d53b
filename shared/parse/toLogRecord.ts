import type { SourceRecord } from '../source/SourceRecord';
import type { LogLinePrefix } from './compileLogLinePrefix';
import type { LogRecord } from './LogRecord';

/**
 * Applies the log_line_prefix to a line record (structured records pass through). Returns null when the
 * line does not fit the prefix. The row's own time and pid fill in what the prefix does not carry.
 */
export function toLogRecord(source: SourceRecord, prefix: LogLinePrefix): LogRecord | null {
  const base = { location: source.location, server: source.server };
  if (source.fields) {
    return { ...base, ...source.fields, time: source.fields.time ?? source.rowTime, pid: source.fields.pid ?? source.rowPid };
  }
  const line = source.line ?? '';
  const parsed = prefix.parse(line);
  if (parsed) return { ...base, ...parsed, time: parsed.time ?? source.rowTime, pid: parsed.pid ?? source.rowPid };
  // Some exports carry the message without prefix and severity; the row's columns give the rest.
  if (line.startsWith('AUDIT: ') && source.rowTime !== null) {
    return {
      ...base, time: source.rowTime, pid: source.rowPid, sessionId: null, sessionLine: null, user: null,
      database: null, application: null, client: null, severity: 'LOG', message: line,
    };
  }
  return null;
}
