/**
 * Azure Functions wiring only: the timer that runs the same scan as `pgaudit-alerts scan`.
 * The schedule comes from the AUDIT_SCHEDULE app setting (NCRONTAB, 6 fields, UTC).
 */
import { app } from '@azure/functions';
import { createTimerHandler } from '../shared/scan/createTimerHandler';

app.timer('auditScan', {
  schedule: '%AUDIT_SCHEDULE%',
  runOnStartup: false,
  useMonitor: true,
  handler: createTimerHandler(),
});
