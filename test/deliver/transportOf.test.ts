import { describe, expect, it } from 'vitest';
import { notifiersByRoute, routeName, transportOf } from '../../shared/deliver/transportOf';
import { FakeChannel, RecordingNotifier } from '../support/deliveryFakes';

describe('transportOf', () => {
  it('keys the Slack bot and the Slack webhook as one transport, so switching between them resends nothing', () => {
    expect(['slack', 'slack-webhook', 'email', 'console'].map((kind) => transportOf({ kind }))).toEqual(['slack', 'slack', 'email', 'console']);
    expect(routeName('security', 'slack')).toBe('security (slack)');
  });

  it('refuses two notifiers for the same transport of a destination', () => {
    const channel = new FakeChannel();
    expect(() => notifiersByRoute([
      new RecordingNotifier('security', channel, [], false, 'slack'),
      new RecordingNotifier('security', channel, [], false, 'slack-webhook'),
    ])).toThrow('two notifiers for security (slack)');
    expect(notifiersByRoute([
      new RecordingNotifier('security', channel, [], false, 'slack'),
      new RecordingNotifier('security', channel, [], false, 'email'),
    ]).size).toBe(2);
  });
});
