/** The HTTP status of an Azure SDK error (RestError of any SDK copy), or undefined. */
export function azureStatusCode(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/**
 * An Azure SDK error in one line for messages: `HTTP 403 AuthorizationFailure <first line>`. Only the first
 * line of the service message (the rest is request ids); keys and SAS signatures redacted just in case.
 */
export function describeAzureError(err: unknown): string {
  const status = azureStatusCode(err);
  const rawCode = (err as { code?: unknown } | null)?.code;
  const code = typeof rawCode === 'string' ? rawCode : null;
  const raw = err instanceof Error ? err.message : String(err);
  const firstLine = (raw.split('\n')[0] ?? '').replace(/(sig|AccountKey|SharedAccessSignature)=[^;&\s]*/gi, '$1=REDACTED');
  return [status === undefined ? null : `HTTP ${status}`, code, firstLine || null].filter(Boolean).join(' ');
}
