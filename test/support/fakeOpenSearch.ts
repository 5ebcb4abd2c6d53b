import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Refused, search, type SearchRequest, type StoredDoc } from './openSearchQuery';
import { testCertificates } from './testCertificates';

/**
 * A local OpenSearch stand-in (HTTPS, basic auth) for the REST calls the official client makes for the
 * OpenSearch source: point in time open (`POST /<targets>/_search/point_in_time?keep_alive=`), search
 * (`POST /<targets>/_search`, `POST /_search` with a `pit`), point in time close (`DELETE
 * /_search/point_in_time`). Queries: `bool` (filter/must/should/must_not, minimum_should_match), `range`
 * on a date field, `match_phrase` on a text field (lower-cased word tokens, as the standard analyzer
 * splits these phrases), `match_all`; sort on one date field with `search_after`. Anything else is
 * refused with 400, as the service refuses what it cannot parse, so the source's real query is what runs.
 * A point in time sees the indexes and documents of its creation; an index deleted since makes its
 * shard fail (200 with `_shards.failed`), an expired one answers 404 search_context_missing_exception.
 */
export interface FakeOpenSearch {
  url: string;
  ca: string;
  username: string;
  password: string;
  /** Indexes `<prefix>-YYYY-MM-DD` by each document's `timestamp` (as Aiven-Open/journalpump names them). */
  addDocuments(docs: Record<string, unknown>[], prefix?: string, timeField?: string): void;
  deleteIndex(name: string): void;
  indexNames(): string[];
  /** Every open point in time expires now (their next search answers 404). */
  expirePits(): void;
  openPits(): number;
  /** Served, in order, to the next `_search` requests instead of (or before) their answer. */
  faults: FakeOpenSearchFault[];
  /** Called before each `_search` is answered, with `searches` counting it (1 = the first). */
  beforeSearch: ((n: number) => void) | null;
  /** `_search` requests so far (reset it freely). */
  searches: number;
  requests: { method: string; path: string; body: unknown; status: number }[];
  close(): Promise<void>;
}

export type FakeOpenSearchFault =
  | { status: 429 | 500 | 502 | 503 | 504; retryAfter?: string }
  /** The point in time of this search expires just before it is served. */
  | { expirePit: true }
  /** This index is deleted just before the search is served (retention). */
  | { deleteIndex: string }
  /** The connection is cut without an answer. */
  | { hangUp: true };

interface Pit {
  indexes: Map<string, StoredDoc[]>;
  expired: boolean;
}

export async function startFakeOpenSearch(options: { username?: string; password?: string } = {}): Promise<FakeOpenSearch> {
  const { ca, cert, key } = testCertificates();
  const username = options.username ?? 'pgaudit-reader';
  const password = options.password ?? `pw-${randomUUID()}`;
  const indexes = new Map<string, StoredDoc[]>();
  const pits = new Map<string, Pit>();
  let nextId = 1;

  const fake: FakeOpenSearch = {
    url: '',
    ca,
    username,
    password,
    faults: [],
    beforeSearch: null,
    searches: 0,
    requests: [],
    addDocuments(docs, prefix = 'logs', timeField = 'timestamp') {
      for (const doc of docs) {
        const time = new Date(String(doc[timeField])).toISOString();
        const name = `${prefix}-${time.slice(0, 10)}`;
        if (!indexes.has(name)) indexes.set(name, []);
        indexes.get(name)!.push({ _index: name, _id: `d${nextId++}`, _source: doc });
      }
    },
    deleteIndex(name) {
      indexes.delete(name);
    },
    indexNames: () => [...indexes.keys()].sort(),
    expirePits() {
      for (const pit of pits.values()) pit.expired = true;
    },
    openPits: () => [...pits.values()].filter((p) => !p.expired).length,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const server = createServer({ cert, key }, (req, res) => {
    void readBody(req).then((text) => {
      let body: unknown = null;
      try {
        body = text === '' ? null : JSON.parse(text);
      } catch {
        return reply(fake, req, res, body, 400, error('parse_exception', 'request body is not JSON'));
      }
      if (req.headers.authorization !== `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`) {
        res.setHeader('WWW-Authenticate', 'Basic realm="OpenSearch Security"');
        return reply(fake, req, res, body, 401, error('security_exception', 'Unauthorized'));
      }
      const url = new URL(req.url ?? '/', 'https://localhost');
      const path = url.pathname;
      try {
        if (req.method === 'DELETE' && path === '/_search/point_in_time') {
          const ids = ((body as { pit_id?: string[] } | null)?.pit_id ?? []);
          const result = ids.map((id) => ({ pit_id: id, successful: pits.delete(id) }));
          return reply(fake, req, res, body, 200, { pits: result });
        }
        const pitMatch = /^\/([^/]+)\/_search\/point_in_time$/.exec(path);
        if (req.method === 'POST' && pitMatch) {
          if (!url.searchParams.get('keep_alive')) return reply(fake, req, res, body, 400, error('action_request_validation_exception', 'keep_alive is missing'));
          const id = Buffer.from(randomUUID()).toString('base64');
          const snapshot = new Map<string, StoredDoc[]>();
          for (const name of matchIndexes(decodeURIComponent(pitMatch[1]!), indexes)) snapshot.set(name, [...indexes.get(name)!]);
          pits.set(id, { indexes: snapshot, expired: false });
          return reply(fake, req, res, body, 200, { pit_id: id, _shards: { total: snapshot.size, successful: snapshot.size, skipped: 0, failed: 0 }, creation_time: Date.now() });
        }
        const searchMatch = /^(?:\/([^/]+))?\/_search$/.exec(path);
        if ((req.method === 'POST' || req.method === 'GET') && searchMatch) {
          fake.searches++;
          fake.beforeSearch?.(fake.searches);
          const request = (body ?? {}) as SearchRequest;
          const fault = fake.faults.shift();
          if (fault !== undefined && 'status' in fault) {
            if (fault.retryAfter !== undefined) res.setHeader('Retry-After', fault.retryAfter);
            return reply(fake, req, res, body, fault.status, error(fault.status === 429 ? 'too_many_requests' : 'unavailable', `fault ${fault.status}`));
          }
          if (fault !== undefined && 'hangUp' in fault) {
            fake.requests.push({ method: req.method ?? '', path: req.url ?? '', body, status: 0 });
            req.socket.destroy();
            return;
          }
          if (fault !== undefined && 'deleteIndex' in fault) indexes.delete(fault.deleteIndex);
          let source: Map<string, StoredDoc[]>;
          const failures: { index: string; reason: { type: string; reason: string } }[] = [];
          if (request.pit !== undefined) {
            if (searchMatch[1] !== undefined) return reply(fake, req, res, body, 400, error('action_request_validation_exception', '[indices] cannot be used with point in time'));
            const pit = pits.get(request.pit.id);
            if (pit !== undefined && fault !== undefined && 'expirePit' in fault) pit.expired = true;
            if (pit === undefined || pit.expired) return reply(fake, req, res, body, 404, error('search_context_missing_exception', `No search context found for id [${request.pit.id}]`));
            source = new Map();
            for (const [name, docs] of pit.indexes) {
              if (indexes.has(name)) source.set(name, docs);
              else failures.push({ index: name, reason: { type: 'search_context_missing_exception', reason: `No search context found for id [${name}]` } });
            }
          } else {
            source = new Map([...matchIndexes(decodeURIComponent(searchMatch[1] ?? '*'), indexes)].map((n) => [n, indexes.get(n)!]));
          }
          const hits = search(request, source);
          const total = source.size + failures.length;
          return reply(fake, req, res, body, 200, {
            ...(request.pit !== undefined ? { pit_id: request.pit.id } : {}),
            took: 1, timed_out: false,
            _shards: { total, successful: source.size, skipped: 0, failed: failures.length, ...(failures.length > 0 ? { failures: failures.map((f) => ({ shard: 0, ...f })) } : {}) },
            hits: { max_score: null, hits },
          });
        }
        return reply(fake, req, res, body, 400, error('invalid_index_name_exception', `no handler for ${req.method} ${path}`));
      } catch (err) {
        if (err instanceof Refused) return reply(fake, req, res, body, 400, error('parsing_exception', err.message));
        throw err;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/** Comma-separated names and `*` patterns, as index targets are written. */
function matchIndexes(targets: string, indexes: Map<string, unknown>): Set<string> {
  const out = new Set<string>();
  for (const target of targets.split(',')) {
    const pattern = new RegExp(`^${target.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    for (const name of indexes.keys()) if (pattern.test(name)) out.add(name);
  }
  return out;
}

function error(type: string, reason: string) {
  return { error: { root_cause: [{ type, reason }], type, reason } };
}

function reply(fake: FakeOpenSearch, req: IncomingMessage, res: ServerResponse, body: unknown, status: number, payload: unknown): void {
  fake.requests.push({ method: req.method ?? '', path: req.url ?? '', body, status });
  const withStatus = status >= 400 ? { ...(payload as object), status } : payload;
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(withStatus));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
