import { parseLogTimestamp } from './parseLogTimestamp';
import type { SourceItem } from './SourceRecord';

/** PostgreSQL jsonlog (PG15+): one JSON object per line. */
export async function* readJsonlogRecords(batches: AsyncIterable<string[]>, name: string, server: string | null): AsyncGenerator<SourceItem[]> {
  let lineNo = 0;
  for await (const batch of batches) {
    const out: SourceItem[] = [];
    for (const line of batch) {
      lineNo++;
      if (line.trim() !== '') out.push(jsonlogItem(line, `${name}:${lineNo}`, server));
    }
    if (out.length > 0) yield out;
  }
}

function jsonlogItem(line: string, location: string, server: string | null): SourceItem {
  let row: Record<string, unknown>;
  try {
    row = JSON.parse(line) as Record<string, unknown>;
  } catch (err) {
    return { problem: { location, message: `not JSON: ${(err as Error).message}` } };
  }
  if (typeof row.message !== 'string' || typeof row.error_severity !== 'string') {
    return { problem: { location, message: 'jsonlog record without "message" and "error_severity"' } };
  }
  return {
    record: {
      location,
      server,
      rowTime: null,
      rowPid: null,
      fields: {
        time: parseLogTimestamp(str(row.timestamp)),
        pid: typeof row.pid === 'number' ? row.pid : null,
        sessionId: str(row.session_id),
        sessionLine: typeof row.line_num === 'number' ? row.line_num : null,
        user: str(row.user),
        database: str(row.dbname),
        application: str(row.application_name),
        client: str(row.remote_host),
        severity: row.error_severity,
        message: row.message,
        context: str(row.context),
      },
    },
  };
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
