import { describe, expect, it } from 'vitest';
import { MAX_ALERT_JSON_CHARS, STORAGE_TRUNCATION_MARK } from '../../shared/dedupe/fitAlertForStorage';
import { ConcurrencyError, type LedgerEntry, type NewLedgerEntry, type StateStore, type Watermark } from '../../shared/dedupe/StateStore';
import type { Alert } from '../../shared/model/Alert';
import { sampleAlert } from './sampleAlert';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function newEntry(alert: Alert, destination = 'security', lease = at(5), createdAt = T0, transport: string | null = 'slack'): NewLedgerEntry {
  return { key: alert.key, destination, transport, alert, leaseUntil: lease, createdAt };
}

async function settle<T>(promises: Promise<T>[]): Promise<{ ok: T[]; errors: unknown[] }> {
  const results = await Promise.allSettled(promises);
  return {
    ok: results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
    errors: results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : [])),
  };
}

/**
 * The StateStore contract, registered once per implementation (hono-style shared suite).
 * `makeStore` must return an empty, independent store each time.
 */
export function stateStoreContract(name: string, makeStore: () => StateStore | Promise<StateStore>): void {
  describe(`StateStore contract: ${name}`, () => {
    it('round-trips a watermark and refuses a stale writer', async () => {
      const store = await makeStore();
      expect(await store.getWatermark('ws-1')).toBeNull();
      const wm: Watermark = {
        ingestedThrough: '2026-03-01T10:00:00.000Z', lastSeenByServer: { 'pg-prod-1': '2026-03-01T09:59:00.000Z' },
        consecutiveFailures: 2, lastError: 'HTTP 504 from Log Analytics',
      };
      const etag1 = await store.setWatermark('ws-1', wm, null);
      const read = await store.getWatermark('ws-1');
      expect(read).toEqual({ ...wm, etag: etag1 });

      // Two runs read the same version; the first write wins, the stale one gets ConcurrencyError.
      const a = { ...wm, ingestedThrough: '2026-03-01T10:05:00.000Z', consecutiveFailures: 0, lastError: null };
      const b = { ...wm, ingestedThrough: '2026-03-01T10:04:00.000Z' };
      const etag2 = await store.setWatermark('ws-1', a, read!.etag);
      await expect(store.setWatermark('ws-1', b, read!.etag)).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(store.setWatermark('ws-1', b, null)).rejects.toBeInstanceOf(ConcurrencyError);
      expect(etag2).not.toBe(etag1);
      expect(await store.getWatermark('ws-1')).toEqual({ ...a, etag: etag2 });

      // Unconditional writes always land; scopes are independent.
      await store.setWatermark('ws-1', b);
      expect((await store.getWatermark('ws-1'))?.ingestedThrough).toBe(b.ingestedThrough);
      expect(await store.getWatermark('ws-2')).toBeNull();
    });

    it('claims insert-if-absent: of 20 concurrent claims for one key exactly one wins', async () => {
      const store = await makeStore();
      const alert = sampleAlert(1);
      const results = await Promise.all(Array.from({ length: 20 }, () => store.claimDelivery(newEntry(alert))));
      expect(results.filter(Boolean)).toHaveLength(1);
      const row = await store.getDelivery(alert.key, 'security', 'slack');
      expect(row).toMatchObject({
        key: alert.key, destination: 'security', status: 'pending', attempts: 0, lastError: null, sentAt: null, alert,
      });
      expect(row!.leaseUntil.toISOString()).toBe(at(5).toISOString());
      expect(row!.createdAt.toISOString()).toBe(T0.toISOString());
      expect(typeof row!.etag).toBe('string');
      // Same key, other destination: a separate ledger row.
      expect(await store.claimDelivery(newEntry(alert, 'dba'))).toBe(true);
      expect(await store.claimDelivery(newEntry(alert, 'dba'))).toBe(false);
      expect(await store.getDelivery(alert.key, 'nowhere', 'slack')).toBeNull();
    });

    it('keeps one row per transport of a destination, apart from a destination-level row of an older version', async () => {
      const store = await makeStore();
      const alert = sampleAlert(6);
      const legacy = newEntry(alert, 'security', at(1), T0, null);
      expect(await store.claimDelivery(legacy)).toBe(true);
      expect(await store.claimDelivery(newEntry(alert, 'security', at(2), T0, 'slack'))).toBe(true);
      expect(await store.claimDelivery(newEntry(alert, 'security', at(3), T0, 'email'))).toBe(true);
      for (const transport of [null, 'slack', 'email']) {
        expect(await store.claimDelivery(newEntry(alert, 'security', at(9), T0, transport))).toBe(false);
      }
      const slack = (await store.getDelivery(alert.key, 'security', 'slack'))!;
      expect(slack).toMatchObject({ destination: 'security', transport: 'slack', status: 'pending' });
      expect((await store.getDelivery(alert.key, 'security', 'email'))?.leaseUntil.toISOString()).toBe(at(3).toISOString());
      expect((await store.getDelivery(alert.key, 'security', null))).toMatchObject({ transport: null, status: 'pending' });

      // Marking one transport leaves the others as they were; the outbox lists each row with its transport.
      await store.updateDelivery(slack, { status: 'sent', sentAt: at(1) });
      expect((await store.getDelivery(alert.key, 'security', 'email'))?.status).toBe('pending');
      expect((await store.listDue(at(5))).map((r) => r.transport).sort()).toEqual(['email', null].sort());

      // A moved destination-level row leaves the outbox and goes with cleanup like sent rows.
      await store.updateDelivery((await store.getDelivery(alert.key, 'security', null))!, { status: 'moved' });
      expect((await store.listDue(at(5))).map((r) => r.transport)).toEqual(['email']);
      expect(await store.cleanup(at(1))).toBe(2);
      expect(await store.getDelivery(alert.key, 'security', null)).toBeNull();
      expect(await store.getDelivery(alert.key, 'security', 'slack')).toBeNull();
      expect((await store.getDelivery(alert.key, 'security', 'email'))?.status).toBe('pending');
    });

    it('updates on the etag it read: a stale or concurrent update gets ConcurrencyError', async () => {
      const store = await makeStore();
      const alert = sampleAlert(2);
      await store.claimDelivery(newEntry(alert));
      const read = (await store.getDelivery(alert.key, 'security', 'slack'))!;
      const sent = await store.updateDelivery(read, { status: 'sent', sentAt: at(1) });
      expect(sent).toMatchObject({ status: 'sent', attempts: 0, alert });
      expect(sent.sentAt?.toISOString()).toBe(at(1).toISOString());
      expect(sent.etag).not.toBe(read.etag);
      expect(await store.getDelivery(alert.key, 'security', 'slack')).toEqual(sent);
      await expect(store.updateDelivery(read, { status: 'parked' })).rejects.toBeInstanceOf(ConcurrencyError);

      // Five runs race to re-lease the same row version: exactly one succeeds.
      const { ok, errors } = await settle(Array.from({ length: 5 }, (_, i) =>
        store.updateDelivery(sent, { leaseUntil: at(10 + i), lastError: `run ${i}` })));
      expect(ok).toHaveLength(1);
      expect(errors).toHaveLength(4);
      for (const e of errors) expect(e).toBeInstanceOf(ConcurrencyError);
      expect((await store.getDelivery(alert.key, 'security', 'slack'))?.lastError).toBe(ok[0]!.lastError);
    });

    it('lists as due only pending rows whose lease ran out, up to the limit', async () => {
      const store = await makeStore();
      const [expired, leased, sent, parked, expired2] = [1, 2, 3, 4, 5].map((n) => sampleAlert(n)) as [Alert, Alert, Alert, Alert, Alert];
      await store.claimDelivery(newEntry(expired, 'security', at(1)));
      await store.claimDelivery(newEntry(expired2, 'dba', at(2)));
      await store.claimDelivery(newEntry(leased, 'security', at(30)));
      for (const [alert, status] of [[sent, 'sent'], [parked, 'parked']] as const) {
        await store.claimDelivery(newEntry(alert, 'security', at(1)));
        await store.updateDelivery((await store.getDelivery(alert.key, 'security', 'slack'))!, { status });
      }
      const keys = (rows: LedgerEntry[]) => rows.map((r) => `${r.destination}:${r.key}`).sort();
      expect(keys(await store.listDue(at(10)))).toEqual([`dba:${expired2.key}`, `security:${expired.key}`]);
      expect(await store.listDue(at(0))).toEqual([]);
      expect(await store.listDue(at(10), 1)).toHaveLength(1);
      // The lease boundary is inclusive, and a re-leased row leaves the outbox.
      expect(keys(await store.listDue(at(1)))).toEqual([`security:${expired.key}`]);
      const due = (await store.getDelivery(expired.key, 'security', 'slack'))!;
      await store.updateDelivery(due, { leaseUntil: at(40), attempts: 1 });
      expect(keys(await store.listDue(at(35)))).toEqual([`dba:${expired2.key}`, `security:${leased.key}`]);
      const [row] = await store.listDue(at(2), 1);
      expect(row).toMatchObject({ key: expired2.key, status: 'pending', alert: expired2 });
    });

    it('round-trips sessions, nulls included, and overwrites them', async () => {
      const store = await makeStore();
      expect(await store.getSession('pg-prod-1', 's1')).toBeNull();
      const s1 = { server: 'pg-prod-1', sessionId: 's1', user: 'alice', database: 'shop', application: null, client: '10.0.0.7', seenAt: at(0).toISOString() };
      await store.putSession(s1);
      expect(await store.getSession('pg-prod-1', 's1')).toEqual(s1);
      const updated = { ...s1, user: null, database: null, client: null, application: 'psql', seenAt: at(3).toISOString() };
      await store.putSession(updated);
      expect(await store.getSession('pg-prod-1', 's1')).toEqual(updated);
      expect(await store.getSession('pg-prod-2', 's1')).toBeNull();
    });

    it('cleans up old sent and parked rows and old sessions, never a pending alert', async () => {
      const store = await makeStore();
      const [oldSent, oldParked, oldPending, newSent] = [1, 2, 3, 4].map((n) => sampleAlert(n)) as [Alert, Alert, Alert, Alert];
      const old = new Date(T0.getTime() - 7 * 86_400_000);
      for (const [alert, created, status] of [[oldSent, old, 'sent'], [oldParked, old, 'parked'], [oldPending, old, 'pending'], [newSent, T0, 'sent']] as const) {
        await store.claimDelivery(newEntry(alert, 'security', created, created));
        if (status !== 'pending') await store.updateDelivery((await store.getDelivery(alert.key, 'security', 'slack'))!, { status });
      }
      const session = (id: string, seenAt: Date) => ({ server: 'pg-prod-1', sessionId: id, user: 'u', database: null, application: null, client: null, seenAt: seenAt.toISOString() });
      await store.putSession(session('old', old));
      await store.putSession(session('new', T0));

      expect(await store.cleanup(at(-60))).toBe(3);
      expect(await store.getDelivery(oldSent.key, 'security', 'slack')).toBeNull();
      expect(await store.getDelivery(oldParked.key, 'security', 'slack')).toBeNull();
      expect((await store.getDelivery(oldPending.key, 'security', 'slack'))?.status).toBe('pending');
      expect((await store.getDelivery(newSent.key, 'security', 'slack'))?.status).toBe('sent');
      expect(await store.getSession('pg-prod-1', 'old')).toBeNull();
      expect(await store.getSession('pg-prod-1', 'new')).not.toBeNull();
      expect(await store.cleanup(at(-60))).toBe(0);
    });

    it('stores a 200 KB statement truncated and marked, and the row still loads and updates', async () => {
      const store = await makeStore();
      for (const [n, unit] of [[1, 'x'], [2, '"\\\n\u0001é😀']] as const) {
        const statement = `SELECT '${unit.repeat(Math.ceil(200_000 / unit.length))}'`;
        const alert = sampleAlert(n, { statement });
        expect(await store.claimDelivery(newEntry(alert))).toBe(true);
        const row = (await store.getDelivery(alert.key, 'security', 'slack'))!;
        expect(row.alert.key).toBe(alert.key);
        expect(row.alert.rule).toBe(alert.rule);
        expect(row.alert.event.user).toBe('alice');
        expect(row.alert.event.truncated).toBe(true);
        expect(row.alert.event.statement!.endsWith(STORAGE_TRUNCATION_MARK)).toBe(true);
        expect(statement.startsWith(row.alert.event.statement!.slice(0, -STORAGE_TRUNCATION_MARK.length))).toBe(true);
        expect(row.alert.event.statement!.length).toBeGreaterThan(5_000);
        expect(JSON.stringify(row.alert).length).toBeLessThanOrEqual(MAX_ALERT_JSON_CHARS);
        const sent = await store.updateDelivery(row, { status: 'sent', sentAt: at(1) });
        expect(sent.alert).toEqual(row.alert);
        expect(await store.listDue(at(100))).toEqual([]);
      }
    });

    it('accepts keys with / \\ # ? and control characters, and keeps look-alikes apart', async () => {
      const store = await makeStore();
      const odd = 'srv/a\\b#c?d\u0001\u007f\t';
      const alerts = [odd, 'srv/a/b#c?d\u0001\u007f\t', 'srv\\a\\b#c?d\u0001\u007f\t'].map((server, i) =>
        sampleAlert(1, { server, sessionId: `s/${i}#?\\` }, 'rule/with#odd?chars'));
      const destination = 'team/#?\\\u0002';
      for (const alert of alerts) expect(await store.claimDelivery(newEntry(alert, destination, at(1)))).toBe(true);
      for (const alert of alerts) expect((await store.getDelivery(alert.key, destination, 'slack'))?.alert).toEqual(alert);
      expect((await store.listDue(at(2))).map((r) => r.destination)).toEqual([destination, destination, destination]);

      await store.putSession({ server: odd, sessionId: 'x/y#z?\\\u0003', user: 'bob', database: null, application: null, client: null, seenAt: at(0).toISOString() });
      expect((await store.getSession(odd, 'x/y#z?\\\u0003'))?.user).toBe('bob');
      expect(await store.getSession(odd, 'x/y#z?\\')).toBeNull();

      await store.setWatermark('workspace/1?#\\\u0004', { ingestedThrough: at(0).toISOString(), lastSeenByServer: { [odd]: 'x' }, consecutiveFailures: 0 });
      expect((await store.getWatermark('workspace/1?#\\\u0004'))?.lastSeenByServer).toEqual({ [odd]: 'x' });
      expect(await store.getWatermark('workspace/1?#\\')).toBeNull();
    });
  });
}
