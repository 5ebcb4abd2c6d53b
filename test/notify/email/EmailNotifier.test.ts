import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EmailNotifier } from '../../../shared/notify/email/EmailNotifier';
import { NotifyError } from '../../../shared/notify/Notifier';
import { startFakeAcsEmail, type AcsOutcome, type FakeAcsEmail } from '../../support/fakeAcsEmail';
import { makeAlert } from '../../support/alertFixtures';
import { notifierContract, type ContractFault } from '../../support/notifierContract';

const ACS_FAULTS: Record<ContractFault, AcsOutcome> = {
  pass: { status: 'Succeeded' },
  rate_limited: { httpStatus: 429, retryAfter: 3 },
  server_error: { httpStatus: 503 },
  network: { drop: true },
  permanent: { httpStatus: 400, code: 'DomainNotLinked' },
};

const acsWire = (acs: FakeAcsEmail) =>
  acs.requests.flatMap((r) => [r.body, ...Object.entries(r.headers).filter(([k]) => k !== 'authorization').map(([k, v]) => `${k}: ${String(v)}`)]);

const emailNotifier = (acs: FakeAcsEmail, extra: Partial<ConstructorParameters<typeof EmailNotifier>[0]> = {}) =>
  new EmailNotifier({
    destination: 'contract',
    connection: { connectionString: acs.connectionString },
    from: 'alerts@mail.example.com',
    to: ['dba-oncall@example.com', 'sec@example.com'],
    clientOptions: { tlsOptions: { ca: acs.ca } },
    pollIntervalMs: 5,
    digestThreshold: 10,
    ...extra,
  });

notifierContract('EmailNotifier (ACS email)', async () => {
  const acs = await startFakeAcsEmail();
  return {
    markup: 'html',
    faults: true,
    create: ({ digestThreshold, logger, sleep }) => emailNotifier(acs, { digestThreshold, logger, retry: { sleep } }),
    received: () =>
      acs.delivered.map((e) => ({
        text: `${e.content.subject}\n${e.content.plainText ?? ''}\n${e.content.html ?? ''}`,
        interpreted: [e.content.html ?? ''],
        metadataKeys: null,
      })),
    inject: (...faults) => acs.outcomeNext(...faults.map((f) => ACS_FAULTS[f])),
    secrets: [acs.accessKey, acs.connectionString],
    wire: () => acsWire(acs),
    maxInterpretedChars: 200_000,
    close: () => acs.close(),
  };
});

describe('EmailNotifier specifics', () => {
  let acs: FakeAcsEmail;
  beforeAll(async () => {
    acs = await startFakeAcsEmail();
  });
  afterAll(() => acs.close());
  afterEach(() => {
    for (const place of acsWire(acs)) for (const secret of [acs.accessKey, acs.connectionString]) expect(place).not.toContain(secret);
  });

  it('sends a signed request with subject, HTML and text to every recipient, and polls until done', async () => {
    const before = acs.requests.length;
    await emailNotifier(acs).notify([makeAlert(1)]);
    expect(acs.authProblems).toEqual([]);
    const mine = acs.requests.slice(before);
    expect(mine[0]).toMatchObject({ method: 'POST', path: expect.stringMatching(/^\/emails:send\?api-version=/) });
    expect(mine[0]!.headers.authorization).toMatch(/^HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=/);
    expect(mine.filter((r) => r.method === 'GET').length).toBeGreaterThanOrEqual(2);
    const email = acs.delivered.at(-1)!;
    expect(email.content.subject).toBe('[HIGH] Role granted to a user — pg-prod-1');
    expect(email.content.html).toContain('<pre');
    expect(email.content.plainText).toContain('Server:');
    expect(email.recipients.to).toEqual([{ address: 'dba-oncall@example.com' }, { address: 'sec@example.com' }]);
    expect(email.senderAddress).toBe('alerts@mail.example.com');
  });

  it('an email ACS reports as Failed is a permanent error', async () => {
    acs.outcomeNext({ status: 'Failed', code: 'EmailDroppedAllRecipientsSuppressed', message: 'all recipients suppressed' });
    const err = (await emailNotifier(acs, { retry: { sleep: async () => {} } }).notify([makeAlert(2)]).catch((e: unknown) => e)) as NotifyError;
    expect(err).toBeInstanceOf(NotifyError);
    expect(err.retryable).toBe(false);
    expect(err.code).toMatch(/^email_failed/);
  });

  it('an accepted email whose outcome does not arrive in time counts as sent, with a warning', async () => {
    const logs: string[] = [];
    acs.outcomeNext({ status: 'NeverFinishes' });
    const n = emailNotifier(acs, { pollTimeoutMs: 100, logger: { info() {}, warn: (m) => logs.push(m), error: (m) => logs.push(m) } });
    await n.notify([makeAlert(3)]);
    expect(logs.join('\n')).toContain('counted as sent');
  });

  it('works with a bearer token credential (managed identity through ACS_ENDPOINT)', async () => {
    const tokenAcs = await startFakeAcsEmail({ bearerToken: 'mi-token-123' });
    try {
      const credential = { getToken: async () => ({ token: 'mi-token-123', expiresOnTimestamp: Date.now() + 3600_000 }) };
      await emailNotifier(tokenAcs, { connection: { endpoint: tokenAcs.endpoint, credential } }).notify([makeAlert(4)]);
      expect(tokenAcs.authProblems).toEqual([]);
      expect(tokenAcs.delivered).toHaveLength(1);
    } finally {
      await tokenAcs.close();
    }
  });
});
