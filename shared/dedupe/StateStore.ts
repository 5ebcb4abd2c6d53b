import type { Alert } from '../model/Alert';

/**
 * Everything a scan remembers between runs. Two implementations: Azure Table Storage (production,
 * Azurite in tests) and in-memory (tests, single-process use); one contract test suite runs against both.
 *
 * Delivery order (see deliverAlerts): claim ledger rows (insert-if-absent) → send → mark sent → advance
 * the watermark. A claim that already exists means another run owns (or already sent) that alert.
 */
export interface StateStore {
  getWatermark(scope: string): Promise<Watermark | null>;
  /**
   * Writes the watermark and resolves to its new etag. `expectedEtag` undefined: unconditional write;
   * a string: only if the stored row still has that etag; null: only if no watermark exists yet.
   * Otherwise throws ConcurrencyError (another run wrote first).
   */
  setWatermark(scope: string, watermark: Watermark, expectedEtag?: string | null): Promise<string>;

  /**
   * Insert-if-absent of the ledger row for (alert key, destination, transport), status `pending`, leased
   * until `leaseUntil`. Returns false when a row already exists (sent, pending or parked by any run).
   */
  claimDelivery(entry: NewLedgerEntry): Promise<boolean>;
  /** `transport` null reads the destination-level row of a version before per-transport delivery. */
  getDelivery(key: string, destination: string, transport: string | null): Promise<LedgerEntry | null>;
  /** Conditional update on the row's etag; throws ConcurrencyError when another run changed it first. */
  updateDelivery(entry: LedgerEntry, patch: LedgerPatch): Promise<LedgerEntry>;
  /** The outbox: rows still `pending` whose lease ran out (a failed or crashed run left them). */
  listDue(now: Date, limit?: number): Promise<LedgerEntry[]>;

  getSession(server: string, sessionId: string): Promise<SessionContext | null>;
  putSession(context: SessionContext): Promise<void>;

  /**
   * Table Storage has no TTL: deletes `sent`, `parked` and `moved` ledger rows created before `before`, and sessions
   * seen before it. Returns rows deleted. `pending` rows are never deleted: they are alerts not yet delivered.
   * `before` must lie before the scan's re-read window, or a re-read alert whose row is gone is sent again.
   */
  cleanup(before: Date): Promise<number>;
}

export interface Watermark {
  /** Rows ingested up to this instant have been processed. */
  ingestedThrough: string;
  /** Last time rows were seen, per server (for SILENCE_ALERT_AFTER). */
  lastSeenByServer: Record<string, string>;
  /** Consecutive failed runs (for the self-monitoring alert). */
  consecutiveFailures: number;
  lastError?: string | null;
  /** Opaque concurrency token from the store (read-only for callers). */
  etag?: string;
}

/**
 * `moved`: a destination-level row from before per-transport delivery whose alert now lives in one row per
 * transport (the outbox moved it there); kept until cleanup so the move is visible and never repeated.
 */
export type DeliveryStatus = 'pending' | 'sent' | 'parked' | 'moved';

export interface NewLedgerEntry {
  key: string;
  destination: string;
  /**
   * `slack`, `email`, ...: each transport of a destination has its own row, retries and outcome.
   * null marks a row written before per-transport delivery (one row per destination); the outbox
   * fans such a row out into one row per transport the destination now has (see migrateLegacyRows).
   */
  transport: string | null;
  /** The alert to (re)send; stores cap its statement text to fit a 64 KiB property. */
  alert: Alert;
  leaseUntil: Date;
  createdAt: Date;
}

export interface LedgerEntry extends NewLedgerEntry {
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
  etag: string;
}

export type LedgerPatch = Partial<Pick<LedgerEntry, 'status' | 'attempts' | 'lastError' | 'sentAt' | 'leaseUntil'>>;

export interface SessionContext {
  server: string;
  sessionId: string;
  user: string | null;
  database: string | null;
  application: string | null;
  client: string | null;
  /** When the session's connection line was logged. */
  seenAt: string;
}

export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';
}
