import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  /** `x-ms-range` (or `range`) header, e.g. `bytes=120-4193423`; null when the whole resource was asked for. */
  range: string | null;
}

export interface RecordingProxy {
  /** `http(s)://127.0.0.1:PORT`: point a client here instead of at the target. */
  origin: string;
  /** Every request that passed, in order: method, path with query (decoded), and the Range asked for. */
  requests: RecordedRequest[];
  /** Requests held by `hold` (never forwarded, never answered): what a process killed while they were in flight had sent. */
  held: RecordedRequest[];
  /** Replaces the hold predicate (null: hold nothing); requests held so far stay unanswered. */
  setHold(hold: ((req: RecordedRequest) => boolean) | null): void;
  close(): Promise<void>;
}

/**
 * A plain HTTP reverse proxy in front of a local service (Azurite) that records what the real SDK client
 * sent over the wire: tests assert on the requests made (which prefixes were listed) without touching the
 * client. Shared-key signatures do not cover the host, so signed requests pass unchanged.
 */
export interface RecordingProxyOptions {
  /** Serve https with this certificate (the Azure SDKs send bearer tokens over TLS only). */
  tls?: { cert: string; key: string };
  /**
   * Stand in for Entra ID authorization: refuse (401) a request whose bearer token this does not accept,
   * and forward accepted ones without the token (to a target that allows anonymous access).
   */
  acceptsBearer?: (token: string) => boolean;
  /** Hold matching requests: never forward or answer them (a run that hangs there is as good as killed). */
  hold?: (req: RecordedRequest) => boolean;
}

export async function startRecordingProxy(targetPort: number, options: RecordingProxyOptions = {}): Promise<RecordingProxy> {
  const requests: RecordedRequest[] = [];
  const held: RecordedRequest[] = [];
  let hold = options.hold ?? null;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (options.acceptsBearer) {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (token === undefined || !options.acceptsBearer(token)) {
        res.writeHead(401, { 'content-type': 'application/xml' });
        res.end('<?xml version="1.0" encoding="utf-8"?><Error><Code>InvalidAuthenticationInfo</Code><Message>bearer token refused</Message></Error>');
        return;
      }
      delete req.headers.authorization;
    }
    const range = req.headers['x-ms-range'] ?? req.headers.range;
    const recorded = { method: req.method ?? '', url: decodeURIComponent(req.url ?? ''), range: typeof range === 'string' ? range : null };
    requests.push(recorded);
    if (hold?.(recorded)) return void held.push(recorded);
    const upstream = request({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', (err) => { res.writeHead(502); res.end(String(err)); });
    req.pipe(upstream);
  };
  const server: Server = options.tls ? createTlsServer(options.tls, handler) : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    held,
    setHold: (h) => { hold = h; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
