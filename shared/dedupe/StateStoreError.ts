import { RestError } from '@azure/data-tables';

/**
 * A state store operation failed for a reason other than a lost race (that is ConcurrencyError).
 * The message names the table and operation; the connection string and account key never appear in it.
 */
export class StateStoreError extends Error {
  override readonly name = 'StateStoreError';
  readonly table: string;
  readonly operation: string;
  readonly statusCode: number | undefined;
  constructor(table: string, operation: string, cause: unknown) {
    super(`State store: ${operation} on table ${table} failed: ${describe(cause)}`, { cause });
    this.table = table;
    this.operation = operation;
    this.statusCode = statusCodeOf(cause);
  }
}

export function statusCodeOf(err: unknown): number | undefined {
  if (err instanceof RestError) return err.statusCode;
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

function describe(err: unknown): string {
  const status = statusCodeOf(err);
  const code = err instanceof RestError ? err.code : undefined;
  // The service message's first line only (the rest is request ids); SAS signatures redacted just in case.
  const raw = err instanceof Error ? err.message : String(err);
  const firstLine = (raw.split('\n')[0] ?? '').replace(/(sig|AccountKey|SharedAccessSignature)=[^;&\s]*/gi, '$1=REDACTED');
  return [status === undefined ? null : `HTTP ${status}`, code ?? null, firstLine || null].filter(Boolean).join(' ');
}
