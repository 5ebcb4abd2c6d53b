import type { StateStore, SessionContext } from '../dedupe/StateStore';
import { mergeAuditRecords } from '../merge/mergeAuditRecords';
import type { SessionInfo } from '../merge/SessionTracker';
import type { AuditEvent } from '../model/AuditEvent';
import { isSessionId } from '../model/sessionId';
import { forEachLimited } from '../util/forEachLimited';
import type { LogSource } from '../source/LogSource';
import { contestIdentity } from '../model/contestIdentity';

/** Sessions a run remembers (and caches at its end) at most; see `bounded`. */
const MAX_SESSIONS_PER_RUN = 100_000;

/** State-store reads or writes in flight at once. */
const STORE_CONCURRENCY = 8;

type Context = Pick<SessionContext, 'user' | 'database' | 'application' | 'client'>;

/**
 * Who is behind each session. Under Azure's `%t-%c-` prefix an AUDIT line names only its session; the
 * user, database, application and client are on the session's `connection authorized/received` lines,
 * which may have arrived in an earlier window (a pooled connection opened days ago) or before the
 * first run. So: this window's connection lines, then the session cache in the state store, then a
 * targeted lookup of the session's connection lines in Log Analytics. What is learned is cached for
 * later windows.
 */
export class SessionResolver {
  private readonly known = new Map<string, Context | null>();
  private readonly learned = new Map<string, SessionContext>();
  /** Sessions whose identity is contested (two different connection lines), with why: never cached. */
  private readonly contested = new Map<string, string>();
  unresolved = 0;

  constructor(
    private readonly store: StateStore,
    private readonly source: Pick<LogSource, 'lookupSessions'>,
    private readonly prefix: string,
    private readonly now: () => Date,
    private readonly logTimezone: string | null = null,
  ) {}

  /**
   * Sets an entry of `known` or `learned`, forgetting the oldest beyond MAX_SESSIONS_PER_RUN: a window (or
   * a file) with a flood of sessions must not grow memory without bound. A forgotten session is looked up
   * again when one of its events needs it (or, where the source cannot search, its user stays unknown: no
   * exception applies); a forgotten `learned` one is not cached for later windows.
   */
  private bounded<V>(map: Map<string, V>, k: string, value: V): void {
    map.delete(k);
    map.set(k, value);
    if (map.size > MAX_SESSIONS_PER_RUN) map.delete(map.keys().next().value!);
  }

  /** mergeAuditRecords' onSessionContext: a connection line of this window. */
  readonly learn = (server: string | null, session: SessionInfo): void => {
    if (server === null || session.sessionId === null || session.user === null) return;
    const k = key(server, session.sessionId);
    // Called again when a session's identity becomes contested: the first identity stays, marked.
    if (session.identityReason !== null) {
      this.bounded(this.contested, k, session.identityReason);
      this.learned.delete(k);
      if (!this.known.has(k)) this.bounded(this.known, k, toContext(server, session, this.now()));
      return;
    }
    if (this.known.has(k)) return; // only a session's first connection line says who it is
    const context = toContext(server, session, this.now());
    this.bounded(this.known, k, context);
    this.bounded(this.learned, k, context);
  };

  /** Fills user/database/application/client of events whose session had no connection line in the window. */
  async fill(events: AuditEvent[]): Promise<void> {
    // A contested event's user is unknown on purpose: no cached identity fills it in.
    const missing = events.filter((e) => e.user === null && e.identity === undefined && e.server !== null && e.sessionId !== null);
    if (missing.length === 0) return;
    // Sessions not met yet in this run: the cache first (a few reads in flight at once), then a lookup.
    const fresh = new Map<string, { server: string; sessionId: string }>();
    for (const e of missing) {
      const k = key(e.server!, e.sessionId!);
      if (!this.known.has(k)) fresh.set(k, { server: e.server!, sessionId: e.sessionId! });
    }
    const unknown = new Map<string, Set<string>>();
    await forEachLimited([...fresh.values()], STORE_CONCURRENCY, async ({ server, sessionId }) => {
      const cached = await this.store.getSession(server, sessionId);
      if (cached) return void this.bounded(this.known, key(server, sessionId), cached);
      if (!isSessionId(sessionId)) return void this.bounded(this.known, key(server, sessionId), null);
      const ids = unknown.get(server) ?? new Set<string>();
      ids.add(sessionId);
      unknown.set(server, ids);
    });
    for (const [server, ids] of unknown) await this.lookup(server, [...ids]);
    for (const e of missing) {
      const context = this.known.get(key(e.server!, e.sessionId!)) ?? null;
      if (!context) {
        this.unresolved++;
        continue;
      }
      e.user = context.user;
      e.database = e.database ?? context.database;
      e.application = e.application ?? context.application;
      e.client = e.client ?? context.client;
      const contested = this.contested.get(key(e.server!, e.sessionId!));
      if (contested !== undefined && e.identity === undefined) contestIdentity(e, contested, false);
    }
  }

  /** Caches this window's sessions in the store for later windows. */
  async persist(): Promise<void> {
    const contexts = [...this.learned.values()];
    this.learned.clear();
    await forEachLimited(contexts, STORE_CONCURRENCY, (c) => this.store.putSession(c));
  }

  /** One targeted lookup of a server's sessions (the source splits it into queries of its own size). */
  private async lookup(server: string, ids: string[]): Promise<void> {
    const merged = this.source.lookupSessions && mergeAuditRecords(this.source.lookupSessions(server, ids), {
      prefix: this.prefix,
      logTimezone: this.logTimezone,
      // The same rules as in the window: the first connection line sets the identity, another one contests it.
      onSessionContext: (s, session) => this.learn(s, session),
    });
    // A source that cannot search (a file, an Event Hubs batch) has only the cache.
    if (merged) for await (const batch of merged.batches) void batch;
    // Not found within SCAN_MAX_LATENESS: remember that, so one run asks only once.
    for (const id of ids) if (!this.known.has(key(server, id))) this.bounded(this.known, key(server, id), null);
  }
}

function key(server: string, sessionId: string): string {
  return `${server}\u0000${sessionId}`;
}

function toContext(server: string, session: SessionInfo, now: Date): SessionContext {
  return {
    server,
    sessionId: session.sessionId!,
    user: session.user,
    database: session.database,
    application: session.application,
    client: session.client,
    seenAt: now.toISOString(),
  };
}
