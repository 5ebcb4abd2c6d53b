import type { Alert } from '../model/Alert';
import { fitAlertForStorage } from './fitAlertForStorage';
import {
  ConcurrencyError,
  type LedgerEntry,
  type LedgerPatch,
  type NewLedgerEntry,
  type SessionContext,
  type StateStore,
  type Watermark,
} from './StateStore';

/**
 * StateStore in process memory: for tests, the CLI and single-process use. Same contract as the Table
 * Storage store (one test suite runs against both), including the alert size cap and etag checks.
 * Values are copied in and out so callers cannot change stored state by mutating what they hold.
 */
export class MemoryStateStore implements StateStore {
  private readonly watermarks = new Map<string, Watermark & { etag: string }>();
  private readonly ledger = new Map<string, LedgerEntry>();
  private readonly sessions = new Map<string, SessionContext>();
  private nextEtag = 1;

  async getWatermark(scope: string): Promise<Watermark | null> {
    await tick();
    const found = this.watermarks.get(scope);
    return found ? structuredClone(found) : null;
  }

  async setWatermark(scope: string, watermark: Watermark, expectedEtag?: string | null): Promise<string> {
    await tick();
    const current = this.watermarks.get(scope);
    if (expectedEtag === null && current) throw new ConcurrencyError(`Watermark for ${scope} already exists`);
    if (typeof expectedEtag === 'string' && current?.etag !== expectedEtag) {
      throw new ConcurrencyError(`Watermark for ${scope} was changed by another run`);
    }
    const etag = this.etag();
    const { etag: _ignored, ...value } = watermark;
    this.watermarks.set(scope, { ...structuredClone(value), lastError: value.lastError ?? null, etag });
    return etag;
  }

  async claimDelivery(entry: NewLedgerEntry): Promise<boolean> {
    await tick();
    const id = ledgerId(entry.key, entry.destination, entry.transport);
    if (this.ledger.has(id)) return false;
    this.ledger.set(id, {
      key: entry.key,
      destination: entry.destination,
      transport: entry.transport,
      alert: storedAlert(entry.alert),
      leaseUntil: new Date(entry.leaseUntil),
      createdAt: new Date(entry.createdAt),
      status: 'pending',
      attempts: 0,
      lastError: null,
      sentAt: null,
      etag: this.etag(),
    });
    return true;
  }

  async getDelivery(key: string, destination: string, transport: string | null): Promise<LedgerEntry | null> {
    await tick();
    const found = this.ledger.get(ledgerId(key, destination, transport));
    return found ? structuredClone(found) : null;
  }

  async updateDelivery(entry: LedgerEntry, patch: LedgerPatch): Promise<LedgerEntry> {
    await tick();
    const id = ledgerId(entry.key, entry.destination, entry.transport);
    const current = this.ledger.get(id);
    if (!current || current.etag !== entry.etag) {
      throw new ConcurrencyError(`Delivery of ${entry.key} to ${entry.destination} was changed by another run`);
    }
    const updated: LedgerEntry = { ...structuredClone(entry), ...structuredClone(patch), etag: this.etag() };
    updated.alert = storedAlert(updated.alert);
    this.ledger.set(id, updated);
    return structuredClone(updated);
  }

  async listDue(now: Date, limit = 100): Promise<LedgerEntry[]> {
    await tick();
    return [...this.ledger.values()]
      .filter((e) => e.status === 'pending' && e.leaseUntil.getTime() <= now.getTime())
      .slice(0, limit)
      .map((e) => structuredClone(e));
  }

  async getSession(server: string, sessionId: string): Promise<SessionContext | null> {
    await tick();
    const found = this.sessions.get(sessionIdOf(server, sessionId));
    return found ? { ...found } : null;
  }

  async putSession(context: SessionContext): Promise<void> {
    await tick();
    this.sessions.set(sessionIdOf(context.server, context.sessionId), { ...context });
  }

  async cleanup(before: Date): Promise<number> {
    await tick();
    let deleted = 0;
    for (const [id, e] of this.ledger) {
      if (e.status !== 'pending' && e.createdAt.getTime() < before.getTime()) {
        this.ledger.delete(id);
        deleted++;
      }
    }
    for (const [id, s] of this.sessions) {
      if (Date.parse(s.seenAt) < before.getTime()) {
        this.sessions.delete(id);
        deleted++;
      }
    }
    return deleted;
  }

  private etag(): string {
    return `m${this.nextEtag++}`;
  }
}

// JSON arrays cannot be confused with each other, whatever characters the parts contain.
// A destination-level row (transport null, from before per-transport delivery) has its old id.
const ledgerId = (key: string, destination: string, transport: string | null) =>
  JSON.stringify(transport === null ? [destination, key] : [destination, key, transport]);
const sessionIdOf = (server: string, sessionId: string) => JSON.stringify([server, sessionId]);

/** The same size cap as Table Storage, so both stores hand back the same (possibly cut) alert. */
const storedAlert = (alert: Alert): Alert => JSON.parse(fitAlertForStorage(alert)) as Alert;

/** Every operation yields once, like a network store, so concurrent callers really interleave in tests. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
