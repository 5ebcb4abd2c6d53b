/** Which document fields hold a log record's text, its time and its server, and how each was chosen. */
export interface DocumentFields {
  message: string;
  time: string;
  /** null: no server field (events then carry no server). */
  server: string | null;
  /** `set` (OPENSEARCH_*_FIELD), `detected` (from the first documents), `default` (nothing to detect from). */
  how: { message: FieldChoice; time: FieldChoice; server: FieldChoice };
}

export type FieldChoice = 'set' | 'detected' | 'default';

/** One line for summaries: `message MESSAGE (detected), time timestamp (detected), server HOSTNAME (set)`. */
export function describeFields(fields: DocumentFields): string {
  return (
    `message ${fields.message} (${fields.how.message}), time ${fields.time} (${fields.how.time}), ` +
    `server ${fields.server ?? 'none'} (${fields.how.server})`
  );
}

/** A field of a document, by name or dotted path (`log.message`). */
export function fieldValue(doc: Record<string, unknown>, path: string): unknown {
  if (path in doc) return doc[path];
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
