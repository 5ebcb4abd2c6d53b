import { UserError } from '../../errors/UserError';
import { buildScanKql } from '../../logAnalytics/buildScanKql';
import { loadSettings } from '../../settings/loadSettings';
import type { CliCommand } from '../CliIO';
import type { CommandSpec } from '../CommandSpec';
import { usageLine } from '../formatHelp';
import { parseArgs } from '../parseArgs';

export const kqlSpec: CommandSpec = {
  name: 'kql',
  summary: 'print the KQL a scan sends (for LOGS_TABLE and PG_SERVERS), to paste into the Logs blade',
  options: {
    rules: { type: 'string', value: 'FILE', description: 'accepted for symmetry with scan: the query does not depend on the rules' },
  },
};

/**
 * `kql`: prints the query a scan sends, for the settings in the environment (LOGS_TABLE, PG_SERVERS),
 * with a concrete window (the first run's: SCAN_INITIAL_LOOKBACK up to now − SCAN_SETTLE_DELAY) so it
 * runs as pasted into the portal. `--rules` is accepted for symmetry with `scan`: the query does not
 * depend on the rules (every AUDIT line is read; rules are matched afterwards).
 */
export const kqlCommand: CliCommand = async (argv, io) => {
  const { positionals } = parseArgs(kqlSpec, argv);
  if (positionals.length > 0) throw new UserError(`unexpected argument ${JSON.stringify(positionals[0])}; usage: ${usageLine(kqlSpec)}`);
  const settings = loadSettings(io.env);
  const now = Date.now();
  const ingestedBefore = new Date(now - settings.settleDelayMs);
  const ingestedAfter = new Date(ingestedBefore.getTime() - settings.initialLookbackMs);
  const timespanStart = new Date(ingestedAfter.getTime() - settings.maxLatenessMs);
  const servers = settings.pgServers.length > 0 ? settings.pgServers.join(', ') : 'all servers';
  const header = [
    `// pgaudit-alerts scan query: LOGS_TABLE=${settings.logsTable}, PG_SERVERS=${servers}`,
    '// Each run the scan sets its own window, by arrival (ingestion_time()):',
    '//   ingestedAfter  = the stored watermark minus an overlap re-read every run (first run: now - SCAN_INITIAL_LOOKBACK)',
    '//   ingestedBefore = now - SCAN_SETTLE_DELAY',
    '// and sends the TimeGenerated range separately (the API timespan): ingestedAfter - SCAN_MAX_LATENESS .. ingestedBefore + 1h.',
    `// Window below: the first run's as of ${new Date(now).toISOString()}.`,
    `// In the portal, set the time range to at least ${timespanStart.toISOString()} .. now (it is intersected with the query).`,
  ];
  io.stdout.write(`${header.join('\n')}\n${buildScanKql({ table: settings.logsTable, servers: settings.pgServers, ingestedAfter, ingestedBefore })}\n`);
  return 0;
};
