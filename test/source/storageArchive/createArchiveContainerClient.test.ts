import { describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors/UserError';
import { createArchiveContainerClient } from '../../../shared/source/storageArchive/createArchiveContainerClient';
import { AZURITE_KEY } from '../../support/azurite';

const credential = { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }) };

describe('createArchiveContainerClient', () => {
  it('reaches Azurite with UseDevelopmentStorage=true and the default container', () => {
    const client = createArchiveContainerClient({ connectionString: 'UseDevelopmentStorage=true' });
    expect(client.url).toBe('http://127.0.0.1:10000/devstoreaccount1/insights-logs-postgresqllogs');
    expect(client.containerName).toBe('insights-logs-postgresqllogs');
  });

  it('uses the account name with an identity, a configured container and a sovereign cloud suffix', () => {
    const client = createArchiveContainerClient({ accountName: 'pgauditarchive', container: 'pglogs', endpointSuffix: 'core.usgovcloudapi.net', credential });
    expect(client.url).toBe('https://pgauditarchive.blob.core.usgovcloudapi.net/pglogs');
    expect(createArchiveContainerClient({ accountName: 'pgauditarchive', credential }).url)
      .toBe('https://pgauditarchive.blob.core.windows.net/insights-logs-postgresqllogs');
  });

  it('names the setting, never the key, when access is unusable or missing', () => {
    const bad = `DefaultEndpointsProtocol=https;AccountKey=${AZURITE_KEY}`;
    const err = (() => { try { createArchiveContainerClient({ connectionString: bad }); } catch (e) { return e; } return null; })();
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain('ARCHIVE_STORAGE_CONNECTION');
    expect((err as Error).message).not.toContain(AZURITE_KEY);
    expect(() => createArchiveContainerClient({})).toThrow(/ARCHIVE_STORAGE_CONNECTION or ARCHIVE_STORAGE_ACCOUNT/);
    expect(() => createArchiveContainerClient({ accountName: 'Not_An_Account', credential })).toThrow(/ARCHIVE_STORAGE_ACCOUNT "Not_An_Account"/);
  });
});
