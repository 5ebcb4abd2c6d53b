import type { Alert } from '../model/Alert';
import { systemEvent } from '../model/systemEvent';

export const DESTINATION_FAILING_RULE = 'pgaudit-alerts-destination-failing';

/**
 * The warning sent through the other destinations when one refuses alerts permanently. It names the
 * destination, its transport and the error code only: error messages may carry transport detail that
 * does not belong in a chat channel. The key has the hour in it, so overlapping runs send one warning
 * per destination, transport, code and hour, not one per run.
 */
export function destinationFailureAlert(failure: { destination: string; transport: string; kind: string; code: string; parked: number }, now: Date): Alert {
  const hour = now.toISOString().slice(0, 13);
  const event = systemEvent({ time: now.toISOString(), class: 'MISC', command: 'NOTIFY' });
  return {
    rule: DESTINATION_FAILING_RULE,
    severity: 'high',
    title: `Alerts to destination "${failure.destination}" (${failure.kind}) are failing: ${failure.code}`,
    description: `${failure.parked} alert(s) for "${failure.destination}" (${failure.kind}) were refused with a permanent error `
      + `(${failure.code}) and parked; they will not be retried. Fix the destination's settings or permissions; `
      + 'the parked alerts stay in the ledger (status parked) and in the function logs.',
    event,
    key: `${DESTINATION_FAILING_RULE}/${failure.destination}/${failure.transport}/${failure.code}/${hour}`,
  };
}
