import { UserError } from '../../errors/UserError';
import { parseAuditLog } from '../../merge/parseAuditLog';
import { checkTimeZone } from '../../parse/LogTimestamps';
import { checkRulesFile } from '../../rules/loadRules';
import { DEFAULT_RULES_PATH } from '../../rules/defaultRulesPath';
import { doctorSummary, formatDoctorReport } from '../../scan/doctor/formatDoctorReport';
import { logAnalyticsWindow } from '../../scan/doctor/logAnalyticsWindow';
import { doctorFailed, runDoctor } from '../../scan/doctor/runDoctor';
import { ServerObservations } from '../../scan/doctor/ServerObservations';
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

/** Polled sources doctor can read (the ones `scan --source` runs). */
const SOURCES = ['log-analytics'] as const;
/** A day: long enough for nightly jobs to show their classes. */
const DEFAULT_SINCE = 'P1D';

export const doctorSpec: CommandSpec = {
  name: 'doctor',
  summary: 'what the logs show per server (pgAudit classes, connection lines, log_relation, prefix, newest record) and whether each rule can fire; exit 1 when one cannot',
  options: {
    source: { type: 'string', value: 'NAME', description: `read this polled source as scan does: ${SOURCES.join(', ')} (the default without --input)` },
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
    'Log Analytics reads LOGS_WORKSPACE_ID (and LOGS_TABLE, PG_SERVERS, PG_LOG_LINE_PREFIX); sign in with az login. No state is read or written.',
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
  if (sourceName !== undefined && !(SOURCES as readonly string[]).includes(sourceName)) {
    throw new UserError(`--source ${JSON.stringify(sourceName)} is not a source doctor can read (${SOURCES.join(', ')})`);
  }
  const now = (io.now ?? (() => new Date()))();
  const sinceText = values.since as string | undefined;
  const sinceMs = sinceText === undefined ? null : parseDuration(sinceText);
  const rulesFile = (values.rules as string | undefined) ?? io.env.AUDIT_RULES_PATH ?? DEFAULT_RULES_PATH;
  const rules = await checkRulesFile(rulesFile, io.cwd, { lists: parseListOverrides((values.list as string[] | undefined) ?? []) });
  if (rules.messages.length > 0) {
    throw new UserError(`${rulesFile}: ${rules.messages.length} problem(s) in the rules file (run check-rules):\n${rules.messages.join('\n')}`, { code: 'RULES_INVALID' });
  }

  if (input !== undefined) {
    const since = sinceMs === null ? null : new Date(now.getTime() - sinceMs);
    const observations = new ServerObservations(since?.toISOString() ?? null);
    const { stream, name } = await openInput(input, io);
    const parsed = parseAuditLog(stream, {
      format: parseFormat(values.format as string),
      prefix: (values.prefix as string | undefined) ?? io.env.PG_LOG_LINE_PREFIX,
      logTimezone: logTimezoneOption(values['log-timezone'] as string | undefined, io.env),
      server: (values.server as string | undefined) ?? null,
      source: name,
      onSessionContext: observations.connection,
    });
    return report(io, await runDoctor(parsed, observations, rules, { source: name, since, now }));
  }

  const since = new Date(now.getTime() - (sinceMs ?? parseIsoDuration(DEFAULT_SINCE, '--since')));
  const zone = values['log-timezone'] as string | undefined;
  const settings = loadSettings(zone === undefined ? io.env : { ...io.env, PG_LOG_TIMEZONE: checkTimeZone(zone, '--log-timezone') });
  const observations = new ServerObservations();
  const log = stderrLogger(io, secretsInEnv(io.env));
  const { stream, description } = logAnalyticsWindow(settings, { since, now }, observations.connection, log);
  return report(io, await runDoctor(stream, observations, rules, { source: description, since, now }));
};

function parseDuration(text: string): number {
  try {
    return parseIsoDuration(text, '--since');
  } catch (err) {
    throw new UserError((err as Error).message.replace(/^setting /, ''), { cause: err });
  }
}

function report(io: Parameters<CliCommand>[1], result: Awaited<ReturnType<typeof runDoctor>>): number {
  io.stdout.write(formatDoctorReport(result));
  const log = stderrLogger(io, secretsInEnv(io.env));
  for (const warning of result.warnings) log.warn(warning);
  log.info(doctorSummary(result));
  return doctorFailed(result) ? 1 : 0;
}
