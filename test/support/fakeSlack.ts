import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Slack speaking the real wire protocols, for the real @slack/web-api and
 * @slack/webhook clients:
 * - Web API: `POST /api/<method>`, form-encoded (blocks and metadata as JSON strings), bearer token,
 *   answers `{ok:true,...}` or `{ok:false,error}` with HTTP 200; 429 with Retry-After when rate limited.
 *   Methods: chat.postMessage, conversations.history (include_all_metadata, cursor paging), conversations.list.
 * - Incoming webhook: `POST /services/T/B/secret` with JSON, answers `ok` or an HTTP error with a text body.
 * It checks Slack's block limits (50 blocks, 3000 characters per section text, 10 fields) like Slack does
 * (`invalid_blocks`), and records every request so tests can look for leaked secrets.
 * Plain http: the Slack SDKs accept it, and Node 20's fetch has no per-client CA option.
 */
export type SlackFault =
  | { status: 429; retryAfter: number }
  | { status: number; body?: string }
  | { error: string }
  | { drop: true }
  /** Let this call through (to fail a later one). */
  | { pass: true };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface PostedMessage {
  channel: string;
  text: string | undefined;
  blocks: unknown[];
  metadata: { event_type: string; event_payload: { alerts: { key: string; [k: string]: unknown }[] } } | undefined;
  unfurl_links: string | boolean | undefined;
  unfurl_media: string | boolean | undefined;
  ts: string;
}

export interface FakeSlack {
  /** Web API base URL (ends with `/api/`), for WebClient's slackApiUrl. */
  apiUrl: string;
  /** The incoming webhook URL (its path is the secret). */
  webhookUrl: string;
  token: string;
  requests: RecordedRequest[];
  /** Messages accepted through chat.postMessage, in order. */
  posts: PostedMessage[];
  /** Payloads accepted through the webhook, in order. */
  webhookPosts: Record<string, unknown>[];
  /** Channels by id; names without '#'. */
  channels: Map<string, string>;
  /** The next calls of `method` (`chat.postMessage`, `conversations.history`, `conversations.list`, `webhook`) fail like this, in order. */
  failNext(method: string, ...faults: SlackFault[]): void;
  /** Every call of `method` fails with this Slack error (e.g. `missing_scope` for history), until cleared with null. */
  failAlways(method: string, error: string | null): void;
  close(): Promise<void>;
}

export async function startFakeSlack(options: { token?: string; channels?: Record<string, string> } = {}): Promise<FakeSlack> {
  const token = options.token ?? 'xoxb-1111-2222-fakeSlackBotToken';
  const webhookPath = '/services/T0FAKE/B0FAKE/fakeWebhookSecret123';
  const requests: RecordedRequest[] = [];
  const posts: PostedMessage[] = [];
  const webhookPosts: Record<string, unknown>[] = [];
  const channels = new Map(Object.entries(options.channels ?? { C0SECURITY1: 'db-security', C0DBA00001: 'dba' }));
  const faults = new Map<string, SlackFault[]>();
  const always = new Map<string, string>();
  // Message timestamps are real time (seconds.sequence), as Slack's: callers compare them with `oldest`.
  let seq = 0;
  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(++seq % 1_000_000).padStart(6, '0')}`;

  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      try {
        handle(req, res, body);
      } catch (err) {
        res.writeHead(500).end(String(err));
      }
    });
  });

  function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const method = path === webhookPath ? 'webhook' : path.startsWith('/api/') ? path.slice(5) : null;
    if (req.method !== 'POST' || method === null) return void res.writeHead(404).end('no_service');
    const next = faults.get(method)?.shift();
    const fault = next && 'pass' in next ? undefined : next;
    if (fault && 'drop' in fault) return void req.socket.destroy();
    if (fault && 'retryAfter' in fault) return void res.writeHead(429, { 'Retry-After': String(fault.retryAfter) }).end(method === 'webhook' ? 'rate_limited' : '');
    if (fault && 'status' in fault) return void res.writeHead(fault.status).end(fault.body ?? 'error');
    if (method === 'webhook') return webhook(res, body, fault && 'error' in fault ? fault.error : undefined);

    const ok = (data: object): void => void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: true, ...data }));
    const fail = (error: string): void => void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: false, error }));
    if (req.headers.authorization !== `Bearer ${token}`) return fail(req.headers.authorization ? 'invalid_auth' : 'not_authed');
    if (fault && 'error' in fault) return fail(fault.error);
    if (always.has(method)) return fail(always.get(method)!);
    const form = new URLSearchParams(body);
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) return fail('invalid_form_data');

    switch (method) {
      case 'chat.postMessage': {
        const channel = findChannel(form.get('channel') ?? '');
        if (!channel) return fail('channel_not_found');
        const blocks = form.has('blocks') ? (JSON.parse(form.get('blocks')!) as unknown[]) : [];
        const problem = blockProblem(blocks);
        if (problem) return fail(problem);
        const metadata = form.has('metadata') ? JSON.parse(form.get('metadata')!) : undefined;
        const ts = nextTs();
        posts.push({ channel, text: form.get('text') ?? undefined, blocks, metadata, unfurl_links: form.get('unfurl_links') ?? undefined, unfurl_media: form.get('unfurl_media') ?? undefined, ts });
        return ok({ channel, ts, message: { type: 'message', text: form.get('text'), ts } });
      }
      case 'conversations.history': {
        const channel = form.get('channel') ?? '';
        if (!channels.has(channel)) return fail('channel_not_found');
        const oldest = Number(form.get('oldest') ?? 0);
        const withMetadata = form.get('include_all_metadata') === 'true';
        const all = posts.filter((p) => p.channel === channel && Number(p.ts) > oldest).reverse();
        const start = Number(form.get('cursor') || 0);
        const limit = Math.min(Number(form.get('limit') || 100), 999);
        const page = all.slice(start, start + limit).map((p) => ({ type: 'message', text: p.text, ts: p.ts, ...(withMetadata && p.metadata ? { metadata: p.metadata } : {}) }));
        const next = start + limit < all.length ? String(start + limit) : '';
        return ok({ messages: page, has_more: next !== '', response_metadata: { next_cursor: next } });
      }
      case 'conversations.list':
        return ok({ channels: [...channels].map(([id, name]) => ({ id, name, is_channel: true })), response_metadata: { next_cursor: '' } });
      default:
        return fail('unknown_method');
    }
  }

  function webhook(res: ServerResponse, body: string, error: string | undefined): void {
    if (error) return void res.writeHead(error === 'channel_is_archived' ? 410 : error === 'invalid_token' ? 403 : 404).end(error);
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return void res.writeHead(400).end('invalid_payload');
    }
    const problem = blockProblem((payload.blocks as unknown[]) ?? []);
    if (problem) return void res.writeHead(400).end(problem);
    if (!payload.text && !payload.blocks) return void res.writeHead(400).end('no_text');
    webhookPosts.push(payload);
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('ok');
  }

  function findChannel(ref: string): string | undefined {
    if (channels.has(ref)) return ref;
    const name = ref.replace(/^#/, '');
    return [...channels].find(([, n]) => n === name)?.[0];
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    apiUrl: `${base}/api/`,
    webhookUrl: `${base}${webhookPath}`,
    token,
    requests,
    posts,
    webhookPosts,
    channels,
    failNext: (method, ...list) => faults.set(method, [...(faults.get(method) ?? []), ...list]),
    failAlways: (method, error) => (error === null ? always.delete(method) : always.set(method, error)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Slack rejects messages over its block limits with `invalid_blocks`. */
function blockProblem(blocks: unknown[]): string | null {
  if (!Array.isArray(blocks)) return 'invalid_blocks_format';
  if (blocks.length > 50) return 'invalid_blocks';
  for (const block of blocks as { type?: string; text?: { text?: string }; fields?: { text?: string }[] }[]) {
    if (block.type === 'section') {
      if ((block.text?.text?.length ?? 0) > 3000) return 'invalid_blocks';
      if ((block.fields?.length ?? 0) > 10) return 'invalid_blocks';
      if (block.fields?.some((f) => (f.text?.length ?? 0) > 2000)) return 'invalid_blocks';
    }
    if (block.type === 'header' && (block.text?.text?.length ?? 0) > 150) return 'invalid_blocks';
  }
  return null;
}
