import { decodeJsonRow } from './decodeJsonRow';
import type { LineBatch } from './readLines';
import type { SourceItem } from './SourceRecord';

/** PostgreSQL jsonlog (PG15+): one JSON object per line. */
export async function* readJsonlogRecords(batches: AsyncIterable<LineBatch>, name: string, server: string | null): AsyncGenerator<SourceItem[]> {
  let lineNo = 0;
  for await (const { lines, cut } of batches) {
    const out: SourceItem[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      lineNo++;
      if (line.trim() !== '') out.push(jsonlogItem(line, `${name}:${lineNo}`, server, cut?.has(i) === true));
    }
    if (out.length > 0) yield out;
  }
}

function jsonlogItem(line: string, location: string, server: string | null, cut: boolean): SourceItem {
  const decoded = decodeJsonRow(line, cut);
  if ('problem' in decoded) return { problem: { location, message: decoded.problem } };
  const row = decoded.value as Record<string, unknown>;
  if (typeof row !== 'object' || row === null || typeof row.message !== 'string' || typeof row.error_severity !== 'string') {
    return { problem: { location, message: 'jsonlog record without "message" and "error_severity"' } };
  }
  return {
    record: {
      location,
      server,
      rowTime: null,
      rowPid: null,
      ...(cut ? { oversized: true } : {}),
      fields: {
        time: str(row.timestamp),
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

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
