import type { LedgerPatch, StateStore } from '../../shared/dedupe/StateStore';
import type { Alert } from '../../shared/model/Alert';
import { NotifyError, type Notifier } from '../../shared/notify/Notifier';

/** What a destination (a Slack channel, say) ended up holding: every accepted alert, duplicates included. */
export class FakeChannel {
  readonly received: Alert[] = [];
  count(key: string): number {
    return this.received.filter((a) => a.key === key).length;
  }
  keys(): string[] {
    return this.received.map((a) => a.key);
  }
}

export interface Fault {
  code: string;
  retryable: boolean;
  /** How many of the call's alerts got through before the failure. */
  deliverFirst?: number;
  message?: string;
}

/**
 * A Notifier (our interface, not an SDK) that delivers into a FakeChannel, with faults injected per call.
 * `canFind` gives it findDelivered, answered from the channel, like Slack history with message metadata.
 */
export class RecordingNotifier implements Notifier {
  readonly calls: string[][] = [];
  findDelivered?: (keys: string[], since: Date) => Promise<Set<string> | null>;
  /** `kind` is the transport (`slack`, `email`, ...): a destination with several has one notifier per kind. */
  constructor(readonly destination: string, readonly channel: FakeChannel, private readonly faults: Fault[] = [], canFind = false,
    readonly kind = 'test') {
    if (canFind) {
      this.findDelivered = async (keys) => new Set(keys.filter((k) => channel.count(k) > 0));
    }
  }

  async notify(alerts: Alert[]): Promise<void> {
    this.calls.push(alerts.map((a) => a.key));
    // A real send takes a while: lets overlapping runs interleave.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const fault = this.faults.shift();
    if (!fault) {
      this.channel.received.push(...alerts);
      return;
    }
    const through = alerts.slice(0, fault.deliverFirst ?? 0);
    this.channel.received.push(...through);
    throw new NotifyError(fault.message ?? `test destination said ${fault.code}`, {
      destination: this.destination, retryable: fault.retryable, code: fault.code, delivered: through.map((a) => a.key),
    });
  }
}

/** A handle on `store` with some methods replaced (the rest bound to the real store). */
export function wrapStore(store: StateStore, overrides: (real: StateStore) => Partial<StateStore>): StateStore {
  const replaced = overrides(store);
  return new Proxy(store, {
    get(target, prop) {
      if (prop in replaced) return replaced[prop as keyof StateStore];
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The process "dies" right after sending: every attempt to mark an alert sent throws. */
export function dyingAfterSend(store: StateStore): StateStore {
  return wrapStore(store, (real) => ({
    updateDelivery: (entry, patch: LedgerPatch) =>
      patch.status === 'sent' ? Promise.reject(new Error('process killed before marking')) : real.updateDelivery(entry, patch),
  }));
}

/**
 * Makes `runs` handles whose listDue answers are held back until every handle has listed: overlapping
 * outbox runs that all see the same due rows before any of them re-claims one.
 */
export function listingTogether(stores: StateStore[]): StateStore[] {
  let arrived = 0;
  let release!: () => void;
  const everyoneListed = new Promise<void>((resolve) => { release = resolve; });
  return stores.map((store) => wrapStore(store, (real) => ({
    listDue: async (now, limit) => {
      const due = await real.listDue(now, limit);
      if (++arrived === stores.length) release();
      await everyoneListed;
      return due;
    },
  })));
}

export class RecordingLog {
  readonly lines: { level: 'info' | 'warn' | 'error'; message: string }[] = [];
  info = (message: string) => { this.lines.push({ level: 'info', message }); };
  warn = (message: string) => { this.lines.push({ level: 'warn', message }); };
  error = (message: string) => { this.lines.push({ level: 'error', message }); };
  at(level: 'info' | 'warn' | 'error'): string[] {
    return this.lines.filter((l) => l.level === level).map((l) => l.message);
  }
}
