import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStateStore } from '../../shared/dedupe/createStateStore';
import { createAzureCredentials } from '../../shared/settings/createAzureCredentials';
import { loadSettings } from '../../shared/settings/loadSettings';
import { useAzuriteTable } from '../support/azurite';
import { startFakeManagedIdentity, type FakeManagedIdentity } from '../support/fakeManagedIdentity';

/**
 * Identity-based AzureWebJobsStorage as the Functions host reads it, end to end: the settings choose
 * the endpoint and the credential, the real ManagedIdentityCredential / DefaultAzureCredential get a
 * token from the local managed-identity endpoint (as on Azure Functions), and the real TableClient
 * uses it against Azurite over https with OAuth checking the token's audience, issuer and lifetime.
 */
const USER_ASSIGNED = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const azurite = useAzuriteTable({ oauth: true });
let identity: FakeManagedIdentity;
let restoreEnv: () => void;

beforeAll(async () => {
  identity = await startFakeManagedIdentity();
  restoreEnv = identity.useInEnvironment();
});

afterAll(async () => {
  restoreEnv?.();
  await identity?.close();
});

async function roundTrip(env: Record<string, string>, scope: string) {
  const settings = loadSettings(env);
  const store = createStateStore(settings, createAzureCredentials(settings).storage, { tablePrefix: `id${scope}` });
  const etag = await store.setWatermark(scope, { ingestedThrough: '2026-12-01T00:00:00.000Z', lastSeenByServer: {}, consecutiveFailures: 0, lastError: null }, null);
  expect(etag).not.toBe('');
  return store.getWatermark(scope);
}

describe('identity-based state store (AzureWebJobsStorage__*)', () => {
  it('uses the user-assigned identity named by __credential=managedidentity and __clientId', async () => {
    const before = identity.requests.length;
    const watermark = await roundTrip({
      AzureWebJobsStorage__tableServiceUri: azurite().endpoint,
      AzureWebJobsStorage__credential: 'managedidentity',
      AzureWebJobsStorage__clientId: USER_ASSIGNED,
    }, 'user');
    expect(watermark?.ingestedThrough).toBe('2026-12-01T00:00:00.000Z');
    const asked = identity.requests.slice(before);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((r) => r.headerOk && r.clientId === USER_ASSIGNED && r.resource === 'https://storage.azure.com')).toBe(true);
  });

  it('uses DefaultAzureCredential (the system-assigned identity on Azure) without __credential', async () => {
    const before = identity.requests.length;
    const watermark = await roundTrip({ AzureWebJobsStorage__tableServiceUri: azurite().endpoint }, 'system');
    expect(watermark?.ingestedThrough).toBe('2026-12-01T00:00:00.000Z');
    const asked = identity.requests.slice(before);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((r) => r.clientId === null && r.resource === 'https://storage.azure.com')).toBe(true);
  });

  it('is refused by the storage service when the token is not for storage (Azurite checks the audience)', async () => {
    const settings = loadSettings({ AzureWebJobsStorage__tableServiceUri: azurite().endpoint });
    const wrongAudience = { getToken: async () => ({ token: await tokenFor('https://api.loganalytics.io'), expiresOnTimestamp: Date.now() + 3_600_000 }) };
    const store = createStateStore(settings, wrongAudience, { tablePrefix: 'idwrong' });
    await expect(store.getWatermark('x')).rejects.toThrow(/audience|AuthenticationFailed|403/i);
  });
});

async function tokenFor(resource: string): Promise<string> {
  const url = `${identity.endpoint}?api-version=2019-08-01&resource=${encodeURIComponent(resource)}`;
  const response = await fetch(url, { headers: { 'X-IDENTITY-HEADER': identity.identityHeader } });
  return ((await response.json()) as { access_token: string }).access_token;
}
