import { MemoryStateStore } from '../../dedupe/MemoryStateStore';
import { deliverAlerts } from '../../deliver/deliverAlerts';
import { UserError } from '../../errors/UserError';
import type { Destination } from '../../model/Destination';
import { createNotifiers } from '../../notify/createNotifiers';
import { renderOptionsFor } from '../../notify/renderOptionsFor';
import type { Alert } from '../../model/Alert';
import { jsonWithVisibleEscapes } from '../../notify/message/plainText';
import { renderAlertText } from '../../notify/text/renderAlertText';
import { parseAuditLog } from '../../merge/parseAuditLog';
import { loadRules } from '../../rules/loadRules';
import { parseWarnings } from '../../scan/parseWarnings';
import { runScanFromEnvironment } from '../../scan/runScanFromEnvironment';
import { loadSettings } from '../../settings/loadSettings';
import { countDelivery, emptyScanReport, formatScanReport, type ScanReport } from '../../scan/ScanReport';
import { scanEvents } from '../../scan/scanEvents';
import type { CliCommand, CliIO } from '../CliIO';
import type { CommandSpec } from '../CommandSpec';
import { usageLine } from '../formatHelp';
import { LineWriter } from '../LineWriter';
import { openInput } from '../openInput';
import { parseArgs } from '../parseArgs';
import { checkTimeZone } from '../../parse/LogTimestamps';
import { secretsInEnv } from '../../settings/secretSettings';
import { stderrLogger } from '../stderrLogger';
import { logTimezoneOption, parseFormat } from './parse';
import { DEFAULT_RULES_PATH } from '../../rules/defaultRulesPath';

/** Statements are trimmed in the terminal; `--json` and the notifiers carry them whole (within limits). */
const TERMINAL_STATEMENT_CHARS = 600;

export const scanSpec: CommandSpec = {
  name: 'scan',
  summary: 'match rules and alert: a log file with --input, else Log Analytics exactly as the timer function does',
  options: {
    input: { type: 'string', value: 'FILE', description: 'scan this file (or - for stdin) instead of Log Analytics; keeps no state' },
    format: { type: 'string', default: 'auto', value: 'FORMAT', description: 'format of --input: auto, stderr, csvlog, jsonlog, azure-diagnostics, pgsql-server-logs, azure-blob, opensearch' },
    prefix: { type: 'string', value: 'PREFIX', description: "log_line_prefix of --input (default: PG_LOG_LINE_PREFIX, else Azure's %t-%c-)" },
    'log-timezone': { type: 'string', value: 'ZONE', description: "the server's log_timezone (IANA name) for zone abbreviations that name several zones (IST, CST, ...); default PG_LOG_TIMEZONE" },
    server: { type: 'string', value: 'NAME', description: 'server name for events from a plain log file' },
    rules: { type: 'string', value: 'FILE', description: 'rules file (default: AUDIT_RULES_PATH, else config/rules.yaml)' },
    list: { type: 'string', multiple: true, value: 'NAME=a,b', description: 'replace a list the rules file defines, e.g. sensitive_tables=sales.cards,hr.*' },
    'dry-run': { type: 'boolean', default: false, description: 'print the alerts instead of sending them; write no state' },
    json: { type: 'boolean', default: false, description: 'with --dry-run: one JSON Alert per line' },
  },
  notes: [
    'Log Analytics scans read LOGS_WORKSPACE_ID, AzureWebJobsStorage and the other settings in the README; sign in with az login.',
    "example: npx pgaudit-alerts scan --input test/fixtures/demo/azure-diagnostics.ndjson --list 'sensitive_tables=sales.payment_cards' --dry-run",
  ],
};

/**
 * `scan`: the product's main job. With `--input` it scans a file (a pure function of the file and the
 * rules: no state, no Azure account); without, it scans Log Analytics exactly as the timer does.
 * `--dry-run` prints the alerts instead of sending them (`--json`: one Alert per line).
 */
export const scanCommand: CliCommand = async (argv, io) => {
  const { values, positionals } = parseArgs(scanSpec, argv);
  if (positionals.length > 0) throw new UserError(`unexpected argument ${JSON.stringify(positionals[0])}; usage: ${usageLine(scanSpec)}`);
  if (values.json && !values['dry-run']) throw new UserError('--json prints alerts instead of sending them; use it with --dry-run');
  const lists = parseListOverrides((values.list as string[] | undefined) ?? []);
  const dryRun = values['dry-run'] as boolean;
  const print = dryRun ? alertPrinter(io, values.json as boolean) : null;
  const input = values.input as string | undefined;

  if (input === undefined) {
    // Log Analytics: exactly what the timer function runs.
    const zone = values['log-timezone'] as string | undefined;
    const env = zone === undefined ? io.env : { ...io.env, PG_LOG_TIMEZONE: checkTimeZone(zone, '--log-timezone') };
    const report = await runScanFromEnvironment(env, stderrLogger(io, secretsInEnv(io.env)), {
      cwd: io.cwd,
      ...(values.rules !== undefined ? { rulesFile: values.rules as string } : {}),
      lists,
      ...(print ? { dryRun: async (alerts: Alert[]) => { await print.write(alerts); await print.end(); } } : {}),
    });
    writeReport(io, report);
    // A run that failed has told the operator (and, when failures repeat, the destinations) why.
    return report.errorKind === null ? 0 : report.errorKind === 'user' ? 1 : 2;
  }

  const rulesFile = (values.rules as string | undefined) ?? io.env.AUDIT_RULES_PATH ?? DEFAULT_RULES_PATH;
  const ruleSet = await loadRules(rulesFile, io.cwd, { lists });
  for (const warning of ruleSet.warnings) io.stderr.write(`warning: ${warning}\n`);
  // A file scan keeps no state; sending still goes through the ledger logic, in memory, so retries,
  // digests and permanent failures behave exactly as in the timer.
  const send = print ? null : fileSender(io, ruleSet.destinations);
  const report = emptyScanReport();
  const { stream, name } = await openInput(input, io);
  const parsed = parseAuditLog(stream, {
    format: parseFormat(values.format as string),
    prefix: (values.prefix as string | undefined) ?? io.env.PG_LOG_LINE_PREFIX,
    logTimezone: logTimezoneOption(values['log-timezone'] as string | undefined, io.env),
    server: (values.server as string | undefined) ?? null,
    source: name,
  });
  const collected: Alert[] = [];
  await scanEvents(parsed.batches, ruleSet, report, print ? print.write : (alerts) => void collected.push(...alerts));
  if (print) await print.end();
  const summary = parsed.summary();
  report.rowsRead = summary.records;
  report.malformed = summary.malformed + summary.truncated;
  report.warnings.push(...parseWarnings(summary));
  if (send) {
    const delivery = await send(collected);
    countDelivery(report, delivery);
    // Nothing keeps a file scan's unsent alerts: they count as pending, and the exit code says so.
    report.pending += delivery.unclaimed;
  }
  writeReport(io, report);
  return report.pending + report.parked > 0 ? 1 : 0;
};

/** `--list sensitive_tables=sales.cards,hr.*` → { sensitive_tables: [...] } (an empty value empties the list). */
export function parseListOverrides(specs: string[]): Record<string, string[]> {
  const lists: Record<string, string[]> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UserError(`--list ${JSON.stringify(spec)} must look like NAME=value1,value2`);
    lists[spec.slice(0, eq)] = spec.slice(eq + 1).split(',').map((s) => s.trim()).filter((s) => s !== '');
  }
  return lists;
}

function alertPrinter(io: CliIO, json: boolean) {
  const out = new LineWriter(io.stdout);
  return {
    write: async (alerts: Alert[]) => {
      for (const alert of alerts) out.add(json ? jsonWithVisibleEscapes(JSON.stringify(alert)) : renderAlertText(alert, {}, TERMINAL_STATEMENT_CHARS));
      await out.flushIfFull();
    },
    end: () => out.flush(),
  };
}

/**
 * Sends a file scan's alerts to the configured destinations. Nothing is kept between runs, so what
 * could not be sent is reported (and the command exits 1) instead of waiting in an outbox.
 */
function fileSender(io: CliIO, destinations: readonly Destination[]) {
  const settings = loadSettings(io.env);
  const log = stderrLogger(io, secretsInEnv(io.env));
  const notifiers = createNotifiers(settings, [...destinations], { log, render: renderOptionsFor(settings) });
  return (alerts: Alert[]) => deliverAlerts(alerts, { store: new MemoryStateStore(), notifiers, now: () => new Date(), log });
}

function writeReport(io: CliIO, report: ScanReport): void {
  const log = stderrLogger(io, secretsInEnv(io.env));
  for (const warning of report.warnings) log.warn(warning);
  log.info(formatScanReport(report));
}
