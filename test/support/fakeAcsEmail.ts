import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { testCertificates } from './testCertificates';

/**
 * A local https stand-in for Azure Communication Services email, for the real EmailClient:
 * `POST /emails:send?api-version=...` → 202 with `Operation-Location`; `GET /emails/operations/{id}`
 * → `Running`, then `Succeeded` (or `Failed` with `error`). Every request must carry a valid HMAC-SHA256
 * signature made with the access key (x-ms-date, host, x-ms-content-sha256), or a bearer token when
 * one is configured (managed identity); otherwise 401, recorded in `authProblems`.
 */
export type AcsOutcome =
  | { status: 'Succeeded'; runningPolls?: number }
  | { status: 'Failed'; code: string; message: string }
  | { status: 'NeverFinishes' }
  | { httpStatus: 429; retryAfter: number }
  | { httpStatus: number; code?: string }
  | { drop: true };


export interface AcsRecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface SentEmail {
  senderAddress: string;
  content: { subject: string; html?: string; plainText?: string };
  recipients: { to: { address: string }[] };
  [field: string]: unknown;
}

export interface FakeAcsEmail {
  endpoint: string;
  accessKey: string;
  /** `endpoint=https://127.0.0.1:PORT/;accesskey=...` */
  connectionString: string;
  /** PEM of the CA that signed the server certificate: pass as the client's tlsOptions.ca. */
  ca: string;
  requests: AcsRecordedRequest[];
  /** Emails accepted (202) whose operation then succeeded, in order. */
  delivered: SentEmail[];
  /** Every email accepted (202), whatever its outcome. */
  accepted: SentEmail[];
  authProblems: string[];
  /** How the next sends end, in order (default: one Running poll, then Succeeded). */
  outcomeNext(...outcomes: AcsOutcome[]): void;
  close(): Promise<void>;
}

export async function startFakeAcsEmail(options: { bearerToken?: string } = {}): Promise<FakeAcsEmail> {
  const { cert, key, ca } = testCertificates();
  const accessKey = randomBytes(32).toString('base64');
  const requests: AcsRecordedRequest[] = [];
  const delivered: SentEmail[] = [];
  const accepted: SentEmail[] = [];
  const authProblems: string[] = [];
  const outcomes: AcsOutcome[] = [];
  const operations = new Map<string, { email: SentEmail; outcome: AcsOutcome; polls: number }>();

  const server = createServer({ cert, key }, (req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const problem = authProblem(req, body);
      if (problem) {
        authProblems.push(problem);
        return json(res, 401, { error: { code: 'Denied', message: problem } });
      }
      handle(req, res, body);
    });
  });

  function authProblem(req: IncomingMessage, body: string): string | null {
    const auth = req.headers.authorization ?? '';
    if (options.bearerToken !== undefined) return auth === `Bearer ${options.bearerToken}` ? null : 'missing or wrong bearer token';
    const m = /^HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=(.+)$/.exec(auth);
    const date = req.headers['x-ms-date'];
    const hash = req.headers['x-ms-content-sha256'];
    if (!m || typeof date !== 'string' || typeof hash !== 'string') return 'missing HMAC signature headers';
    if (hash !== createHash('sha256').update(body).digest('base64')) return 'x-ms-content-sha256 does not match the body';
    const url = new URL(req.url ?? '/', 'https://x');
    const query = url.searchParams.toString();
    const toSign = `${req.method}\n${url.pathname}${query ? `?${query}` : ''}\n${date};${req.headers.host};${hash}`;
    const expected = createHmac('sha256', Buffer.from(accessKey, 'base64')).update(toSign).digest('base64');
    return expected === m[1] ? null : 'HMAC signature does not verify';
  }

  function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const url = new URL(req.url ?? '/', 'https://x');
    const apiVersion = url.searchParams.get('api-version');
    if (!apiVersion) return json(res, 400, { error: { code: 'MissingApiVersionParameter', message: 'api-version is required' } });
    if (req.method === 'POST' && url.pathname === '/emails:send') {
      const outcome = outcomes.shift() ?? { status: 'Succeeded' };
      if ('drop' in outcome) return void req.socket.destroy();
      if ('httpStatus' in outcome) {
        const headers: Record<string, string> = 'retryAfter' in outcome ? { 'Retry-After': String(outcome.retryAfter) } : {};
        return json(res, outcome.httpStatus, { error: { code: 'code' in outcome && outcome.code ? outcome.code : `Http${outcome.httpStatus}`, message: 'injected failure' } }, headers);
      }
      const email = JSON.parse(body) as SentEmail;
      if (!email.senderAddress || !email.recipients?.to?.length || !email.content?.subject) {
        return json(res, 400, { error: { code: 'BadRequest', message: 'senderAddress, recipients.to and content.subject are required' } });
      }
      const id = String(req.headers['operation-id'] ?? randomUUID());
      operations.set(id, { email, outcome, polls: 0 });
      accepted.push(email);
      const location = `https://${req.headers.host}/emails/operations/${id}?api-version=${apiVersion}`;
      return json(res, 202, { id, status: 'Running' }, { 'Operation-Location': location, 'operation-id': id });
    }
    const op = /^\/emails\/operations\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && op) {
      const operation = operations.get(op[1]!);
      if (!operation) return json(res, 404, { error: { code: 'NotFound', message: 'unknown operation' } });
      operation.polls++;
      const { outcome } = operation;
      if ('status' in outcome && outcome.status === 'Failed') {
        return json(res, 200, { id: op[1], status: 'Failed', error: { code: outcome.code, message: outcome.message } });
      }
      const running = 'status' in outcome && outcome.status === 'Succeeded' ? (outcome.runningPolls ?? 1) : Infinity;
      if (operation.polls <= running) return json(res, 200, { id: op[1], status: 'Running' });
      delivered.push(operation.email);
      return json(res, 200, { id: op[1], status: 'Succeeded' });
    }
    json(res, 404, { error: { code: 'NotFound', message: `${req.method} ${url.pathname}` } });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `https://127.0.0.1:${port}/`;
  return {
    endpoint,
    accessKey,
    connectionString: `endpoint=${endpoint};accesskey=${accessKey}`,
    ca,
    requests,
    delivered,
    accepted,
    authProblems,
    outcomeNext: (...list) => outcomes.push(...list),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function json(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
}
