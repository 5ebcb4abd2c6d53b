import { TableClient } from '@azure/data-tables';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createStateStore } from '../../shared/dedupe/createStateStore';
import { StateStoreError } from '../../shared/dedupe/StateStoreError';
import { TableStateStore } from '../../shared/dedupe/TableStateStore';
import { UserError } from '../../shared/errors/UserError';
import { AZURITE_KEY, useAzuriteTable } from '../support/azurite';
import { sampleAlert } from '../support/sampleAlert';
import { stateStoreContract } from '../support/stateStoreContract';

const azurite = useAzuriteTable();
let tables = 0;
/** Every store gets its own tables on the shared Azurite, so tests stay independent. */
const freshPrefix = () => `t${process.pid}n${++tables}`;

stateStoreContract('TableStateStore on Azurite', () =>
  TableStateStore.fromConnectionString(azurite().connectionString, { tablePrefix: freshPrefix() }));

describe('TableStateStore specifics', () => {
  it('is what createStateStore builds from AzureWebJobsStorage, tables created on first use', async () => {
    const store = createStateStore({ storageConnectionString: azurite().connectionString, storageTableEndpoint: null }, undefined, { tablePrefix: freshPrefix() });
    expect(store).toBeInstanceOf(TableStateStore);
    const alert = sampleAlert(1);
    expect(await store.claimDelivery({ key: alert.key, destination: 'default', transport: 'email', alert, leaseUntil: new Date(), createdAt: new Date() })).toBe(true);
    expect((await store.getDelivery(alert.key, 'default', 'email'))?.status).toBe('pending');
  });

  it('understands UseDevelopmentStorage=true and identity-based table endpoints', () => {
    const dev = createStateStore({ storageConnectionString: 'UseDevelopmentStorage=true', storageTableEndpoint: null }) as TableStateStore;
    expect(clientUrls(dev)).toEqual(['http://127.0.0.1:10002/devstoreaccount1']);
    const byIdentity = createStateStore({ storageConnectionString: null, storageTableEndpoint: 'https://pgauditstate.table.core.usgovcloudapi.net' },
      { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }) }) as TableStateStore;
    expect(clientUrls(byIdentity)).toEqual(['https://pgauditstate.table.core.usgovcloudapi.net']);
  });

  it('names the setting, never the key, when the connection string is unusable or missing', () => {
    const bad = `DefaultEndpointsProtocol=https;AccountKey=${AZURITE_KEY}`;
    expect(() => createStateStore({ storageConnectionString: bad, storageTableEndpoint: null })).toThrow(UserError);
    try {
      createStateStore({ storageConnectionString: bad, storageTableEndpoint: null });
    } catch (err) {
      expect((err as Error).message).toContain('AzureWebJobsStorage');
      expect((err as Error).message).not.toContain(AZURITE_KEY);
    }
    expect(() => createStateStore({ storageConnectionString: null, storageTableEndpoint: null })).toThrow(/AzureWebJobsStorage__accountName/);
  });

  it('reports a rejected request with table and operation, keeping the cause but not the key', async () => {
    const wrongKey = Buffer.from('not the azurite key, 64 bytes long......................').toString('base64');
    const store = TableStateStore.fromConnectionString(azurite().connectionString.replace(AZURITE_KEY, wrongKey), { tablePrefix: freshPrefix() });
    const err = await store.getWatermark('ws').then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(StateStoreError);
    const { message, cause, statusCode } = err as StateStoreError;
    expect(message).toMatch(/createTable on table t\d+n\d+Watermarks failed: HTTP 403/);
    expect(statusCode).toBe(403);
    expect(cause).toBeDefined();
    expect(message).not.toContain(wrongKey);
    expect(message).not.toContain(AZURITE_KEY);
  });

  it('reads a ledger row exactly as the per-destination version wrote it, as transport null', async () => {
    const prefix = freshPrefix();
    const store = TableStateStore.fromConnectionString(azurite().connectionString, { tablePrefix: prefix });
    const alert = sampleAlert(1);
    await store.listDue(new Date()); // creates the tables
    // The older version's row: PartitionKey = destination, RowKey = sha256 of the alert key, no transport.
    const raw = TableClient.fromConnectionString(azurite().connectionString, `${prefix}Ledger`, { allowInsecureConnection: true });
    const created = new Date('2026-03-01T10:00:00.000Z');
    await raw.createEntity({
      partitionKey: 'security', rowKey: createHash('sha256').update(alert.key, 'utf8').digest('hex'),
      key: alert.key, destination: 'security', alert: JSON.stringify(alert), status: 'pending', attempts: 2,
      lastError: 'rate_limited: slow down', leaseUntil: created, createdAt: created,
    });
    const row = await store.getDelivery(alert.key, 'security', null);
    expect(row).toMatchObject({ key: alert.key, destination: 'security', transport: null, status: 'pending', attempts: 2, alert });
    expect(await store.getDelivery(alert.key, 'security', 'email')).toBeNull();
    expect((await store.listDue(new Date('2026-03-01T10:01:00.000Z'))).map((r) => r.transport)).toEqual([null]);
    expect(await store.claimDelivery({ key: alert.key, destination: 'security', transport: 'email', alert, leaseUntil: created, createdAt: created })).toBe(true);
  });
});

function clientUrls(store: TableStateStore): string[] {
  const tables = (store as unknown as { tables: Record<string, { url: string }> }).tables;
  return [...new Set(Object.values(tables).map((c) => c.url.replace(/\/+$/, '')))];
}
