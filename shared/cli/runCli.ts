import { UserError } from '../errors/UserError';
import { createScrubber } from '../redact/createScrubber';
import { secretsInEnv } from '../settings/secretSettings';
import type { CliCommand, CliIO } from './CliIO';
import { commands } from './commands';

const USAGE = `usage: pgaudit-alerts <command> [options]

commands:
  parse        [--format F] [--prefix P] [--log-timezone ZONE] [--server NAME] <file | ->
               pgAudit records to NDJSON AuditEvents (plain or gzip-compressed)
  check-rules  [rules.yaml]                                             validate a rules file
  scan         [--input FILE] [--format F] [--prefix P] [--log-timezone ZONE] [--rules FILE] [--dry-run] [--json]
  kql          [--rules FILE]                                           print the KQL a scan sends
  notify-test  [--destination NAME]                                     send a test alert to each destination
`;

/**
 * Runs one CLI command. Exit codes: 0 success, 1 user error (message names the file/setting/rule,
 * no stack trace), 2 unexpected failure.
 */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(USAGE);
    return name === undefined ? 1 : 0;
  }
  const command: CliCommand | undefined = commands[name];
  if (!command) {
    io.stderr.write(`pgaudit-alerts: unknown command ${JSON.stringify(name)}\n${USAGE}`);
    return 1;
  }
  try {
    return await command(rest, io);
  } catch (err) {
    // An error's text may quote a setting (an SDK echoing a connection string): scrubbed like the logs.
    const scrub = createScrubber(secretsInEnv(io.env));
    if (err instanceof UserError) {
      io.stderr.write(`pgaudit-alerts ${name}: ${scrub(err.message)}\n`);
      return 1;
    }
    io.stderr.write(`pgaudit-alerts ${name}: unexpected failure: ${scrub(err instanceof Error ? (err.stack ?? err.message) : String(err))}\n`);
    return 2;
  }
}
