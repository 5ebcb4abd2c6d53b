import { UserError } from '../../errors/UserError';
import { checkTimeZone } from '../../parse/LogTimestamps';
import { checkRulesFile } from '../../rules/loadRules';
import { DEFAULT_RULES_PATH } from '../../rules/defaultRulesPath';
import { doctorSummary, formatDoctorReport } from '../../scan/doctor/formatDoctorReport';
import { doctorSources, readSourceWindow } from '../../scan/doctor/sourceWindow';
import { parseAuditLog } from '../../merge/parseAuditLog';
import { doctorFailed, runDoctor, type DoctorReport } from '../../scan/doctor/runDoctor';
import { ServerObservations } from '../../scan/doctor/ServerObservations';
import { POLLED_SOURCES } from '../../scan/polledSources';
import { loadSettings } from '../../settings/loadSettings';
import { parseIsoDuration } from '../../settings/parseIsoDuration';
import { secretsInEnv } from '../../settings/secretSettings';
import type { CliCommand } from '../CliIO';
import type { CommandSpec } from '../CommandSpec';
import { usageLine } from '../formatHelp';
import { openInput } from '../openInput';
import { parseArgs } from '../parseArgs';
import { stderrLogger } from '../stderrLogger';
import { logTimezoneOption, parseFormat } from './parse';
import { parseListOverrides, scanSpec } from './scan';

/** A day: long enough for nightly jobs to show their classes. */
const DEFAULT_SINCE = 'P1D';

export const doctorSpec: CommandSpec = {
  name: 'doctor',
  summary: 'what the logs show per server (pgAudit classes, connection lines, log_relation, prefix, newest record) and whether each rule can fire; exit 1 when one cannot',
  options: {
    source: { type: 'string', value: 'NAME', description: `read this polled source as scan does: ${Object.keys(POLLED_SOURCES).join(', ')} (default: every configured one)` },
    input: { type: 'string', value: 'FILE', description: 'read this log file (or - for stdin) instead, in any format scan --input reads' },
    since: { type: 'string', value: 'DURATION', description: `ISO 8601 window back from now, e.g. PT6H (default ${DEFAULT_SINCE} for a source; the whole file with --input)` },
    format: scanSpec.options.format!,
    prefix: scanSpec.options.prefix!,
    'log-timezone': scanSpec.options['log-timezone']!,
    server: scanSpec.options.server!,
    rules: scanSpec.options.rules!,
    list: scanSpec.options.list!,
  },
  notes: [
    'The polled sources read the settings scan reads (LOGS_WORKSPACE_ID, ARCHIVE_STORAGE_ACCOUNT, PG_SERVERS, PG_LOG_LINE_PREFIX, ...); sign in with az login. No state is read or written.',
    "example: npx pgaudit-alerts doctor --input test/fixtures/demo/azure-diagnostics.ndjson --list 'sensitive_tables=sales.payment_cards' --list service_accounts=etl_loader",
  ],
};

/**
 * `doctor`: reads a recent window of what a scan reads and tells, per server, what the log shows and
 * whether each enabled rule can fire on it (and why not). Exit 1 when some rule cannot.
 */
export const doctorCommand: CliCommand = async (argv, io) => {
  const { values, positionals } = parseArgs(doctorSpec, argv);
  if (positionals.length > 0) throw new UserError(`unexpected argument ${JSON.stringify(positionals[0])}; usage: ${usageLine(doctorSpec)}`);
  const input = values.input as string | undefined;
  const sourceName = values.source as string | undefined;
  if (input !== undefined && sourceName !== undefined) throw new UserError('--source and --input exclude each other: read a polled source, or a file');
  const now = (io.now ?? (() => new Date()))();
  const sinceText = values.since as string | undefined;
  const sinceMs = sinceText === undefined ? null : parseDuration(sinceText);
  const rulesFile = (values.rules as string | undefined) ?? io.env.AUDIT_RULES_PATH ?? DEFAULT_RULES_PATH;
  const rules = await checkRulesFile(rulesFile, io.cwd, { lists: parseListOverrides((values.list as string[] | undefined) ?? []) });
  if (rules.messages.length > 0) {
    throw new UserError(`${rulesFile}: ${rules.messages.length} problem(s) in the rules file (run check-rules):\n${rules.messages.join('\n')}`, { code: 'RULES_INVALID' });
  }

  const zone = values['log-timezone'] as string | undefined;
  const env = zone === undefined ? io.env : { ...io.env, PG_LOG_TIMEZONE: checkTimeZone(zone, '--log-timezone') };
  const log = stderrLogger(io, secretsInEnv(io.env));
  const prefix = (values.prefix as string | undefined) ?? io.env.PG_LOG_LINE_PREFIX;
  const reports: DoctorReport[] = [];

  if (input !== undefined) {
    // Only --since bounds a file: it is read whole otherwise.
    const since = sinceMs === null ? null : new Date(now.getTime() - sinceMs);
    const observations = new ServerObservations(since?.toISOString() ?? null);
    const { stream: bytes, name } = await openInput(input, io);
    // The file path of `parse` and `scan --input` (it also reports the format it detected).
    const stream = parseAuditLog(bytes, {
      format: parseFormat(values.format as string),
      ...(prefix !== undefined ? { prefix } : {}),
      logTimezone: logTimezoneOption(zone, io.env),
      server: (values.server as string | undefined) ?? null,
      source: name,
      onSessionContext: observations.connection,
    });
    reports.push(await runDoctor(stream, observations, rules, { source: name, since, now }));
  } else {
    const settings = loadSettings(env);
    for (const source of doctorSources(settings, sourceName, sinceMs ?? parseIsoDuration(DEFAULT_SINCE, '--since'), log)) {
      const observations = new ServerObservations();
      const { stream, window } = await readSourceWindow(source, { now, log, prefix: prefix ?? settings.logLinePrefix, logTimezone: settings.logTimezone }, observations.connection);
      reports.push(await runDoctor(stream, observations, rules, { source: source.description, since: window ? new Date(window.from) : null, now }));
    }
  }
  for (const report of reports) {
    io.stdout.write(formatDoctorReport(report));
    for (const warning of report.warnings) log.warn(warning);
    log.info(doctorSummary(report));
  }
  return reports.some(doctorFailed) ? 1 : 0;
};

function parseDuration(text: string): number {
  try {
    return parseIsoDuration(text, '--since');
  } catch (err) {
    throw new UserError((err as Error).message.replace(/^setting /, ''), { cause: err });
  }
}
