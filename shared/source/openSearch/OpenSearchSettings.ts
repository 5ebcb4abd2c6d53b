/**
 * The OpenSearch source's settings (OPENSEARCH_*), as loadSettings validates them. A field left null is
 * detected from the documents (see detectDocumentFields).
 */
export interface OpenSearchSettings {
  /** OPENSEARCH_URL: `https://host:port`, without credentials; null = the source is off. */
  openSearchUrl: string | null;
  openSearchUsername: string | null;
  /** OPENSEARCH_PASSWORD: a secret (scrubbed from every output). */
  openSearchPassword: string | null;
  /** OPENSEARCH_CA_CERT: PEM of the service's CA (Aiven projects have their own); null = the system CAs. */
  openSearchCaCert: string | null;
  /** OPENSEARCH_INDEX: index pattern, e.g. `logs-*` (daily indexes `logs-2026-12-02`). */
  openSearchIndex: string;
  openSearchMessageField: string | null;
  openSearchTimeField: string | null;
  openSearchServerField: string | null;
  /** OPENSEARCH_MAX_LATENESS: how long after its time a document may still be indexed and be seen. */
  openSearchMaxLatenessMs: number;
}
