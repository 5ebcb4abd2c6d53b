import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../shared/dedupe/MemoryStateStore';
import { StateStoreError } from '../../shared/dedupe/StateStoreError';
import { deliverAlerts } from '../../shared/deliver/deliverAlerts';
import { retryOutbox } from '../../shared/deliver/retryOutbox';
import type { Alert } from '../../shared/model/Alert';
import type { Notifier } from '../../shared/notify/Notifier';
import { sampleAlert } from '../support/sampleAlert';
import { dyingAfterSend, FakeChannel, RecordingLog, RecordingNotifier, wrapStore } from '../support/deliveryFakes';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const later = (minutes: number) => () => new Date(T0.getTime() + minutes * 60_000);

describe('delivery when parts of the machinery fail', () => {
  it('sends nothing it could not claim, and counts it as unclaimed so the watermark stays', async () => {
    const store = wrapStore(new MemoryStateStore(), () => ({
      claimDelivery: () => Promise.reject(new StateStoreError('pgauditLedger', 'claimDelivery', new Error('HTTP 503'))),
    }));
    const channel = new FakeChannel();
    const log = new RecordingLog();
    const report = await deliverAlerts([sampleAlert(1), sampleAlert(2)], { store, notifiers: [new RecordingNotifier('security', channel)], now: later(0), log });
    expect(report).toMatchObject({ delivered: 0, unclaimed: 2 });
    expect(report.failures[0]).toMatchObject({ destination: 'security', code: 'state_store' });
    expect(report.failures[0]!.message).toContain('claimDelivery on table pgauditLedger');
    expect(channel.received).toEqual([]);
    expect(log.at('error')).toHaveLength(2);
  });

  it('treats a notifier that throws something other than NotifyError as a retryable failure', async () => {
    const store = new MemoryStateStore();
    const alert = sampleAlert(1);
    let calls = 0;
    const channel: Alert[] = [];
    const broken: Notifier = {
      destination: 'security', kind: 'test',
      notify: async (alerts) => {
        if (calls++ === 0) throw new TypeError('cannot read properties of undefined');
        channel.push(...alerts);
      },
    };
    const log = new RecordingLog();
    const first = await deliverAlerts([alert], { store, notifiers: [broken], now: later(0), log });
    expect(first).toMatchObject({ pending: 1, failures: [{ code: 'unexpected', message: 'cannot read properties of undefined' }] });
    expect(await retryOutbox({ store, notifiers: [broken], now: later(2), log })).toMatchObject({ delivered: 1 });
    expect(channel).toEqual([alert]);
  });

  it('resends (once) when the destination cannot answer findDelivered, and says so', async () => {
    const memory = new MemoryStateStore();
    const channel = new FakeChannel();
    await deliverAlerts([sampleAlert(1)], { store: dyingAfterSend(memory), notifiers: [new RecordingNotifier('security', channel)], now: later(0), log: new RecordingLog() });
    const n = new RecordingNotifier('security', channel);
    n.findDelivered = () => Promise.reject(new Error('missing_scope'));
    const log = new RecordingLog();
    expect(await retryOutbox({ store: memory, notifiers: [n], now: later(11), log })).toMatchObject({ delivered: 1 });
    expect(channel.count(sampleAlert(1).key)).toBe(2);
    expect(log.at('warn').join('\n')).toContain('missing_scope');
  });

  it('leaves outbox rows of a destination that lost its notifier pending', async () => {
    const store = new MemoryStateStore();
    const flaky = new RecordingNotifier('security', new FakeChannel(), [{ code: 'rate_limited', retryable: true }]);
    await deliverAlerts([sampleAlert(1)], { store, notifiers: [flaky], now: later(0), log: new RecordingLog() });
    const report = await retryOutbox({ store, notifiers: [], now: later(5), log: new RecordingLog() });
    expect(report).toMatchObject({ pending: 1, failures: [{ destination: 'security', code: 'no_notifier' }] });
    expect((await store.getDelivery(sampleAlert(1).key, 'security', 'test'))?.status).toBe('pending');
  });
});
