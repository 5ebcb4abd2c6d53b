import { parseLogTimestamp } from '../parse/parseLogTimestamp';
import type { SourceItem } from './SourceRecord';

/** PostgreSQL jsonlog (PG15+): one JSON object per line. */
export async function* readJsonlogRecords(lines: AsyncIterable<string>, name: string, server: string | null): AsyncGenerator<SourceItem> {
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    const location = `${name}:${lineNo}`;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch (err) {
      yield { problem: { location, message: `not JSON: ${(err as Error).message}` } };
      continue;
    }
    if (typeof row.message !== 'string' || typeof row.error_severity !== 'string') {
      yield { problem: { location, message: 'jsonlog record without "message" and "error_severity"' } };
      continue;
    }
    yield {
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
        },
      },
    };
  }
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
