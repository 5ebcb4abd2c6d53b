import { odata, TableClient, type TableEntityResult } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import { fromLedgerEntity, ledgerPartition, ledgerRowKey, toLedgerEntity, type LedgerRow } from './ledgerEntity';
import { fromSessionEntity, sessionKeys, toSessionEntity, type SessionRow } from './sessionEntity';
import {
  ConcurrencyError,
  type LedgerEntry,
  type LedgerPatch,
  type NewLedgerEntry,
  type SessionContext,
  type StateStore,
  type Watermark,
} from './StateStore';
import { StateStoreError, statusCodeOf } from './StateStoreError';
import { fromWatermarkEntity, toWatermarkEntity, watermarkKeys, type WatermarkRow } from './watermarkEntity';
import { deleteRows } from './deleteRows';
import { stateTableNames } from './stateTableNames';

export interface TableStateStoreOptions {
  /** Table names are `<prefix>Watermarks`, `<prefix>Ledger`, `<prefix>Sessions`; alphanumeric, default `pgaudit`. */
  tablePrefix?: string;
}

export interface TableStateStoreClients {
  watermarks: TableClient;
  ledger: TableClient;
  sessions: TableClient;
}

/**
 * StateStore on Azure Table Storage (Azurite in tests). Tables are created on first use. Insert-if-absent
 * is createEntity (409 when present); every update is conditional on the etag the caller read (412 when
 * another run wrote first → ConcurrencyError). Other failures are StateStoreError naming table and operation.
 */
export class TableStateStore implements StateStore {
  private readonly ready = new Map<TableClient, Promise<void>>();

  constructor(private readonly tables: TableStateStoreClients) {}

  /** Account key, SAS or `UseDevelopmentStorage=true` connection string; http endpoints (Azurite) allowed. */
  static fromConnectionString(connectionString: string, options: TableStateStoreOptions = {}): TableStateStore {
    const insecure = /DefaultEndpointsProtocol=http;|TableEndpoint=http:\/\//i.test(connectionString);
    return new TableStateStore(clientsFor(options, (name) =>
      TableClient.fromConnectionString(connectionString, name, insecure ? { allowInsecureConnection: true } : {})));
  }

  /**
   * Identity-based access to a table endpoint (`https://<account>.table.<cloud suffix>`, see
   * Settings.storageTableEndpoint): needs Storage Table Data Contributor. http only to this machine (Azurite).
   */
  static fromEndpoint(endpoint: string, credential: TokenCredential, options: TableStateStoreOptions = {}): TableStateStore {
    return new TableStateStore(clientsFor(options, (name) => new TableClient(endpoint, name, credential)));
  }

  async getWatermark(scope: string): Promise<Watermark | null> {
    const { partitionKey, rowKey } = watermarkKeys(scope);
    const row = await this.run(this.tables.watermarks, 'getWatermark', () =>
      this.tables.watermarks.getEntity<WatermarkRow>(partitionKey, rowKey), { 404: () => null });
    return row ? fromWatermarkEntity(row) : null;
  }

  async setWatermark(scope: string, watermark: Watermark, expectedEtag?: string | null): Promise<string> {
    const entity = toWatermarkEntity(scope, watermark);
    const client = this.tables.watermarks;
    const lost = () => { throw new ConcurrencyError(`Watermark for ${scope} was written by another run`); };
    const response = await this.run(client, 'setWatermark', () =>
      expectedEtag === undefined ? client.upsertEntity(entity, 'Replace')
        : expectedEtag === null ? client.createEntity(entity)
          : client.updateEntity(entity, 'Replace', { etag: expectedEtag }),
    { 409: lost, 412: lost, 404: lost });
    return response.etag ?? '';
  }

  async claimDelivery(entry: NewLedgerEntry): Promise<boolean> {
    const entity = toLedgerEntity({ ...entry, status: 'pending', attempts: 0, lastError: null, sentAt: null });
    const created = await this.run(this.tables.ledger, 'claimDelivery', () =>
      this.tables.ledger.createEntity(entity).then(() => true), { 409: () => false });
    return created;
  }

  async getDelivery(key: string, destination: string, transport: string | null): Promise<LedgerEntry | null> {
    const row = await this.run(this.tables.ledger, 'getDelivery', () =>
      this.tables.ledger.getEntity<LedgerRow>(ledgerPartition(destination), ledgerRowKey(key, transport)), { 404: () => null });
    return row ? fromLedgerEntity(row) : null;
  }

  async updateDelivery(entry: LedgerEntry, patch: LedgerPatch): Promise<LedgerEntry> {
    const { etag, ...current } = entry;
    const next = { ...current, ...patch };
    const lost = () => {
      throw new ConcurrencyError(`Delivery of ${entry.key} to ${entry.destination} was changed by another run`);
    };
    const response = await this.run(this.tables.ledger, 'updateDelivery', () =>
      this.tables.ledger.updateEntity(toLedgerEntity(next), 'Replace', { etag }), { 412: lost, 404: lost });
    const saved = toLedgerEntity(next);
    return fromLedgerEntity({ ...saved, etag: response.etag ?? '' } as TableEntityResult<LedgerRow>);
  }

  async listDue(now: Date, limit = 100): Promise<LedgerEntry[]> {
    const filter = odata`status eq ${'pending'} and leaseUntil le ${now}`;
    return this.run(this.tables.ledger, 'listDue', async () => {
      const due: LedgerEntry[] = [];
      for await (const row of this.tables.ledger.listEntities<LedgerRow>({ queryOptions: { filter } })) {
        due.push(fromLedgerEntity(row));
        if (due.length >= limit) break;
      }
      return due;
    });
  }

  async getSession(server: string, sessionId: string): Promise<SessionContext | null> {
    const { partitionKey, rowKey } = sessionKeys(server, sessionId);
    const row = await this.run(this.tables.sessions, 'getSession', () =>
      this.tables.sessions.getEntity<SessionRow>(partitionKey, rowKey), { 404: () => null });
    return row ? fromSessionEntity(row) : null;
  }

  async putSession(context: SessionContext): Promise<void> {
    await this.run(this.tables.sessions, 'putSession', () =>
      this.tables.sessions.upsertEntity(toSessionEntity(context), 'Replace'));
  }

  async cleanup(before: Date): Promise<number> {
    // Pending rows are alerts not yet delivered: never deleted here, whatever their age.
    const ledgerFilter = odata`(status eq ${'sent'} or status eq ${'parked'} or status eq ${'moved'}) and createdAt lt ${before}`;
    const ledger = await this.run(this.tables.ledger, 'cleanup', () => deleteRows(this.tables.ledger, ledgerFilter));
    const sessionFilter = odata`seenAtTime lt ${before}`;
    const sessions = await this.run(this.tables.sessions, 'cleanup', () => deleteRows(this.tables.sessions, sessionFilter));
    return ledger + sessions;
  }

  /**
   * Creates the table on first use, runs the operation and translates failures: a status listed in
   * `expected` yields what its function returns (or throws); anything else is a StateStoreError.
   */
  private async run<T, E = never>(client: TableClient, operation: string, action: () => Promise<T>,
    expected: Record<number, () => E> = {}): Promise<T | E> {
    try {
      await this.ensureTable(client);
      return await action();
    } catch (err) {
      if (err instanceof ConcurrencyError || err instanceof StateStoreError) throw err;
      const status = statusCodeOf(err);
      const outcome = status === undefined ? undefined : expected[status];
      if (outcome) return outcome();
      throw new StateStoreError(client.tableName, operation, err);
    }
  }

  private ensureTable(client: TableClient): Promise<void> {
    let ready = this.ready.get(client);
    if (!ready) {
      ready = client.createTable().catch((err: unknown) => {
        this.ready.delete(client); // let the next call try again
        throw new StateStoreError(client.tableName, 'createTable', err);
      });
      this.ready.set(client, ready);
    }
    return ready;
  }
}

function clientsFor(options: TableStateStoreOptions, make: (table: string) => TableClient): TableStateStoreClients {
  const names = stateTableNames(options.tablePrefix);
  return { watermarks: make(names.watermarks), ledger: make(names.ledger), sessions: make(names.sessions) };
}
