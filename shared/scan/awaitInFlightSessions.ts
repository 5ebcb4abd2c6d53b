import type { StateStore } from '../dedupe/StateStore';
import type { AuditEvent } from '../model/AuditEvent';
import { sessionStartTime } from '../model/sessionId';
import { forEachLimited } from '../util/forEachLimited';

/** A session that began this close before its statement may still have its connection line in flight. */
export const IN_FLIGHT_MS = 10 * 60_000;
/** After a wait that found nothing, a server's fresh sessions are not waited for again for this long. */
const GIVE_UP_MS = 10 * 60_000;
const POLL_MS = 250;

/** What one instance remembers between batches: servers whose connection lines did not come in time. */
export class SessionWaitMemory {
  readonly gaveUpUntil = new Map<string, number>();
}

export interface SessionWaitDeps {
  store: StateStore;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** Longest wait per batch; 0 = never wait. */
  maxWaitMs: number;
  memory: SessionWaitMemory;
}

/**
 * Diagnostic settings spread records over the hub's partitions without a key, so a session's connection
 * line may sit in another partition's batch, being read at this very moment by another instance. For the
 * events of a session that began shortly before them (the `%c` id holds its start) and that neither this
 * batch nor the session cache knows, this polls the cache (which every batch fills before matching) for a
 * bounded time, so their user and database are right. A wait that ends empty (log_connections off, or a
 * partition far behind) makes the server's fresh sessions unwaited for a while, so a server without
 * connection lines costs one wait per GIVE_UP_MS, not one per batch. Returns the sessions still missing.
 */
export async function awaitInFlightSessions(events: readonly AuditEvent[], deps: SessionWaitDeps): Promise<number> {
  if (deps.maxWaitMs <= 0) return 0;
  const startedAt = deps.now().getTime();
  const pending = new Map<string, { server: string; sessionId: string }>();
  for (const e of events) {
    if (e.user !== null || e.identity !== undefined || e.server === null || e.sessionId === null) continue;
    if ((deps.memory.gaveUpUntil.get(e.server) ?? 0) > startedAt) continue;
    const start = sessionStartTime(e.sessionId);
    const at = e.time === null ? startedAt : Date.parse(e.time);
    if (start === null || at - start.getTime() > IN_FLIGHT_MS) continue;
    pending.set(`${e.server}\u0000${e.sessionId}`, { server: e.server, sessionId: e.sessionId });
  }
  while (pending.size > 0) {
    await forEachLimited([...pending], 8, async ([k, { server, sessionId }]) => {
      if (await deps.store.getSession(server, sessionId)) pending.delete(k);
    });
    if (pending.size === 0 || deps.now().getTime() - startedAt >= deps.maxWaitMs) break;
    await deps.sleep(POLL_MS);
  }
  for (const { server } of pending.values()) deps.memory.gaveUpUntil.set(server, deps.now().getTime() + GIVE_UP_MS);
  return pending.size;
}
