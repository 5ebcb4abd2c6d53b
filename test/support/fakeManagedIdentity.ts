import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeManagedIdentity {
  /** The App Service managed-identity endpoint, for IDENTITY_ENDPOINT. */
  endpoint: string;
  /** The secret the platform puts in IDENTITY_HEADER; requests without it are refused. */
  identityHeader: string;
  /** Every token request (resource asked for, whether it carried the header). */
  requests: { resource: string | null; apiVersion: string | null; headerOk: boolean; clientId: string | null }[];
  /**
   * Tokens issued so far; a stand-in service accepts only these, for the resource they were issued for.
   * MSAL caches managed-identity tokens for the whole process: share one endpoint per test process.
   */
  isIssued(token: string, resource: string): boolean;
  /** Every token issued so far (for checking none leaks into logs or errors). */
  issuedTokens(): string[];
  /** Points DefaultAzureCredential at this endpoint (and away from any other credential); returns the undo. */
  useInEnvironment(): () => void;
  close(): Promise<void>;
}

/** Variables that would make DefaultAzureCredential pick another credential (or another MI source). */
const COMPETING_ENV = [
  'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_TENANT_ID', 'AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_USERNAME',
  'AZURE_PASSWORD', 'AZURE_FEDERATED_TOKEN_FILE', 'AZURE_AUTHORITY_HOST', 'AZURE_TOKEN_CREDENTIALS', 'MSI_ENDPOINT',
  'MSI_SECRET', 'IDENTITY_SERVER_THUMBPRINT', 'IMDS_ENDPOINT',
];

/**
 * A local Azure App Service / Functions managed-identity endpoint: answers the request
 * DefaultAzureCredential makes when IDENTITY_ENDPOINT and IDENTITY_HEADER are set
 * (`GET ?api-version=2019-08-01&resource=...` with `X-IDENTITY-HEADER`), so tests run the production
 * credential code unchanged. Plain http, as the platform's own endpoint is.
 */
export async function startFakeManagedIdentity(options: { unref?: boolean } = {}): Promise<FakeManagedIdentity> {
  const identityHeader = `idh-${randomBytes(8).toString('hex')}`;
  const issued = new Map<string, string>();
  const requests: FakeManagedIdentity['requests'] = [];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const resource = url.searchParams.get('resource');
    const apiVersion = url.searchParams.get('api-version');
    const headerOk = req.headers['x-identity-header'] === identityHeader;
    const clientId = url.searchParams.get('client_id');
    requests.push({ resource, apiVersion, headerOk, clientId });
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' || url.pathname !== '/msi/token') return reply(404, { error: 'not_found' });
    if (!headerOk) return reply(401, { error: 'invalid_request', error_description: 'X-IDENTITY-HEADER missing or wrong' });
    if (apiVersion !== '2019-08-01' || !resource) return reply(400, { error: 'invalid_request', error_description: 'api-version 2019-08-01 and resource are required' });
    // JWT-shaped, as Entra's are: Azurite (--oauth basic) reads the audience, issuer and lifetime from it.
    const now = Math.floor(Date.now() / 1000);
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = [
      part({ alg: 'RS256', typ: 'JWT' }),
      part({ aud: resource, iss: 'https://sts.windows.net/00000000-0000-0000-0000-00000000test/', iat: now, nbf: now - 60, exp: now + 3600, appid: clientId ?? 'system-assigned' }),
      randomBytes(16).toString('base64url'),
    ].join('.');
    issued.set(token, resource);
    reply(200, {
      access_token: token,
      expires_on: String(Math.floor(Date.now() / 1000) + 3600),
      resource,
      token_type: 'Bearer',
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // A process-wide endpoint (see isIssued) must not keep the test process alive.
  if (options.unref) server.unref();
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/msi/token`;

  return {
    endpoint,
    identityHeader,
    requests,
    issuedTokens: () => [...issued.keys()],
    isIssued: (token, resource) => issued.get(token)?.replace(/\/$/, '') === resource.replace(/\/$/, ''),
    useInEnvironment() {
      const names = ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', ...COMPETING_ENV];
      const saved = new Map(names.map((n) => [n, process.env[n]]));
      for (const n of COMPETING_ENV) delete process.env[n];
      process.env.IDENTITY_ENDPOINT = endpoint;
      process.env.IDENTITY_HEADER = identityHeader;
      return () => {
        for (const [n, v] of saved) {
          if (v === undefined) delete process.env[n];
          else process.env[n] = v;
        }
      };
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
