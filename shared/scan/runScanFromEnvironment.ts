import { UserError } from '../errors/UserError';
import { requireScanSettings } from '../settings/loadSettings';
import type { Settings } from '../settings/Settings';
import type { Logger } from '../util/Logger';
import { pipelineFromEnvironment, type EnvironmentPipelineOptions } from './pipelineFromEnvironment';
import { NOT_YET_AVAILABLE, POLLED_SOURCES, type PolledSource, type PolledSourceName } from './polledSources';
import { runPipeline } from './runPipeline';
import type { ScanReport } from './ScanReport';

export interface EnvironmentScanOptions extends EnvironmentPipelineOptions {
  /** `scan --source NAME`: only this polled source; default every configured one. */
  source?: string;
}

/**
 * The polled scan configured from app settings (or the CLI's environment): the one code path shared by
 * the timer function and `pgaudit-alerts scan`. Runs each configured polled source (or the one named)
 * through the pipeline, one after the other, each with its own watermark; one failing does not stop the
 * others. Settings are validated first and a missing or invalid one fails fast, naming it.
 */
export async function runScanFromEnvironment(
  env: Record<string, string | undefined>,
  log: Logger,
  options: EnvironmentScanOptions = {},
): Promise<ScanReport[]> {
  const pipeline = pipelineFromEnvironment(env, log, options);
  const { settings, credentials } = pipeline;
  const names = chooseSources(settings, env, log, options.source);
  const reports: ScanReport[] = [];
  for (const name of names) {
    const source = POLLED_SOURCES[name].create({ settings, credential: credentials.app, storageCredential: credentials.storage, log });
    reports.push(await runPipeline(pipeline.depsFor(source)));
  }
  return reports;
}

/** The sources this run reads: the one asked for, else every configured one (in POLLED_SOURCES' order). */
function chooseSources(settings: Settings, env: Record<string, string | undefined>, log: Logger, asked: string | undefined): PolledSourceName[] {
  const table: Record<string, PolledSource> = POLLED_SOURCES;
  const pending = Object.entries(NOT_YET_AVAILABLE).filter(([setting]) => (env[setting] ?? '').trim() !== '');
  if (asked !== undefined) {
    const entry = table[asked];
    if (entry === undefined) {
      const planned = Object.values(NOT_YET_AVAILABLE).includes(asked);
      throw new UserError(planned
        ? `--source ${asked} is not available in this version of pgaudit-alerts yet; available: ${Object.keys(table).join(', ')}`
        : `--source ${JSON.stringify(asked)} is not a polled source; use one of ${Object.keys(table).join(', ')}`);
    }
    requireScanSettings(settings, { name: asked, needs: entry.needs, configured: entry.configured(settings) });
    return [asked as PolledSourceName];
  }
  const names = (Object.keys(POLLED_SOURCES) as PolledSourceName[]).filter((name) => table[name]!.configured(settings));
  for (const [setting, name] of pending) {
    const message = `${setting} is set, but the ${name} source is not available in this version of pgaudit-alerts yet: it is not scanned`;
    if (names.length === 0) throw new UserError(message);
    log.warn(message);
  }
  requireScanSettings(settings);
  return names;
}
