import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../shared/model/Alert';
import { NotifyError, type Notifier } from '../../shared/notify/Notifier';
import type { Logger } from '../../shared/util/Logger';
import type { Sleep } from '../../shared/util/sleep';
import { hostileAlert, makeAlert } from './alertFixtures';

/** A password in every contract alert's statement: redaction must keep it off the wire. */
export const CONTRACT_PASSWORD = 'Contract-Pw-9f3kQ';

export type ContractFault = 'pass' | 'rate_limited' | 'server_error' | 'network' | 'permanent';

export interface ReceivedMessage {
  /** Every text of the message (for finding alert keys). */
  text: string;
  /** Texts the reader's client interprets (Slack mrkdwn, email HTML, a terminal): hostile text must be inert there. */
  interpreted: string[];
  /** Alert keys from the message metadata, or null for transports without metadata. */
  metadataKeys: string[] | null;
}

/** One transport wired to its local fake server. */
export interface ContractHarness {
  create(options: { digestThreshold: number; logger: Logger; sleep: Sleep }): Notifier;
  /** How `interpreted` texts are read: markup must escape `<`/`&`; a terminal only needs control characters neutralised. */
  markup: 'slack' | 'html' | 'terminal';
  /** False for transports that cannot fail remotely (console): the fault tests are skipped. */
  faults: boolean;
  received(): ReceivedMessage[];
  /** Queues how the next send attempts end (`pass` lets one through). Retry-After of rate_limited is 3 s. */
  inject(...faults: ContractFault[]): void;
  /** Credentials that must never appear on the wire (outside the Authorization header), in logs or errors. */
  secrets: string[];
  /** Every request body and header value sent, except Authorization. */
  wire(): string[];
  /** Size limit for one message's interpreted text, if the transport has one. */
  maxInterpretedChars: number;
  close(): Promise<void>;
}

/**
 * The behaviour every Notifier promises (hono-style: one suite, run per implementation against the
 * transport's real SDK and a local server speaking its protocol).
 */
export function notifierContract(name: string, start: () => Promise<ContractHarness>): void {
  describe(`${name}: Notifier contract`, () => {
    let h: ContractHarness;
    let logs: string[];
    let errors: unknown[];
    let sleeps: number[];
    const logger: Logger = { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) };
    const sleep: Sleep = async (ms) => void sleeps.push(ms);
    const make = (digestThreshold = 10) => h.create({ digestThreshold, logger, sleep });
    const alerts = (n: number, from = 1) =>
      Array.from({ length: n }, (_, i) => makeAlert(from + i, { rule: `rule-${(from + i) % 3}`, event: { statement: `GRANT a TO b; ALTER ROLE c PASSWORD '${CONTRACT_PASSWORD}'` } }));
    const failure = async (p: Promise<unknown>): Promise<NotifyError> => {
      const err = await p.then(() => null, (e: unknown) => e);
      errors.push(err);
      expect(err).toBeInstanceOf(NotifyError);
      return err as NotifyError;
    };
    const keysOf = (m: ReceivedMessage, known: Alert[]) =>
      m.metadataKeys ?? known.map((a) => a.key).filter((k) => new RegExp(`(?<![\\w/.-])${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w/.-])`).test(m.text));

    // Decided when the suite is collected, before the harness starts.
    const itWithFaults = (title: string, fn: () => Promise<void>) => it(title, async (ctx) => (h.faults ? fn() : ctx.skip()));
    beforeAll(async () => {
      h = await start();
    });
    afterAll(async () => {
      await h.close();
    });
    beforeEach(() => {
      logs = [];
      errors = [];
      sleeps = [];
    });
    afterEach(() => {
      // In every test: no credential or redacted password on the wire, in a log line or in an error.
      const errorTexts = errors.flatMap((e) => (e instanceof Error ? [e.message, String(e.cause), inspect(e, { depth: 6 })] : [String(e)]));
      const places = [...h.wire(), ...logs, ...errorTexts];
      for (const secret of [...h.secrets, CONTRACT_PASSWORD]) {
        for (const place of places) expect(place, `secret ${secret.slice(0, 6)}… leaked`).not.toContain(secret);
      }
    });

    it('delivers each alert once, one message each up to the threshold', async () => {
      const sent = alerts(3);
      const before = h.received().length;
      await make().notify(sent);
      const got = h.received().slice(before);
      expect(got).toHaveLength(3);
      expect(got.map((m) => keysOf(m, sent))).toEqual(sent.map((a) => [a.key]));
      expect(sleeps).toEqual([]);
    });

    it('sends a digest above the threshold; together its messages carry every alert exactly once', async () => {
      const sent = alerts(25, 100);
      const before = h.received().length;
      await make(10).notify(sent);
      const got = h.received().slice(before);
      expect(got.length).toBeLessThan(sent.length);
      expect(got.flatMap((m) => keysOf(m, sent)).sort()).toEqual(sent.map((a) => a.key).sort());
      if (got[0]!.metadataKeys !== null) expect(got.flatMap((m) => m.metadataKeys!)).toEqual(sent.map((a) => a.key));
    });

    itWithFaults('a permanent error is not retried and is reported with the keys delivered before it', async () => {
      const sent = alerts(3, 200);
      const before = h.received().length;
      h.inject('pass', 'permanent');
      const err = await failure(make().notify(sent));
      expect(err.retryable).toBe(false);
      expect(err.destination).toBe('contract');
      expect(err.delivered).toEqual([sent[0]!.key]);
      expect(err.message).toContain('destination "contract"');
      expect(sleeps).toEqual([]);
      expect(h.received().length - before).toBe(1);
    });

    itWithFaults('retryable errors are retried within the policy, then reported as retryable with the keys delivered', async () => {
      const sent = alerts(2, 300);
      h.inject('pass', 'server_error', 'network', 'server_error', 'server_error');
      const err = await failure(make().notify(sent));
      expect(err.retryable).toBe(true);
      expect(err.delivered).toEqual([sent[0]!.key]);
      expect(sleeps).toHaveLength(3);
      for (const ms of sleeps) expect(ms).toBeLessThanOrEqual(8000);
    });

    itWithFaults('honours Retry-After on 429 and recovers from a 5xx', async () => {
      const sent = alerts(2, 400);
      const before = h.received().length;
      h.inject('rate_limited', 'server_error');
      await make().notify(sent);
      expect(sleeps[0]).toBe(3000);
      expect(sleeps).toHaveLength(2);
      expect(h.received().slice(before).map((m) => keysOf(m, sent))).toEqual(sent.map((a) => [a.key]));
    });

    it('hostile database text can neither mention, nor link, nor break markup', async () => {
      const before = h.received().length;
      await make().notify([hostileAlert(500)]);
      const [got] = h.received().slice(before);
      expect(got!.interpreted.length).toBeGreaterThan(0);
      for (const t of got!.interpreted) {
        expect(t).not.toContain('\u001b');
        if (h.markup === 'terminal') continue;
        expect(t).not.toMatch(/<[!@#]/);
        expect(t).not.toContain('<https://evil');
        expect(t).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
      }
    });

    it('a 100 KB statement still sends, cut to the transport limits with a visible note', async () => {
      const big = makeAlert(600, { event: { statement: `SELECT '${'x<&>'.repeat(25_000)}'` } });
      const before = h.received().length;
      await make().notify([big]);
      const [got] = h.received().slice(before);
      expect(got!.text).toMatch(/truncated: [\d,]+ more characters/);
      expect(got!.interpreted.join('').length).toBeLessThanOrEqual(h.maxInterpretedChars);
    });
  });
}
