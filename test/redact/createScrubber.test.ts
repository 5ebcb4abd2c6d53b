import { InvocationContext, type Timer } from '@azure/functions';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runNotifyTest } from '../../shared/cli/commands/notifyTest';
import { stderrLogger } from '../../shared/cli/stderrLogger';
import { MemoryStateStore } from '../../shared/dedupe/MemoryStateStore';
import type { Alert } from '../../shared/model/Alert';
import type { Notifier } from '../../shared/notify/Notifier';
import { createScrubber } from '../../shared/redact/createScrubber';
import { createTimerHandler } from '../../shared/scan/createTimerHandler';
import { runPipeline } from '../../shared/scan/runPipeline';
import type { LogSource } from '../../shared/source/LogSource';
import { emptyScanReport } from '../../shared/scan/ScanReport';
import { loadSettings } from '../../shared/settings/loadSettings';
import { secretsInEnv, SECRET_SETTINGS } from '../../shared/settings/secretSettings';
import { runCliCapture } from '../support/runCliCapture';

/**
 * Every configured secret, pushed through every way text leaves the process: the timer function's log
 * and thrown error, the CLI's stderr log and its error messages, notify-test's output, and a failed
 * scan's report, stored state and self-alert. None may survive anywhere.
 */
const SLACK_TOKEN = 'xoxb-1234567890-abcdefghijklmnop';
const WEBHOOK_TOKEN = 'webhookSecretXYZ1234567890';
const ACS_KEY = 'QUNTLWFjY2Vzcy1rZXktc2VjcmV0LXZhbHVl';
const STORAGE_KEY = 'c3RvcmFnZS1hY2NvdW50LWtleS12YWx1ZQ==';
const PG_PASSWORD = 'pg-Password-Secret-42';
const OTHER_PASSWORD = 'other-conn-secret-7';
const EVENTHUB_KEY = 'ZXZlbnQtaHViLWxpc3Rlbi1rZXk=';
const ARCHIVE_KEY = 'YXJjaGl2ZS1hY2NvdW50LWtleS12YWx1ZQ==';

const env: Record<string, string> = {
  SLACK_BOT_TOKEN: SLACK_TOKEN,
  SLACK_CHANNEL: '#db-security',
  SLACK_WEBHOOK_URL: `https://hooks.slack.com/services/T0000AAAA/B0000BBBB/${WEBHOOK_TOKEN}`,
  ACS_CONNECTION_STRING: `endpoint=https://acs-demo.communication.azure.com/;accesskey=${ACS_KEY}`,
  AzureWebJobsStorage: `DefaultEndpointsProtocol=https;AccountName=store;AccountKey=${STORAGE_KEY};EndpointSuffix=core.windows.net`,
  PGAUDIT_EVENTHUB: `Endpoint=sb://evhns-demo.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=${EVENTHUB_KEY};EntityPath=pgaudit-logs`,
  ARCHIVE_STORAGE_CONNECTION: `DefaultEndpointsProtocol=https;AccountName=archive;AccountKey=${ARCHIVE_KEY};EndpointSuffix=core.windows.net`,
  AIVEN_PG_PASSWORD: PG_PASSWORD,
  OPENSEARCH_PASSWORD: 'os-Password-Secret-99',
  OTHER_CONNECTION_STRING: `Server=db;User Id=app;Password=${OTHER_PASSWORD};`,
  LOGS_WORKSPACE_ID: '00000000-0000-0000-0000-000000000000',
};

/** The whole values, and the parts of them that are secrets on their own. */
const SECRETS = [...Object.entries(env).filter(([n]) => n !== 'SLACK_CHANNEL' && n !== 'LOGS_WORKSPACE_ID').map(([, v]) => v),
  SLACK_TOKEN, WEBHOOK_TOKEN, ACS_KEY, STORAGE_KEY, ARCHIVE_KEY, PG_PASSWORD, OTHER_PASSWORD, EVENTHUB_KEY];

/** Text that quotes every secret the ways an SDK error might: whole, alone, URL-encoded. */
const leaky = (what: string) =>
  `${what}: ${Object.values(env).join(' | ')} | ${[SLACK_TOKEN, WEBHOOK_TOKEN, ACS_KEY, STORAGE_KEY, ARCHIVE_KEY, PG_PASSWORD, OTHER_PASSWORD, EVENTHUB_KEY].join(' ')} | ` +
  `${encodeURIComponent(env.SLACK_WEBHOOK_URL!)} | ${encodeURIComponent(STORAGE_KEY)}`;

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
  expect(text).not.toContain(encodeURIComponent(STORAGE_KEY));
  expect(text).toContain('[REDACTED]');
}

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
  return { stream, text: () => text };
}

describe('secret scrubbing: every configured secret through every path', () => {
  it('knows every secret-bearing setting, and any *_PASSWORD or connection-string variable', () => {
    expect(Object.keys(SECRET_SETTINGS).sort()).toEqual(['ACS_CONNECTION_STRING', 'ARCHIVE_STORAGE_CONNECTION', 'AzureWebJobsStorage', 'OPENSEARCH_PASSWORD', 'PGAUDIT_EVENTHUB', 'SLACK_BOT_TOKEN', 'SLACK_WEBHOOK_URL']);
    expect(secretsInEnv(env).sort()).toEqual(
      [env.SLACK_BOT_TOKEN, env.SLACK_WEBHOOK_URL, env.ACS_CONNECTION_STRING, env.AzureWebJobsStorage, env.ARCHIVE_STORAGE_CONNECTION, env.PGAUDIT_EVENTHUB, PG_PASSWORD, env.OPENSEARCH_PASSWORD, env.OTHER_CONNECTION_STRING].sort(),
    );
    // The shell's working directory is not a password.
    expect(secretsInEnv({ PWD: '/home/someone/project' })).toEqual([]);
  });

  it('the scrubber leaves text without secrets unchanged', () => {
    const scrub = createScrubber(secretsInEnv(env));
    const plain = 'scan: 217 rows read, 134 events, 10 alerts, 0 duplicates skipped, 0 malformed rows';
    expect(scrub(plain)).toBe(plain);
  });

  it('timer function: every log line and the error the host sees', async () => {
    const lines: string[] = [];
    const context = new InvocationContext({ logHandler: (_level, ...args) => lines.push(args.map(String).join(' ')) });
    const timer: Timer = { isPastDue: false, schedule: { adjustForDST: true }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };
    const handler = createTimerHandler(async (_env, log) => {
      log.info(leaky('info'));
      log.warn(leaky('warn'));
      log.error(leaky('error'));
      return [{ ...emptyScanReport('log-analytics'), warnings: [leaky('warning')], error: leaky('report error'), errorKind: 'unexpected' }];
    }, env);
    const thrown = await handler(timer, context).then(() => null, (err: Error) => err);
    expect(thrown).toBeInstanceOf(Error);
    expect(lines).toHaveLength(5);
    for (const line of lines) expectNoSecret(line);
    expectNoSecret(thrown!.message);

    const throwing = createTimerHandler(async () => {
      throw new Error(leaky('SDK failure'));
    }, env);
    const failed = await throwing(timer, new InvocationContext({ logHandler: (_l, ...a) => lines.push(a.map(String).join(' ')) })).then(() => null, (e: Error) => e);
    expectNoSecret(failed!.message);
    expect(failed!.cause).toBeUndefined();
    for (const line of lines) expectNoSecret(line);
  });

  it('CLI stderr logger', () => {
    const err = capture();
    const log = stderrLogger({ stderr: err.stream }, secretsInEnv(env));
    log.info(leaky('info'));
    log.warn(leaky('warn'));
    log.error(leaky('error'));
    expect(err.text().split('\n').filter(Boolean)).toHaveLength(3);
    expectNoSecret(err.text());
  });

  it('CLI error messages', async () => {
    const run = await runCliCapture(['check-rules', `/nonexistent/${PG_PASSWORD}/${encodeURIComponent(STORAGE_KEY)}.yaml`], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot read the rules file');
    expectNoSecret(run.stderr);
  });

  it('notify-test output, with and without the environment (AzureWebJobsStorage comes from the settings)', async () => {
    const failing: Notifier = {
      destination: 'security',
      kind: 'slack',
      notify: async () => {
        throw new Error(leaky('transport failure'));
      },
    };
    for (const options of [{ secrets: secretsInEnv(env) }, {}]) {
      const out = capture();
      const err = capture();
      const code = await runNotifyTest(loadSettings(env), [], [failing], { stdout: out.stream, stderr: err.stream }, options);
      expect(code).toBe(1);
      const text = out.text() + err.text();
      expect(text).toContain('FAILED  security (slack)');
      // Without the environment only the settings' secrets are known (AzureWebJobsStorage among them);
      // variables only the environment has are the command's to add.
      const envOnly = [PG_PASSWORD, OTHER_PASSWORD, env.OTHER_CONNECTION_STRING];
      const known = 'secrets' in options ? SECRETS : SECRETS.filter((s) => !envOnly.includes(s));
      for (const secret of known) expect(text).not.toContain(secret);
    }
  });

  it('a failed scan: its report, the stored failure, the log and the self-alert', async () => {
    const store = new MemoryStateStore();
    const sent: Alert[] = [];
    const notifier: Notifier = { destination: 'default', kind: 'console', notify: async (alerts) => void sent.push(...alerts) };
    const lines: string[] = [];
    const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    let report = emptyScanReport('none');
    const source: LogSource = { name: 'none', description: 'no source', scope: 'scrub-test', read: async () => ({ window: null, position: null, ordered: false, batches: (async function* () {})() }), commit: async () => {} };
    for (let run = 0; run < 3; run++) {
      report = await runPipeline({
        settings: loadSettings(env),
        loadRules: async () => {
          throw new Error(leaky('rules'));
        },
        source,
        store,
        notifiersFor: () => [notifier],
        now: () => new Date(Date.UTC(2026, 11, 2, 6, run)),
        log,
        scrub: createScrubber(secretsInEnv(env)),
      });
    }
    expectNoSecret(report.error!);
    expect(sent.map((a) => a.rule)).toEqual(['pgaudit-alerts-scan-failing']);
    expectNoSecret(JSON.stringify(sent));
    const stored = await store.getWatermark('scrub-test');
    expect(stored?.consecutiveFailures).toBe(3);
    expectNoSecret(stored!.lastError!);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) for (const secret of SECRETS) expect(line).not.toContain(secret);
  });
});
