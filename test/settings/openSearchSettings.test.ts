import { describe, expect, it } from 'vitest';
import { UserError } from '../../shared/errors/UserError';
import { loadSettings } from '../../shared/settings/loadSettings';
import { secretsInSettings } from '../../shared/settings/secretSettings';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('OPENSEARCH_* settings', () => {
  it('are off by default, with the documented defaults', () => {
    expect(loadSettings({})).toMatchObject({
      openSearchUrl: null, openSearchUsername: null, openSearchPassword: null, openSearchCaCert: null, openSearchIndex: 'logs-*',
      openSearchMessageField: null, openSearchTimeField: null, openSearchServerField: null, openSearchMaxLatenessMs: 3_600_000,
    });
  });

  it('read a service, its credentials (the password a secret), a one-line PEM and the fields', () => {
    const s = loadSettings({
      OPENSEARCH_URL: 'https://os-x.aivencloud.com:24947/', OPENSEARCH_USERNAME: 'pgaudit-alerts', OPENSEARCH_PASSWORD: 'p4ss-word',
      OPENSEARCH_CA_CERT: PEM.replace(/\n/g, '\\n'), OPENSEARCH_INDEX: 'avnlog-pg-*', OPENSEARCH_MESSAGE_FIELD: 'log.message',
      OPENSEARCH_TIME_FIELD: '@timestamp', OPENSEARCH_SERVER_FIELD: 'host', OPENSEARCH_MAX_LATENESS: 'PT3H',
    });
    expect(s).toMatchObject({
      openSearchUrl: 'https://os-x.aivencloud.com:24947', openSearchUsername: 'pgaudit-alerts', openSearchPassword: 'p4ss-word',
      openSearchCaCert: PEM, openSearchIndex: 'avnlog-pg-*', openSearchMessageField: 'log.message', openSearchTimeField: '@timestamp',
      openSearchServerField: 'host', openSearchMaxLatenessMs: 3 * 3_600_000,
    });
    expect(secretsInSettings(s)).toContain('p4ss-word');
  });

  it('name what is wrong, never echoing a credential', () => {
    const bad = { OPENSEARCH_URL: 'https://admin:s3cret-pw@os-x.aivencloud.com:24947', OPENSEARCH_CA_CERT: '/etc/ca.pem', OPENSEARCH_INDEX: 'logs *', OPENSEARCH_MAX_LATENESS: '1h' };
    expect(() => loadSettings(bad)).toThrow(UserError);
    const err = { message: '' };
    try { loadSettings(bad); } catch (e) { err.message = (e as Error).message; }
    expect(err.message).toContain('OPENSEARCH_URL: must not carry credentials: put them in OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD');
    expect(err.message).toContain('OPENSEARCH_CA_CERT: expected the PEM text of the CA certificate');
    expect(err.message).toContain('OPENSEARCH_INDEX: "logs *" is not an index pattern');
    expect(err.message).toContain('OPENSEARCH_MAX_LATENESS: "1h" is not an ISO 8601 duration');
    expect(err.message).not.toContain('s3cret-pw');
    expect(() => loadSettings({ OPENSEARCH_URL: 'http://os.example.com' })).toThrow(/OPENSEARCH_URL: must be an https:\/\/ URL/);
    expect(() => loadSettings({ OPENSEARCH_URL: 'https://os.example.com', OPENSEARCH_PASSWORD: 'x-secret' })).toThrow(/OPENSEARCH_USERNAME: basic auth needs both/);
  });
});
