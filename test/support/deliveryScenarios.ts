import { describe, expect, it } from 'vitest';
import type { StateStore } from '../../shared/dedupe/StateStore';
import { deliverAlerts } from '../../shared/deliver/deliverAlerts';
import type { DeliveryDeps } from '../../shared/deliver/DeliveryDeps';
import { DESTINATION_FAILING_RULE } from '../../shared/deliver/destinationFailureAlert';
import { retryOutbox } from '../../shared/deliver/retryOutbox';
import type { Alert } from '../../shared/model/Alert';
import { sampleAlert } from './sampleAlert';
import { dyingAfterSend, FakeChannel, listingTogether, RecordingLog, RecordingNotifier, type Fault } from './deliveryFakes';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const LEASE_MS = 5 * 60_000;
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const alerts = (n: number, from = 1): Alert[] => Array.from({ length: n }, (_, i) => sampleAlert(from + i));

/**
 * Delivery behaviour over a real StateStore. `openWorld()` returns a function that opens a new handle on
 * one shared, initially empty state (two runs = two handles, as two processes would have).
 */
export function deliveryScenarios(name: string, openWorld: () => () => StateStore): void {
  describe(`delivery over ${name}`, () => {
    const run = (store: StateStore, notifiers: RecordingNotifier[], at: Date, log = new RecordingLog()): DeliveryDeps =>
      ({ store, notifiers, now: () => at, leaseMs: LEASE_MS, log });

    it('sends each alert exactly once when two runs deliver the same alerts at the same time', async () => {
      const open = openWorld();
      const security = new FakeChannel();
      const dba = new FakeChannel();
      const batch = alerts(10);
      const runA = [new RecordingNotifier('security', security), new RecordingNotifier('dba', dba)];
      const runB = [new RecordingNotifier('security', security), new RecordingNotifier('dba', dba)];
      const [a, b] = await Promise.all([
        deliverAlerts(batch, run(open(), runA, T0)),
        deliverAlerts(batch, run(open(), runB, T0)),
      ]);
      for (const alert of batch) {
        expect(security.count(alert.key)).toBe(1);
        expect(dba.count(alert.key)).toBe(1);
      }
      expect(a.delivered + b.delivered).toBe(20);
      expect(a.duplicatesSkipped + b.duplicatesSkipped).toBe(20);
      expect([a, b].every((r) => r.pending === 0 && r.parked === 0 && r.unclaimed === 0 && r.failures.length === 0)).toBe(true);
      // One notify() per destination and run, so the notifier can digest.
      for (const n of [...runA, ...runB]) expect(n.calls.length).toBeLessThanOrEqual(1);

      // A later run re-reading the same window sends nothing; the outbox is empty.
      const later = [new RecordingNotifier('security', security), new RecordingNotifier('dba', dba)];
      const again = await deliverAlerts(batch, run(open(), later, minutes(3)));
      expect(again).toMatchObject({ delivered: 0, duplicatesSkipped: 20 });
      expect(later.every((n) => n.calls.length === 0)).toBe(true);
      expect(await retryOutbox(run(open(), later, minutes(60)))).toMatchObject({ delivered: 0, pending: 0 });
    });

    it('sends only to the destinations an alert names, and reports a destination without notifier', async () => {
      const open = openWorld();
      const security = new FakeChannel();
      const dba = new FakeChannel();
      const [toDba, toNowhere] = [{ ...sampleAlert(1), destinations: ['dba'] }, { ...sampleAlert(2), destinations: ['nowhere'] }];
      const report = await deliverAlerts([toDba, toNowhere], run(open(), [new RecordingNotifier('security', security), new RecordingNotifier('dba', dba)], T0));
      expect(dba.keys()).toEqual([toDba.key]);
      expect(security.keys()).toEqual([]);
      expect(report).toMatchObject({ delivered: 1, unclaimed: 1, failures: [{ destination: 'nowhere', code: 'no_notifier' }] });
    });

    it('after a crash between send and mark, resends at most once, and not at all when the destination can tell', async () => {
      for (const canFind of [false, true]) {
        const open = openWorld();
        const channel = new FakeChannel();
        const batch = alerts(3);
        const crashLog = new RecordingLog();
        const crashed = await deliverAlerts(batch, run(dyingAfterSend(open()), [new RecordingNotifier('security', channel)], T0, crashLog));
        expect(channel.keys()).toEqual(batch.map((a) => a.key));
        expect(crashed.failures.map((f) => f.code)).toEqual(['state_store', 'state_store', 'state_store']);
        expect(crashLog.at('error').join('\n')).toContain('may send it once more');

        // Still leased: neither a re-read of the window nor the outbox touches them.
        const early = new RecordingNotifier('security', channel, [], canFind);
        expect(await deliverAlerts(batch, run(open(), [early], minutes(1)))).toMatchObject({ delivered: 0, duplicatesSkipped: 3 });
        expect(await retryOutbox(run(open(), [early], minutes(1)))).toMatchObject({ delivered: 0 });
        expect(early.calls).toEqual([]);

        // After the lease, two overlapping outbox runs: one re-claims and resends (or finds them), the other skips.
        const n1 = new RecordingNotifier('security', channel, [], canFind);
        const n2 = new RecordingNotifier('security', channel, [], canFind);
        const [s1, s2] = listingTogether([open(), open()]) as [StateStore, StateStore];
        const [r1, r2] = await Promise.all([retryOutbox(run(s1, [n1], minutes(6))), retryOutbox(run(s2, [n2], minutes(6)))]);
        expect(r1.delivered + r2.delivered).toBe(3);
        expect(r1.duplicatesSkipped + r2.duplicatesSkipped).toBe(3);
        for (const alert of batch) expect(channel.count(alert.key)).toBe(canFind ? 1 : 2);
        expect([...n1.calls, ...n2.calls].flat()).toHaveLength(canFind ? 0 : 3);

        for (const alert of batch) expect((await open().getDelivery(alert.key, 'security', 'test'))?.status).toBe('sent');
        const after = new RecordingNotifier('security', channel, [], canFind);
        expect(await retryOutbox(run(open(), [after], minutes(120)))).toMatchObject({ delivered: 0, pending: 0 });
        expect(after.calls).toEqual([]);
      }
    });

    it('keeps a retryable failure pending with backoff and delivers it once on a later run', async () => {
      const open = openWorld();
      const channel = new FakeChannel();
      const batch = alerts(4);
      const flaky = new RecordingNotifier('security', channel, [{ code: 'rate_limited', retryable: true }]);
      const log = new RecordingLog();
      const first = await deliverAlerts(batch, run(open(), [flaky], T0, log));
      expect(first).toMatchObject({ delivered: 0, pending: 4, parked: 0, failures: [{ destination: 'security', code: 'rate_limited' }] });
      expect(channel.received).toEqual([]);
      expect(log.at('warn').join('\n')).toContain('rate_limited');
      const row = await open().getDelivery(batch[0]!.key, 'security', 'test');
      expect(row).toMatchObject({ status: 'pending', attempts: 1 });
      expect(row!.lastError).toContain('rate_limited');
      expect(row!.leaseUntil.toISOString()).toBe(minutes(1).toISOString());

      // The re-read window does not resend it; the outbox does, once its backoff ends.
      expect(await deliverAlerts(batch, run(open(), [flaky], minutes(0.5)))).toMatchObject({ duplicatesSkipped: 4 });
      expect(await retryOutbox(run(open(), [flaky], minutes(0.5)))).toMatchObject({ delivered: 0 });
      const retried = await retryOutbox(run(open(), [flaky], minutes(2)));
      expect(retried).toMatchObject({ delivered: 4, pending: 0, failures: [] });
      for (const alert of batch) expect(channel.count(alert.key)).toBe(1);
      expect(flaky.calls).toHaveLength(2);
      expect(await retryOutbox(run(open(), [flaky], minutes(90)))).toMatchObject({ delivered: 0 });
    });

    it('parks a permanent failure, warns through the other destination, and never retries it', async () => {
      const open = openWorld();
      const security = new FakeChannel();
      const dba = new FakeChannel();
      const refusal: Fault = { code: 'channel_not_found', retryable: false, message: 'Slack: channel_not_found (request 7f3a, token ****)' };
      const broken = new RecordingNotifier('security', security, [refusal, { ...refusal }]);
      const log = new RecordingLog();
      const batch = alerts(3);
      const report = await deliverAlerts(batch, run(open(), [broken, new RecordingNotifier('dba', dba)], T0, log));
      expect(report).toMatchObject({ delivered: 3, parked: 3, pending: 0 });
      expect(report.failures).toEqual([{ destination: 'security', transport: 'test', code: 'channel_not_found', message: refusal.message }]);
      expect((await open().getDelivery(batch[0]!.key, 'security', 'test'))?.status).toBe('parked');
      expect(log.at('error').join('\n')).toMatch(/security.*channel_not_found/);

      const warnings = dba.received.filter((a) => a.rule === DESTINATION_FAILING_RULE);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.title).toContain('"security"');
      expect(warnings[0]!.title).toContain('channel_not_found');
      // The warning names destination and code only; transport detail stays in the logs.
      expect(JSON.stringify(warnings[0])).not.toMatch(/request 7f3a|token/);
      expect(dba.received.filter((a) => a.rule !== DESTINATION_FAILING_RULE)).toHaveLength(3);

      // Never retried; a second failing run within the hour does not warn again.
      expect(await retryOutbox(run(open(), [broken, new RecordingNotifier('dba', dba)], minutes(600)))).toMatchObject({ delivered: 0, pending: 0 });
      expect(broken.calls).toHaveLength(1);
      const more = await deliverAlerts(alerts(2, 100), run(open(), [broken, new RecordingNotifier('dba', dba)], minutes(10)));
      expect(more).toMatchObject({ parked: 2, delivered: 2 });
      expect(dba.received.filter((a) => a.rule === DESTINATION_FAILING_RULE)).toHaveLength(1);
    });

    it('after a partial delivery retries only the alerts that did not get through', async () => {
      const open = openWorld();
      const channel = new FakeChannel();
      const batch = alerts(5);
      const partial = new RecordingNotifier('security', channel, [{ code: 'timeout', retryable: true, deliverFirst: 2 }]);
      const first = await deliverAlerts(batch, run(open(), [partial], T0));
      expect(first).toMatchObject({ delivered: 2, pending: 3 });
      expect((await open().getDelivery(batch[1]!.key, 'security', 'test'))?.status).toBe('sent');
      expect((await open().getDelivery(batch[2]!.key, 'security', 'test'))?.status).toBe('pending');

      const retried = await retryOutbox(run(open(), [partial], minutes(2)));
      expect(retried).toMatchObject({ delivered: 3, pending: 0 });
      expect([...partial.calls[1]!].sort()).toEqual(batch.slice(2).map((a) => a.key).sort());
      for (const alert of batch) expect(channel.count(alert.key)).toBe(1);
    });

    describe('a destination with several transports (Slack and email)', () => {
      const both = (slack: FakeChannel, email: FakeChannel, slackFaults: Fault[] = [], emailFaults: Fault[] = []) => [
        new RecordingNotifier('security', slack, slackFaults, false, 'slack'),
        new RecordingNotifier('security', email, emailFaults, false, 'email'),
      ];

      it('delivers every alert once to each transport, each with its own ledger row', async () => {
        const open = openWorld();
        const [slack, email] = [new FakeChannel(), new FakeChannel()];
        const batch = alerts(3);
        const report = await deliverAlerts(batch, run(open(), both(slack, email), T0));
        expect(report).toMatchObject({ delivered: 6, pending: 0, parked: 0, unclaimed: 0, failures: [] });
        for (const alert of batch) {
          expect(slack.count(alert.key)).toBe(1);
          expect(email.count(alert.key)).toBe(1);
          for (const transport of ['slack', 'email']) {
            expect(await open().getDelivery(alert.key, 'security', transport)).toMatchObject({ transport, status: 'sent' });
          }
        }
        // Overlapping re-runs of the same window send nothing more to either.
        const [a, b] = await Promise.all([
          deliverAlerts(batch, run(open(), both(slack, email), minutes(1))),
          deliverAlerts(batch, run(open(), both(slack, email), minutes(1))),
        ]);
        expect(a.duplicatesSkipped + b.duplicatesSkipped).toBe(12);
        expect(slack.received).toHaveLength(3);
        expect(email.received).toHaveLength(3);
      });

      it('retries a transient Slack failure on the next run without resending the email, and the other way round', async () => {
        for (const failing of ['slack', 'email'] as const) {
          const open = openWorld();
          const [slack, email] = [new FakeChannel(), new FakeChannel()];
          const batch = alerts(2);
          const fault: Fault[] = [{ code: 'rate_limited', retryable: true }];
          const notifiers = both(slack, email, failing === 'slack' ? fault : [], failing === 'email' ? fault : []);
          const [bad, good] = failing === 'slack' ? [slack, email] : [email, slack];
          const first = await deliverAlerts(batch, run(open(), notifiers, T0));
          expect(first).toMatchObject({ delivered: 2, pending: 2, failures: [{ destination: 'security', transport: failing, code: 'rate_limited' }] });
          expect(bad.received).toEqual([]);
          expect(good.keys()).toEqual(batch.map((a) => a.key));

          const retried = await retryOutbox(run(open(), notifiers, minutes(2)));
          expect(retried).toMatchObject({ delivered: 2, pending: 0, failures: [] });
          for (const alert of batch) {
            expect(slack.count(alert.key)).toBe(1);
            expect(email.count(alert.key)).toBe(1);
          }
          const working = notifiers.find((n) => n.kind !== failing)!;
          expect(working.calls).toHaveLength(1);
        }
      });

      it('parks a permanent Slack failure, still emails, and announces it by email', async () => {
        const open = openWorld();
        const [slack, email] = [new FakeChannel(), new FakeChannel()];
        const batch = alerts(2);
        const notifiers = both(slack, email, [{ code: 'channel_not_found', retryable: false }]);
        const log = new RecordingLog();
        const report = await deliverAlerts(batch, run(open(), notifiers, T0, log));
        expect(report).toMatchObject({ delivered: 2, parked: 2, pending: 0 });
        expect(report.failures).toEqual([expect.objectContaining({ destination: 'security', transport: 'slack', code: 'channel_not_found' })]);
        for (const alert of batch) {
          expect((await open().getDelivery(alert.key, 'security', 'slack'))?.status).toBe('parked');
          expect((await open().getDelivery(alert.key, 'security', 'email'))?.status).toBe('sent');
        }
        const warnings = email.received.filter((a) => a.rule === DESTINATION_FAILING_RULE);
        expect(warnings).toHaveLength(1);
        expect(warnings[0]!.title).toBe('Alerts to destination "security" (slack) are failing: channel_not_found');
        expect(slack.received).toEqual([]);
        expect(email.received.filter((a) => a.rule !== DESTINATION_FAILING_RULE).map((a) => a.key)).toEqual(batch.map((a) => a.key));
        expect(log.at('error').join('\n')).toMatch(/security \(slack\) refused alerts permanently/i);
        // Never retried, to either transport.
        expect(await retryOutbox(run(open(), notifiers, minutes(600)))).toMatchObject({ delivered: 0, pending: 0 });
        expect(notifiers.map((n) => n.calls.length)).toEqual([1, 2]);
      });

      it('moves a pending row of the per-destination ledger (older version) to every transport, once', async () => {
        const open = openWorld();
        const [slack, email] = [new FakeChannel(), new FakeChannel()];
        const [pending, sent] = alerts(2);
        const before = open();
        // What the older version left behind: one row per destination, one pending (its lease ran out), one sent.
        await before.claimDelivery({ key: pending!.key, destination: 'security', transport: null, alert: pending!, leaseUntil: T0, createdAt: T0 });
        await before.claimDelivery({ key: sent!.key, destination: 'security', transport: null, alert: sent!, leaseUntil: T0, createdAt: T0 });
        await before.updateDelivery((await before.getDelivery(sent!.key, 'security', null))!, { status: 'sent', sentAt: T0 });

        // Two upgraded runs at once: the outbox of each, and a scan re-reading both alerts.
        const [r1, r2, scan] = await Promise.all([
          retryOutbox(run(open(), both(slack, email), minutes(1))),
          retryOutbox(run(open(), both(slack, email), minutes(1))),
          deliverAlerts([pending!, sent!], run(open(), both(slack, email), minutes(1))),
        ]);
        const later = await retryOutbox(run(open(), both(slack, email), minutes(2)));
        expect(r1.delivered + r2.delivered + scan.delivered + later.delivered).toBe(2);
        expect(slack.keys()).toEqual([pending!.key]);
        expect(email.keys()).toEqual([pending!.key]);
        expect((await open().getDelivery(pending!.key, 'security', null))?.status).toBe('moved');
        for (const transport of ['slack', 'email']) {
          expect((await open().getDelivery(pending!.key, 'security', transport))?.status).toBe('sent');
          // The alert the older version sent is not sent again (see legacyLedgerRows).
          expect((await open().getDelivery(sent!.key, 'security', transport))?.status).toBe('sent');
        }
        expect(await retryOutbox(run(open(), both(slack, email), minutes(90)))).toMatchObject({ delivered: 0, pending: 0 });
        expect(slack.received).toHaveLength(1);
        expect(email.received).toHaveLength(1);
      });
    });

    it('parks only the undelivered part of a permanent partial failure', async () => {
      const open = openWorld();
      const channel = new FakeChannel();
      const batch = alerts(3);
      const n = new RecordingNotifier('security', channel, [{ code: 'invalid_auth', retryable: false, deliverFirst: 1 }]);
      const log = new RecordingLog();
      const report = await deliverAlerts(batch, run(open(), [n], T0, log));
      expect(report).toMatchObject({ delivered: 1, parked: 2 });
      expect(log.at('error').join('\n')).toContain('No other destination to warn');
      expect((await open().getDelivery(batch[0]!.key, 'security', 'test'))?.status).toBe('sent');
      expect((await open().getDelivery(batch[2]!.key, 'security', 'test'))?.status).toBe('parked');
    });
  });
}
