import type { InvocationContext, Timer } from '@azure/functions';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { errorMessage } from '../errors/errorMessage';
import { createScrubber } from '../redact/createScrubber';
import { scrubbingLogger } from '../redact/scrubbingLogger';
import { secretsInEnv } from '../settings/secretSettings';
import type { Logger } from '../util/Logger';
import { formatScanReport, type ScanReport } from './ScanReport';
import { runScanFromEnvironment } from './runScanFromEnvironment';

export type ScanFunction = (env: Record<string, string | undefined>, log: Logger, options: { cwd: string }) => Promise<ScanReport[]>;

/**
 * The app root (where host.json and config/ are), which relative settings such as AUDIT_RULES_PATH
 * resolve against: the nearest folder above this file holding host.json (from dist/ or from source).
 */
export function appRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'host.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/**
 * The timer function's handler: runs the scan of every configured polled source with the app settings and
 * logs each report. A failed source (which has already alerted through the notifiers when failures repeat)
 * also fails the invocation, after the other sources ran, so the platform's own monitoring sees it.
 */
export function createTimerHandler(scan: ScanFunction = runScanFromEnvironment, env: Record<string, string | undefined> = process.env) {
  return async (timer: Timer, context: InvocationContext): Promise<void> => {
    // The invocation log leaves the process (Application Insights): every line is scrubbed of the app's secrets.
    const log = scrubbingLogger({ info: (m) => context.log(m), warn: (m) => context.warn(m), error: (m) => context.error(m) }, createScrubber(secretsInEnv(env)));
    if (timer.isPastDue) log.warn('timer is past due: a previous run was missed or overran; this run catches up from the watermark');
    let reports: ScanReport[];
    try {
      reports = await scan(env, log, { cwd: appRoot() });
    } catch (err) {
      log.error(`scan failed: ${errorMessage(err)}`);
      // The host logs a failed invocation's error too: it gets the scrubbed message, not the original (or its cause).
      throw new Error(log.scrub(`scan failed: ${errorMessage(err)}`));
    }
    for (const report of reports) {
      for (const warning of report.warnings) log.warn(warning);
      log.info(formatScanReport(report));
    }
    const failed = reports.filter((r) => r.error !== null);
    if (failed.length > 0) throw new Error(log.scrub(`scan failed: ${failed.map((r) => `${reports.length > 1 ? `${r.source}: ` : ''}${r.error}`).join('; ')}`));
  };
}
