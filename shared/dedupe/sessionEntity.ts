import type { TableEntity, TableEntityResult } from '@azure/data-tables';
import type { SessionContext } from './StateStore';
import { tableKey } from './tableKey';

/** Session row: partitioned by server; `seenAtTime` is the typed copy of `seenAt` that cleanup filters on. */
export interface SessionRow {
  server: string;
  sessionId: string;
  user?: string;
  database?: string;
  application?: string;
  client?: string;
  seenAt: string;
  seenAtTime: Date;
}

export function sessionKeys(server: string, sessionId: string): { partitionKey: string; rowKey: string } {
  return { partitionKey: tableKey(server), rowKey: tableKey(sessionId) };
}

export function toSessionEntity(context: SessionContext): TableEntity<SessionRow> {
  const seen = Date.parse(context.seenAt);
  const row: TableEntity<SessionRow> = {
    ...sessionKeys(context.server, context.sessionId),
    server: context.server,
    sessionId: context.sessionId,
    seenAt: context.seenAt,
    // An unparseable time would make the row immortal; date it now so cleanup eventually removes it.
    seenAtTime: Number.isNaN(seen) ? new Date() : new Date(seen),
  };
  for (const field of ['user', 'database', 'application', 'client'] as const) {
    const value = context[field];
    if (value !== null) row[field] = value;
  }
  return row;
}

export function fromSessionEntity(row: TableEntityResult<SessionRow>): SessionContext {
  return {
    server: row.server,
    sessionId: row.sessionId,
    user: row.user ?? null,
    database: row.database ?? null,
    application: row.application ?? null,
    client: row.client ?? null,
    seenAt: row.seenAt,
  };
}
