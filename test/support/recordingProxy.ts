import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordingProxy {
  /** `http://127.0.0.1:PORT`: point a client here instead of at the target. */
  origin: string;
  /** Every request that passed, in order: method and path with query, decoded. */
  requests: { method: string; url: string }[];
  close(): Promise<void>;
}

/**
 * A plain HTTP reverse proxy in front of a local service (Azurite) that records what the real SDK client
 * sent over the wire: tests assert on the requests made (which prefixes were listed) without touching the
 * client. Shared-key signatures do not cover the host, so signed requests pass unchanged.
 */
export async function startRecordingProxy(targetPort: number): Promise<RecordingProxy> {
  const requests: { method: string; url: string }[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: decodeURIComponent(req.url ?? '') });
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
