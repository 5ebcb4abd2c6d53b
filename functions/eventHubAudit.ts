/**
 * Azure Functions wiring only: the Event Hubs trigger, registered only when EVENTHUB_NAME is set.
 * Its batches run the same pipeline as the timer's scan (shared/scan/runEventHubBatch).
 */
import { app, type EventHubFunctionOptions } from '@azure/functions';
import { createEventHubHandler } from '../shared/scan/createEventHubHandler';
import { eventHubTriggerOptions } from '../shared/scan/eventHubTriggerOptions';

const trigger = eventHubTriggerOptions(process.env);
if (trigger) {
  // dataType is a binding property the typed options do not list; the library passes it through to the host.
  const options: EventHubFunctionOptions = { ...trigger, handler: createEventHubHandler() };
  app.eventHub('eventHubAudit', options);
}
