import type { Writable } from 'node:stream';
import type { Alert } from '../../model/Alert';
import { redactAlert } from '../../redact/redactAlert';
import type { Notifier } from '../Notifier';
import { wantsDigest } from '../NotifierOptions';
import { renderAlertText, renderDigestText } from './renderAlertText';
import type { RenderOptions } from '../message/RenderOptions';

export interface ConsoleNotifierOptions {
  /** Default `console`. */
  destination?: string;
  /** Digest above this many alerts per call; default: never (a dry run shows every alert in full). */
  digestThreshold?: number;
  render?: RenderOptions;
}

/** Writes the plain-text rendering to a stream: `scan --dry-run`, the demo, notify-test without settings. */
export class ConsoleNotifier implements Notifier {
  readonly kind = 'console';
  readonly destination: string;

  constructor(
    private readonly out: Writable,
    private readonly options: ConsoleNotifierOptions = {},
  ) {
    this.destination = options.destination ?? 'console';
  }

  async notify(alerts: Alert[]): Promise<void> {
    if (alerts.length === 0) return;
    const safe = alerts.map(redactAlert);
    const render = this.options.render ?? {};
    const texts = wantsDigest(safe.length, this.options.digestThreshold ?? Infinity) ? [renderDigestText(safe, render)] : safe.map((a) => renderAlertText(a, render));
    // One write per message, each followed by a blank line.
    for (const text of texts) await new Promise<void>((resolve, reject) => this.out.write(text + '\n', (err) => (err ? reject(err) : resolve())));
  }

  async findDelivered(): Promise<Set<string> | null> {
    return null;
  }
}
