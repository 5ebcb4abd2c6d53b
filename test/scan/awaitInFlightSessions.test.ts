import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../shared/dedupe/MemoryStateStore';
import { awaitInFlightSessions, SessionWaitMemory } from '../../shared/scan/awaitInFlightSessions';
import { exampleEvent } from '../../shared/rules/exampleEvent';

/** A session started at 2026-12-02T09:00:00Z (the `%c` id's first part is its start in hex seconds). */
const START = Date.parse('2026-12-02T09:00:00Z');
const SESSION = `${(START / 1000).toString(16)}.1914`;
const event = (sessionId: string, offsetMs: number) =>
  exampleEvent({ server: 'pg-prod-1', sessionId, time: new Date(START + offsetMs).toISOString(), class: 'DDL', command: 'DROP TABLE' });

function clock() {
  let now = START + 60_000;
  const sleeps: number[] = [];
  return { now: () => new Date(now), sleep: async (ms: number) => void (sleeps.push(ms), (now += ms)), sleeps };
}

describe('awaitInFlightSessions', () => {
  it('waits for a new session until another partition caches its connection line', async () => {
    const store = new MemoryStateStore();
    const c = clock();
    let polls = 0;
    const sleep = async (ms: number) => {
      await c.sleep(ms);
      // The other partition's batch caches the session after the second poll.
      if (++polls === 2) await store.putSession({ server: 'pg-prod-1', sessionId: SESSION, user: 'alice', database: 'shop', application: null, client: null, seenAt: new Date().toISOString() });
    };
    const missing = await awaitInFlightSessions([event(SESSION, 30_000)], { store, now: c.now, sleep, maxWaitMs: 15_000, memory: new SessionWaitMemory() });
    expect(missing).toBe(0);
    expect(polls).toBe(2);
  });

  it('does not wait for sessions that began long before the statement, that are known, or whose id holds no start', async () => {
    const c = clock();
    const known = { ...event(SESSION, 1_000), user: 'alice' };
    const events = [event(SESSION, 26 * 3_600_000), known, event('not-a-session-id', 0)];
    expect(await awaitInFlightSessions(events, { store: new MemoryStateStore(), now: c.now, sleep: c.sleep, maxWaitMs: 15_000, memory: new SessionWaitMemory() })).toBe(0);
    expect(c.sleeps).toEqual([]);
  });

  it('after a wait that found nothing (log_connections off), does not wait for that server again for a while', async () => {
    const c = clock();
    const memory = new SessionWaitMemory();
    const deps = { store: new MemoryStateStore(), now: c.now, sleep: c.sleep, maxWaitMs: 15_000, memory };
    expect(await awaitInFlightSessions([event(SESSION, 1_000)], deps)).toBe(1);
    expect(c.sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(15_000);
    c.sleeps.length = 0;
    const other = `${(START / 1000 + 30).toString(16)}.2000`;
    expect(await awaitInFlightSessions([event(other, 40_000)], deps)).toBe(0);
    expect(c.sleeps).toEqual([]);
  });
});
