import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchiveContainerClient } from '../../../shared/source/storageArchive/createArchiveContainerClient';
import { MemoryBlobCursorStore } from '../../../shared/source/storageArchive/MemoryBlobCursorStore';
import { StorageArchiveReader } from '../../../shared/source/storageArchive/StorageArchiveReader';
import { useAzuriteBlob } from '../../support/azurite';
import { startFakeManagedIdentity, type FakeManagedIdentity } from '../../support/fakeManagedIdentity';
import { startRecordingProxy, type RecordingProxy } from '../../support/recordingProxy';
import { testCertificates } from '../../support/testCertificates';

const azurite = useAzuriteBlob();
let identity: FakeManagedIdentity;
let entra: RecordingProxy;
let restoreEnv: () => void;

beforeAll(async () => {
  identity = await startFakeManagedIdentity();
  restoreEnv = identity.useInEnvironment();
  // https in front of Azurite that accepts only tokens the managed identity issued for Storage.
  const { cert, key } = testCertificates();
  entra = await startRecordingProxy(azurite().port, { tls: { cert, key }, acceptsBearer: (t) => identity.isIssued(t, 'https://storage.azure.com') });
});
afterAll(async () => {
  restoreEnv();
  await entra.close();
  await identity.close();
});

describe('Storage archive with identity-based access', () => {
  it('reads through DefaultAzureCredential and the managed identity, with a bearer token for Storage', async () => {
    // Azurite has no Entra ID: the container is public there, and the proxy above does the authorization.
    const admin = BlobServiceClient.fromConnectionString(azurite().connectionString).getContainerClient('insights-logs-postgresqllogs');
    await admin.create({ access: 'container' });
    const name = 'resourceId=/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.DBFORPOSTGRESQL/FLEXIBLESERVERS/PG-1/y=2026/m=03/d=01/h=09/m=00/PT1H.json';
    const line = JSON.stringify({ properties: { message: '2026-03-01 09:00:00 UTC-65e1.1-LOG:  hello' }, resourceId: '/SUBSCRIPTIONS/S1/x/FLEXIBLESERVERS/PG-1', category: 'PostgreSQLLogs' }) + '\n';
    await admin.getAppendBlobClient(name).create();
    await admin.getAppendBlobClient(name).appendBlock(line, Buffer.byteLength(line));

    const container = createArchiveContainerClient({ accountName: 'devstoreaccount1', blobEndpoint: `${entra.origin}/devstoreaccount1` });
    const reader = new StorageArchiveReader(container, new MemoryBlobCursorStore());
    const items = [];
    for await (const batch of reader.read({ start: new Date('2026-03-01T09:00:00Z'), end: new Date('2026-03-01T09:10:00Z') })) items.push(...batch.items);
    expect(items).toEqual([{ record: expect.objectContaining({ server: 'pg-1', line: '2026-03-01 09:00:00 UTC-65e1.1-LOG:  hello' }) }]);
    expect(identity.requests.map((r) => r.resource)).toContain('https://storage.azure.com');
    expect(entra.requests.length).toBeGreaterThan(2);

    // Without the identity the same requests are refused, and the error names what was being listed.
    const anonymous = createArchiveContainerClient({ accountName: 'devstoreaccount1', blobEndpoint: `${entra.origin}/devstoreaccount1`,
      credential: { getToken: async () => ({ token: 'not-issued', expiresOnTimestamp: Date.now() + 3_600_000 }) } });
    const refused = new StorageArchiveReader(anonymous, new MemoryBlobCursorStore()).read({ start: new Date('2026-03-01T09:00:00Z'), end: new Date('2026-03-01T09:10:00Z') });
    await expect(refused.next()).rejects.toThrow(/^Storage archive: listing insights-logs-postgresqllogs\/resourceId=\/ failed: HTTP 401/);
  });
});
