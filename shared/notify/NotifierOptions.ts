import type { Logger } from '../util/Logger';
import type { RenderOptions } from './message/RenderOptions';
import type { Sleep } from '../util/sleep';
import type { RetryPolicy } from './retryPolicy';

/** What every transport takes besides its own client settings. */
export interface NotifierOptions {
  /** Destination name from the rules file, or `default`. */
  destination: string;
  /** More alerts than this in one notify() call become a digest (ALERT_DIGEST_THRESHOLD). */
  digestThreshold: number;
  render?: RenderOptions;
  logger?: Logger;
  /** Retry policy and its clock; tests inject a sleep that does not wait. */
  retry?: { policy?: RetryPolicy; sleep?: Sleep; random?: () => number };
}

/** Storm control: one message per alert up to the threshold, a digest above it. */
export function wantsDigest(alertCount: number, digestThreshold: number): boolean {
  return alertCount > digestThreshold;
}
