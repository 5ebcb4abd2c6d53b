import type { Notifier } from '../notify/Notifier';

/**
 * The transport a notifier delivers by, as the ledger records it: `slack` (bot token or webhook: switching
 * between them must not resend what the channel already has), `email`, `console`, ... Each transport of
 * a destination has its own ledger row, retries and outcome, so Slack failing never blocks the email.
 */
export function transportOf(notifier: Pick<Notifier, 'kind'>): string {
  return notifier.kind === 'slack-webhook' ? 'slack' : notifier.kind;
}

/** `security (slack)`: how logs and failures name one transport of a destination. */
export function routeName(destination: string, transport: string | null): string {
  return transport === null ? destination : `${destination} (${transport})`;
}

/** Map key for a (destination, transport) pair; JSON so no name can make two pairs collide. */
export function routeKey(destination: string, transport: string | null): string {
  return JSON.stringify([destination, transport]);
}

/** The notifiers by (destination, transport); two notifiers for the same pair are a wiring bug. */
export function notifiersByRoute(notifiers: readonly Notifier[]): Map<string, Notifier> {
  const byRoute = new Map<string, Notifier>();
  for (const n of notifiers) {
    const key = routeKey(n.destination, transportOf(n));
    if (byRoute.has(key)) throw new Error(`two notifiers for ${routeName(n.destination, transportOf(n))}: each transport of a destination needs exactly one`);
    byRoute.set(key, n);
  }
  return byRoute;
}
