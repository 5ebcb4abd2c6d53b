import type { SourceRecord } from '../source/SourceRecord';
import type { LogLinePrefix } from './compileLogLinePrefix';
import type { LogRecord } from './LogRecord';
import { toIsoTime } from './toIsoTime';

/**
 * Applies the log_line_prefix to a line record (structured records pass through). Returns null when the
 * line does not fit the prefix. The row's own time and pid fill in what the prefix does not carry.
 */
export function toLogRecord(source: SourceRecord, prefix: LogLinePrefix): LogRecord | null {
  const base = { location: source.location, server: source.server };
  if (source.fields) {
    return { ...base, ...source.fields, time: prefix.timestamps.toIso(source.fields.time) ?? toIsoTime(source.rowTime, prefix.timestamps), pid: source.fields.pid ?? source.rowPid };
  }
  const line = source.line ?? '';
  const parsed = prefix.parse(line);
  if (parsed) {
    // Filled in place: this runs once per line of the input.
    const record = parsed as LogRecord;
    record.location = source.location;
    record.server = source.server;
    record.time ??= toIsoTime(source.rowTime, prefix.timestamps);
    record.pid ??= source.rowPid;
    return record;
  }
  // Some exports carry the message without prefix and severity; the row's columns give the rest.
  if (line.startsWith('AUDIT: ') && source.rowTime !== null) {
    return {
      ...base, time: toIsoTime(source.rowTime, prefix.timestamps), pid: source.rowPid, sessionId: null, sessionLine: null, user: null,
      database: null, application: null, client: null, severity: 'LOG', message: line,
    };
  }
  return null;
}
