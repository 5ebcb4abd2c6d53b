import { MemoryStateStore } from '../../dedupe/MemoryStateStore';
import { UserError } from '../../errors/UserError';
import { createNotifiers } from '../../notify/createNotifiers';
import { renderOptionsFor } from '../../notify/renderOptionsFor';
import type { Alert } from '../../model/Alert';
import { jsonWithVisibleEscapes } from '../../notify/message/plainText';
import { renderAlertText } from '../../notify/text/renderAlertText';
import { loadRules } from '../../rules/loadRules';
import { POLLED_SOURCES } from '../../scan/polledSources';
import { runPipeline } from '../../scan/runPipeline';
import { fileSource } from '../../source/file/fileSource';
import { runScanFromEnvironment } from '../../scan/runScanFromEnvironment';
import { loadSettings } from '../../settings/loadSettings';
import { formatScanReport, type ScanReport } from '../../scan/ScanReport';
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
  summary: 'match rules and alert: a log file with --input, else the polled sources (Log Analytics, Storage archive, OpenSearch) exactly as the timer function does',
  options: {
    input: { type: 'string', value: 'FILE', description: 'scan this file (or - for stdin) instead of the polled sources; keeps no state' },
    source: { type: 'string', value: 'NAME', description: `scan only this polled source, as the timer does: ${Object.keys(POLLED_SOURCES).join(', ')} (default: every configured one)` },
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
    'Polled scans read LOGS_WORKSPACE_ID (Log Analytics), ARCHIVE_STORAGE_ACCOUNT (Storage archive), AzureWebJobsStorage and the other settings in the README; sign in with az login.',
    "example: npx pgaudit-alerts scan --input test/fixtures/demo/azure-diagnostics.ndjson --list 'sensitive_tables=sales.payment_cards' --dry-run",
  ],
};

/**
 * `scan`: the product's main job. With `--input` it scans a file (a pure function of the file and the
 * rules: no state, no Azure account); without, it runs the polled sources (`--source NAME`: one) exactly as the timer does.
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

  const source = values.source as string | undefined;
  if (input !== undefined && source !== undefined) throw new UserError('--input scans a file and --source a polled source: use one of them');
  if (input === undefined) {
    // The polled sources: exactly what the timer function runs.
    const zone = values['log-timezone'] as string | undefined;
    const env = zone === undefined ? io.env : { ...io.env, PG_LOG_TIMEZONE: checkTimeZone(zone, '--log-timezone') };
    const reports = await runScanFromEnvironment(env, stderrLogger(io, secretsInEnv(io.env)), {
      cwd: io.cwd,
      ...(values.rules !== undefined ? { rulesFile: values.rules as string } : {}),
      ...(source !== undefined ? { source } : {}),
      lists,
      ...(print ? { dryRun: async (alerts: Alert[]) => { await print.write(alerts); await print.end(); } } : {}),
    });
    for (const report of reports) writeReport(io, report);
    // A run that failed has told the operator (and, when failures repeat, the destinations) why.
    const kinds = reports.map((r) => r.errorKind);
    return kinds.includes('unexpected') ? 2 : kinds.includes('user') ? 1 : 0;
  }

  // A file is a source like the others, run through the same pipeline with an in-memory state store:
  // nothing is kept between runs, so retries, digests and permanent failures behave as in the timer.
  // A dry run reads no settings but the parser's (it needs no Azure account and no destination).
  const rulesFile = (values.rules as string | undefined) ?? io.env.AUDIT_RULES_PATH ?? DEFAULT_RULES_PATH;
  const zone = logTimezoneOption(values['log-timezone'] as string | undefined, io.env);
  const settings = loadSettings(print ? {} : io.env);
  const log = stderrLogger(io, secretsInEnv(io.env));
  const { stream, name } = await openInput(input, io);
  const prefix = (values.prefix as string | undefined) ?? io.env.PG_LOG_LINE_PREFIX;
  const report = await runPipeline({
    settings: { ...settings, logTimezone: zone, ...(prefix !== undefined ? { logLinePrefix: prefix } : {}) },
    loadRules: () => loadRules(rulesFile, io.cwd, { lists }),
    source: fileSource({ input: stream, name, format: parseFormat(values.format as string), server: (values.server as string | undefined) ?? null }),
    store: new MemoryStateStore(),
    notifiersFor: (destinations) => createNotifiers(settings, [...destinations], { log, render: renderOptionsFor(settings) }),
    now: () => new Date(),
    log,
    ...(print ? { dryRun: print.write } : {}),
  });
  if (print) await print.end();
  writeReport(io, report);
  // Nothing keeps a file scan's unsent alerts (its store is in memory): pending ones count as failures.
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

function writeReport(io: CliIO, report: ScanReport): void {
  const log = stderrLogger(io, secretsInEnv(io.env));
  for (const warning of report.warnings) log.warn(warning);
  log.info(formatScanReport(report));
}
