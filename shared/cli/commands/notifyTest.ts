import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { errorMessage } from '../../errors/errorMessage';
import { UserError } from '../../errors/UserError';
import type { Alert } from '../../model/Alert';
import { alertKey } from '../../model/alertKey';
import { systemEvent } from '../../model/systemEvent';
import type { Destination } from '../../model/Destination';
import { createNotifiers } from '../../notify/createNotifiers';
import type { Notifier } from '../../notify/Notifier';
import { loadRules } from '../../rules/loadRules';
import type { Settings } from '../../settings/Settings';
import { loadSettings } from '../../settings/loadSettings';
import type { CliCommand, CliIO } from '../CliIO';
import type { CommandSpec } from '../CommandSpec';
import { usageLine } from '../formatHelp';
import { parseArgs } from '../parseArgs';
import { secretsInEnv, secretsInSettings } from '../../settings/secretSettings';
import { stderrLogger } from '../stderrLogger';

export const notifyTestSpec: CommandSpec = {
  name: 'notify-test',
  summary: 'send one clearly marked test alert to each destination; exit 1 when one fails',
  options: {
    destination: { type: 'string', value: 'NAME', description: 'only this destination' },
    rules: { type: 'string', value: 'FILE', description: 'rules file whose destinations to test (default: AUDIT_RULES_PATH when it exists)' },
  },
  notes: ['Without destinations in the rules file, the default one comes from SLACK_BOT_TOKEN + SLACK_CHANNEL, SLACK_WEBHOOK_URL, or ACS_* + EMAIL_FROM + EMAIL_TO.'],
};

/**
 * `notify-test`: one clearly marked test alert to each configured destination, success or failure
 * printed per destination; exit 1 when any failed. Destinations come from the rules file (--rules,
 * else AUDIT_RULES_PATH when that file exists), else the `default` destination from the settings.
 */
export const notifyTestCommand: CliCommand = async (argv, io) => {
  const { values, positionals } = parseArgs(notifyTestSpec, argv);
  if (positionals.length > 0) throw new UserError(`unexpected argument ${JSON.stringify(positionals[0])}; usage: ${usageLine(notifyTestSpec)}`);
  const settings = loadSettings(io.env);
  const rulesFile = values.rules as string | undefined;
  const file = rulesFile ?? settings.rulesPath;
  const destinations = rulesFile !== undefined || existsSync(resolve(io.cwd, file)) ? [...(await loadRules(file, io.cwd)).destinations] : [];
  const options = values.destination === undefined ? {} : { destination: values.destination as string };
  return runNotifyTest(settings, destinations, null, io, { ...options, secrets: secretsInEnv(io.env) });
};

/**
 * Sends the test alert through `notifiers` (built from settings and destinations when null) and
 * prints one line per destination and transport. Returns the exit code.
 */
export async function runNotifyTest(
  settings: Settings,
  destinations: Destination[],
  notifiers: Notifier[] | null,
  io: Pick<CliIO, 'stdout' | 'stderr'>,
  options: { destination?: string; now?: () => Date; secrets?: string[] } = {},
): Promise<number> {
  // The settings' secrets, and (from the command) every secret-named variable of the environment.
  const log = stderrLogger(io, [...secretsInSettings(settings), ...(options.secrets ?? [])]);
  let chosen = notifiers ?? createNotifiers(settings, destinations, { log, render: { test: true } });
  if (options.destination !== undefined) {
    const names = [...new Set(chosen.map((n) => n.destination))];
    if (!names.includes(options.destination)) {
      throw new UserError(`--destination ${JSON.stringify(options.destination)} is not configured; configured: ${names.join(', ') || '(none)'}`);
    }
    chosen = chosen.filter((n) => n.destination === options.destination);
  }
  if (chosen.length === 0) {
    throw new UserError('no destination is configured: set SLACK_BOT_TOKEN and SLACK_CHANNEL, SLACK_WEBHOOK_URL, or ACS_CONNECTION_STRING/ACS_ENDPOINT with EMAIL_FROM and EMAIL_TO, or define destinations in the rules file');
  }
  const alert = testAlert((options.now ?? (() => new Date()))());
  let failed = 0;
  for (const notifier of chosen) {
    try {
      await notifier.notify([alert]);
      io.stdout.write(`ok      ${notifier.destination} (${notifier.kind})\n`);
    } catch (err) {
      failed++;
      io.stdout.write(`FAILED  ${notifier.destination} (${notifier.kind}): ${log.scrub(errorMessage(err))}\n`);
    }
  }
  log.info(`notify-test: ${chosen.length - failed} of ${chosen.length} destination(s) reached`);
  return failed > 0 ? 1 : 0;
}

/** The test alert: severity info, a title nobody can mistake for a real finding, a unique key per run. */
export function testAlert(now: Date): Alert {
  const event = systemEvent({
    server: 'pgaudit-alerts-notify-test', sessionId: `test.${now.getTime().toString(16)}`, time: now.toISOString(),
    user: 'notify-test', database: 'notify-test', application: 'pgaudit-alerts notify-test',
    statementId: 1, substatementId: 1, class: 'MISC', command: 'SELECT',
    lines: [{ auditType: 'SESSION', class: 'MISC', command: 'SELECT', objectType: null, objectName: null }],
    statement: "SELECT 'pgaudit-alerts notify-test: this is a test, no action needed';",
  });
  return {
    rule: 'notify-test', severity: 'info', title: 'TEST alert from pgaudit-alerts notify-test (no action needed)',
    description: 'Sent by `pgaudit-alerts notify-test` to check that this destination is reachable.',
    event, key: alertKey(event, 'notify-test'),
  };
}
