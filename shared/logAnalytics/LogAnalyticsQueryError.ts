/** The ingestion window a query was for, as named in messages. */
export interface WindowLabel {
  ingestedAfter: Date;
  ingestedBefore: Date;
}

/**
 * A Log Analytics query that could not be completed (after retries and splitting). The scan must not
 * advance its watermark: the next run reads the same window again. The message names the workspace and
 * the window; it never carries a token (the cause is a summary of the HTTP error, not the request).
 */
export class LogAnalyticsQueryError extends Error {
  override readonly name = 'LogAnalyticsQueryError';
  readonly code = 'LOG_ANALYTICS_QUERY_FAILED';
  constructor(
    readonly workspaceId: string,
    readonly window: WindowLabel | null,
    reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(
      `Log Analytics query failed for workspace ${workspaceId}` +
        (window ? `, ingestion window ${window.ingestedAfter.toISOString()}..${window.ingestedBefore.toISOString()}` : '') +
        `: ${reason}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
  }
}
