import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  /** `x-ms-range` (or `range`) header, e.g. `bytes=120-4193423`; null when the whole resource was asked for. */
  range: string | null;
}

export interface RecordingProxy {
  /** `http://127.0.0.1:PORT`: point a client here instead of at the target. */
  origin: string;
  /** Every request that passed, in order: method, path with query (decoded), and the Range asked for. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A plain HTTP reverse proxy in front of a local service (Azurite) that records what the real SDK client
 * sent over the wire: tests assert on the requests made (which prefixes were listed) without touching the
 * client. Shared-key signatures do not cover the host, so signed requests pass unchanged.
 */
export async function startRecordingProxy(targetPort: number): Promise<RecordingProxy> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const range = req.headers['x-ms-range'] ?? req.headers.range;
    requests.push({ method: req.method ?? '', url: decodeURIComponent(req.url ?? ''), range: typeof range === 'string' ? range : null });
    const upstream = request({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', (err) => { res.writeHead(502); res.end(String(err)); });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
