import { describe, expect, it } from 'vitest';
import { UserError } from '../../shared/errors/UserError';
import { createNotifiers } from '../../shared/notify/createNotifiers';
import { loadSettings } from '../../shared/settings/loadSettings';

const TOKEN = 'xoxb-create-notifiers-secret';
const CONN = 'endpoint=https://acs.example.communication.azure.com/;accesskey=c2VjcmV0LWtleS1mb3ItdGVzdHM=';
const WEBHOOK = 'https://hooks.slack.com/services/T0/B0/webhook-secret-path';

const kinds = (env: Record<string, string>, destinations: Parameters<typeof createNotifiers>[1] = []) =>
  createNotifiers(loadSettings(env), destinations).map((n) => `${n.destination}:${n.kind}`);

function problem(env: Record<string, string>, destinations: Parameters<typeof createNotifiers>[1] = []): UserError {
  try {
    createNotifiers(loadSettings(env), destinations);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    for (const secret of [TOKEN, CONN, WEBHOOK, 'c2VjcmV0', 'not-a-conn-secret']) expect((err as Error).message).not.toContain(secret);
    return err as UserError;
  }
  throw new Error('expected a UserError');
}

describe('createNotifiers', () => {
  it('builds one notifier per destination per transport', () => {
    const env = { SLACK_BOT_TOKEN: TOKEN, SLACK_CHANNEL: '#alerts', ACS_CONNECTION_STRING: CONN, EMAIL_FROM: 'a@mail.example.com', EMAIL_TO: 'x@example.com' };
    expect(kinds(env, [{ name: 'security', slack: { channel: '#db-security' } }, { name: 'dba', email: { to: ['dba@example.com'] } }, { name: 'both', slack: {}, email: {} }])).toEqual([
      'security:slack',
      'dba:email',
      'both:slack',
      'both:email',
    ]);
  });

  it('falls back to the webhook without a bot token, and to a default destination without destinations', () => {
    expect(kinds({ SLACK_WEBHOOK_URL: WEBHOOK, EMAIL_TO: 'x@example.com', ACS_ENDPOINT: 'https://acs.example.com', EMAIL_FROM: 'a@mail.example.com' })).toEqual(['default:slack-webhook', 'default:email']);
    expect(kinds({ SLACK_BOT_TOKEN: TOKEN, SLACK_CHANNEL: '#alerts' })).toEqual(['default:slack']);
  });

  it('refuses to build nothing: no destination at all is a settings error naming the keys to set', () => {
    const envs: Record<string, string>[] = [{}, { SLACK_BOT_TOKEN: TOKEN }, { ACS_CONNECTION_STRING: CONN, EMAIL_FROM: 'a@mail.example.com' }];
    for (const env of envs) {
      const err = problem(env);
      expect(err.code).toBe('NO_DESTINATION');
      expect(err.message).toBe('no destination is configured, so alerts would go nowhere: set SLACK_CHANNEL (with SLACK_BOT_TOKEN) '
        + 'or SLACK_WEBHOOK_URL, and/or EMAIL_TO (with EMAIL_FROM and ACS_CONNECTION_STRING or ACS_ENDPOINT), '
        + 'or define destinations: in the rules file (AUDIT_RULES_PATH, default config/rules.yaml)');
    }
  });

  it('names every destination and missing setting at once, without any credential', () => {
    const err = problem({ SLACK_BOT_TOKEN: TOKEN, ACS_CONNECTION_STRING: 'endpoint=nonsense;not-a-conn-secret' }, [
      { name: 'security', slack: {} },
      { name: 'dba', email: {} },
    ]);
    expect(err.message).toContain('destination "security" posts to Slack with SLACK_BOT_TOKEN but has no channel: set SLACK_CHANNEL or destinations.security.slack.channel');
    expect(err.message).toContain('destination "dba" sends email but needs EMAIL_FROM');
    expect(err.message).toContain('EMAIL_TO or destinations.dba.email.to');
    expect(err.message).toContain('a valid ACS_CONNECTION_STRING');
    expect(problem({}, [{ name: 'security', slack: {} }]).message).toContain('destination "security" posts to Slack but neither SLACK_BOT_TOKEN nor SLACK_WEBHOOK_URL is set');
    expect(problem({ EMAIL_TO: 'x@example.com', EMAIL_FROM: 'a@b.c' }).message).toContain('destination "default" sends email but needs ACS_CONNECTION_STRING');
  });
});
