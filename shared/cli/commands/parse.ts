import { UserError } from '../../errors/UserError';
import { checkTimeZone } from '../../parse/LogTimestamps';
import { AuditEventStringifier } from '../stringifyAuditEvent';
import { jsonWithVisibleEscapes } from '../../notify/message/plainText';
import { parseAuditLog, parseAuditLogFile, type ParseOptions } from '../../merge/parseAuditLog';
import { SOURCE_FORMATS, type SourceFormat } from '../../source/SourceRecord';
import type { CliCommand } from '../CliIO';
import type { CommandSpec } from '../CommandSpec';
import { formatParseSummary } from '../formatParseSummary';
import { openInput } from '../openInput';
import { parseArgs } from '../parseArgs';
import { usageLine } from '../formatHelp';
import { LineWriter } from '../LineWriter';

export const parseSpec: CommandSpec = {
  name: 'parse',
  summary: 'pgAudit records (a log file, exported rows, or - for stdin) to one JSON AuditEvent per line; a summary on stderr',
  args: '<file | ->',
  options: {
    format: { type: 'string', default: 'auto', value: 'FORMAT', description: 'input format: auto, stderr, csvlog, jsonlog, azure-diagnostics, pgsql-server-logs, azure-blob, opensearch (exported documents or a search response)' },
    prefix: { type: 'string', value: 'PREFIX', description: "the server's log_line_prefix (default: PG_LOG_LINE_PREFIX, else Azure's %t-%c-; common prefixes are tried when it does not fit)" },
    'log-timezone': { type: 'string', value: 'ZONE', description: "the server's log_timezone (IANA name, e.g. Asia/Kolkata) for zone abbreviations that name several zones (IST, CST, ...); default PG_LOG_TIMEZONE" },
    server: { type: 'string', value: 'NAME', description: 'server name for events from plain log files' },
  },
  notes: ['example: npx pgaudit-alerts parse --format azure-diagnostics test/fixtures/demo/azure-diagnostics.ndjson'],
};

/** `parse`: pgAudit log records in, NDJSON AuditEvents out, summary on stderr. */
export const parseCommand: CliCommand = async (argv, io) => {
  const { values, positionals } = parseArgs(parseSpec, argv);
  if (positionals.length !== 1) throw new UserError(`expected one input file or "-"; usage: ${usageLine(parseSpec)}`);
  const format = parseFormat(values.format as string);
  const input = await openInput(positionals[0]!, io);
  const options: ParseOptions = {
    format,
    prefix: (values.prefix as string | undefined) ?? io.env.PG_LOG_LINE_PREFIX,
    logTimezone: logTimezoneOption(values['log-timezone'] as string | undefined, io.env),
    server: (values.server as string | undefined) ?? null,
    source: input.name,
  };
  // A file by path may have its rows read and decoded on a second thread.
  const parsed = input.path !== null ? parseAuditLogFile(input.path, options) : parseAuditLog(input.stream, options);
  const out = new LineWriter(io.stdout);
  const json = new AuditEventStringifier();
  for await (const batch of parsed.batches) {
    for (const event of batch) out.add(jsonWithVisibleEscapes(json.stringify(event)));
    await out.flushIfFull();
  }
  await out.flush();
  io.stderr.write(formatParseSummary(parsed.summary()));
  return 0;
};

/** `--log-timezone`, else PG_LOG_TIMEZONE, checked; null when neither is set. */
export function logTimezoneOption(option: string | undefined, env: Record<string, string | undefined>): string | null {
  if (option !== undefined) return checkTimeZone(option, '--log-timezone');
  const setting = env.PG_LOG_TIMEZONE?.trim();
  return setting ? checkTimeZone(setting, 'setting PG_LOG_TIMEZONE') : null;
}

export function parseFormat(text: string): SourceFormat | 'auto' {
  if (text === 'auto' || (SOURCE_FORMATS as readonly string[]).includes(text)) return text as SourceFormat | 'auto';
  throw new UserError(`--format ${JSON.stringify(text)} is not one of auto, ${SOURCE_FORMATS.join(', ')}`);
}
