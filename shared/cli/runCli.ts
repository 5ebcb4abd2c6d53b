import { closestName } from '../util/closestName';
import { signInFailure } from '../errors/signInFailure';
import { UserError } from '../errors/UserError';
import { createScrubber } from '../redact/createScrubber';
import { secretsInEnv } from '../settings/secretSettings';
import type { CliIO } from './CliIO';
import { commands } from './commands';
import { commandHelp, overviewHelp } from './formatHelp';
import { packageVersion } from './packageVersion';

const HELP_FLAGS = ['--help', '-h'];

/**
 * Runs one CLI command. Exit codes: 0 success, 1 user error (message names the file/setting/rule,
 * no stack trace; an Azure sign-in failure is one), 2 unexpected failure. Every message carries the
 * prefix `pgaudit-alerts <command>:` once.
 */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  const specs = Object.values(commands).map((c) => c.spec);
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout.write(`pgaudit-alerts ${packageVersion()} (Node.js ${process.version})\n`);
    return 0;
  }
  if (name === undefined || HELP_FLAGS.includes(name) || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic !== undefined) {
      const command = commands[topic];
      if (!command) return unknownCommand(topic, io);
      io.stdout.write(commandHelp(command.spec));
      return 0;
    }
    (name === undefined ? io.stderr : io.stdout).write(overviewHelp(specs, packageVersion()));
    return name === undefined ? 1 : 0;
  }
  const command = commands[name];
  if (!command) return unknownCommand(name, io);
  const beforeSeparator = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (beforeSeparator.some((a) => HELP_FLAGS.includes(a))) {
    io.stdout.write(commandHelp(command.spec));
    return 0;
  }
  const prefix = `pgaudit-alerts ${name}: `;
  // A message that already names the command (from deeper code) keeps one prefix, not two.
  const once = (message: string) => prefix + (message.startsWith(`${name}: `) ? message.slice(name.length + 2) : message);
  try {
    return await command.run(rest, io);
  } catch (err) {
    // An error's text may quote a setting (an SDK echoing a connection string): scrubbed like the logs.
    const scrub = createScrubber(secretsInEnv(io.env));
    const signIn = signInFailure(err);
    if (signIn !== null) {
      io.stderr.write(`${once(signIn)}\n`);
      return 1;
    }
    if (err instanceof UserError) {
      io.stderr.write(`${once(scrub(err.message))}\n`);
      return 1;
    }
    io.stderr.write(`${once(`unexpected failure: ${scrub(err instanceof Error ? (err.stack ?? err.message) : String(err))}`)}\n`);
    return 2;
  }
}

function unknownCommand(name: string, io: CliIO): number {
  const known = Object.keys(commands);
  const close = closestName(name, known);
  io.stderr.write(`pgaudit-alerts: unknown command ${JSON.stringify(name)}${close ? ` (did you mean ${close}?)` : ''}; commands: ${known.join(', ')}; see pgaudit-alerts --help\n`);
  return 1;
}
