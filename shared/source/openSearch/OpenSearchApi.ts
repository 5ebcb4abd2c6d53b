/** The three REST calls the source makes, over the official client (createOpenSearchApi). */
export interface OpenSearchApi {
  /** `POST /<index>/_search/point_in_time?keep_alive=…` → the PIT id. */
  createPit(index: string, keepAlive: string): Promise<string>;
  /** `POST /_search` with a `pit` in the body (or `POST /<index>/_search` without one). */
  search(body: Record<string, unknown>, index?: string): Promise<SearchResponse>;
  /** `DELETE /_search/point_in_time`. */
  deletePit(pitId: string): Promise<void>;
  /** For messages: the service URL without credentials. */
  readonly description: string;
}

export interface SearchHit {
  _index: string;
  _id: string;
  _source?: unknown;
  sort?: unknown[];
}

export interface ShardFailure {
  index?: string;
  reason?: { type?: string; reason?: string };
}

export interface SearchResponse {
  pit_id?: string;
  _shards?: { failed?: number; failures?: ShardFailure[] };
  hits: { hits: SearchHit[] };
}

/**
 * A failed request, named by what was asked (`open a point in time on logs-*`) and where; `status` is the
 * HTTP status (null: no answer), `type` OpenSearch's error type (`search_context_missing_exception`).
 */
export class OpenSearchRequestError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly type: string | null,
    /** Retry-After in ms, when the service sent one. */
    readonly retryAfterMs: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OpenSearchRequestError';
  }
}
