import { type DocumentFields, fieldValue } from './DocumentFields';

/** The fields set by OPENSEARCH_MESSAGE_FIELD / _TIME_FIELD / _SERVER_FIELD; null = detect. */
export interface ConfiguredFields {
  message: string | null;
  time: string | null;
  server: string | null;
}

/**
 * Aiven's log integration writes journald-style documents (`MESSAGE`, `HOSTNAME`, ...) with a `timestamp`
 * (Aiven-Open/journalpump); other shippers use the lower-case or ECS names. Tried in this order.
 */
const MESSAGE_FIELDS = ['MESSAGE', 'message', 'msg', 'log', 'Message'];
const TIME_FIELDS = ['timestamp', '@timestamp', 'time', 'TimeGenerated'];
const SERVER_FIELDS = ['HOSTNAME', 'hostname', 'host', 'host.name', 'server', 'SERVICE_NAME', 'service_name'];

/** How many documents detection looks at. */
export const FIELD_SAMPLE = 50;

/**
 * Chooses the fields for the documents of a window: the configured ones, else the first known name that
 * holds the right kind of value in the sample, else (for the message) the string field that most often
 * holds a PostgreSQL record. With no sample at all the Aiven names are used and marked `default`.
 */
export function detectDocumentFields(sample: readonly Record<string, unknown>[], configured: ConfiguredFields): DocumentFields {
  const docs = sample.slice(0, FIELD_SAMPLE);
  const pick = (set: string | null, known: string[], fits: (v: unknown) => boolean, fallback: () => string | null) => {
    if (set !== null) return { name: set, how: 'set' as const };
    const found = known.find((name) => docs.some((d) => fits(fieldValue(d, name)))) ?? fallback();
    if (found !== null && docs.length > 0) return { name: found, how: 'detected' as const };
    return { name: known[0]!, how: 'default' as const };
  };
  const message = pick(configured.message, MESSAGE_FIELDS, isText, () => mostRecordLike(docs));
  const time = pick(configured.time, TIME_FIELDS, isTime, () => null);
  const server = pick(configured.server, SERVER_FIELDS, isText, () => null);
  return {
    message: message.name,
    time: time.name,
    // A server field that no document has is worse than none: events would say "unknown" either way.
    server: server.how === 'default' && docs.length > 0 ? null : server.name,
    how: { message: message.how, time: time.how, server: server.how },
  };
}

function isText(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}

function isTime(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

/** The top-level string field whose values most often look like a PostgreSQL log record. */
function mostRecordLike(docs: readonly Record<string, unknown>[]): string | null {
  const counts = new Map<string, number>();
  for (const doc of docs) {
    for (const [name, value] of Object.entries(doc)) {
      if (typeof value === 'string' && /\b(?:LOG|ERROR|WARNING|FATAL|STATEMENT):  /.test(value)) counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  }
  let best: string | null = null;
  for (const [name, n] of counts) if (best === null || n > counts.get(best)!) best = name;
  return best;
}
