/** The connection name the trigger uses: `PGAUDIT_EVENTHUB` (a connection string) or `PGAUDIT_EVENTHUB__fullyQualifiedNamespace` (identity). */
export const EVENTHUB_CONNECTION = 'PGAUDIT_EVENTHUB';

export interface EventHubTriggerSettings {
  connection: string;
  eventHubName: string;
  consumerGroup: string;
  cardinality: 'many';
  /** Bodies as bytes: our own bounded JSON decoding (depth, size) reads them, not the library's JSON.parse. */
  dataType: 'binary';
  retry: { strategy: 'exponentialBackoff'; maxRetryCount: number; minimumInterval: number; maximumInterval: number };
}

/**
 * The trigger's binding, or null when EVENTHUB_NAME is unset (the function is then not registered, so an
 * app without Event Hubs needs no connection). The hub name is read by the host from the app setting.
 * A failed batch is retried without end, with backoff: the host does not checkpoint past it, so no
 * record is skipped while a destination or the state store is down (the log says why it waits).
 */
export function eventHubTriggerOptions(env: Record<string, string | undefined>): EventHubTriggerSettings | null {
  if (!env.EVENTHUB_NAME?.trim()) return null;
  return {
    connection: EVENTHUB_CONNECTION,
    eventHubName: '%EVENTHUB_NAME%',
    consumerGroup: env.EVENTHUB_CONSUMER_GROUP?.trim() || '$Default',
    cardinality: 'many',
    dataType: 'binary',
    retry: { strategy: 'exponentialBackoff', maxRetryCount: -1, minimumInterval: 5_000, maximumInterval: 300_000 },
  };
}
