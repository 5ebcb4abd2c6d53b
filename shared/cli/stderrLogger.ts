import { redactSecrets } from '../redact/redactSecrets';
import type { Logger } from '../util/Logger';
import type { CliIO } from './CliIO';

/**
 * The CLI's log: stderr, with the given secrets (tokens, webhook URLs, connection strings) and anything
 * secret-looking removed, because messages from SDK errors are not trusted to be free of credentials.
 */
export function stderrLogger(io: Pick<CliIO, 'stderr'>, secrets: (string | null | undefined)[]): Logger & { scrub(text: string): string } {
  const known = secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
  const scrub = (text: string): string => redactSecrets(known.reduce((out, secret) => out.split(secret).join('[REDACTED]'), text));
  const write = (prefix: string) => (m: string) => void io.stderr.write(`${prefix}${scrub(m)}\n`);
  return { info: write(''), warn: write('warning: '), error: write('error: '), scrub };
}

/** The secret-bearing settings, by their environment names. */
export function secretSettings(env: Record<string, string | undefined>): (string | undefined)[] {
  return [env.SLACK_BOT_TOKEN, env.SLACK_WEBHOOK_URL, env.ACS_CONNECTION_STRING, env.AzureWebJobsStorage];
}
