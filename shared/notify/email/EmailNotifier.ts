import type { TokenCredential } from '@azure/identity';
import { EmailClient, type EmailClientOptions, type EmailMessage } from '@azure/communication-email';
import type { Alert } from '../../model/Alert';
import { redactAlert } from '../../redact/redactAlert';
import { httpStatusKind } from '../httpStatusKind';
import { sendMessages } from '../sendMessages';
import type { Notifier } from '../Notifier';
import { wantsDigest, type NotifierOptions } from '../NotifierOptions';
import { silentLogger, type Logger } from '../../util/Logger';
import { renderAlertEmail, renderDigestEmail, type RenderedEmail } from './renderEmail';
import { parseRetryAfter } from '../../util/parseRetryAfter';
import type { FailureKind } from '../retryPolicy';

export interface EmailNotifierOptions extends NotifierOptions {
  /** ACS_CONNECTION_STRING (`endpoint=...;accesskey=...`), or ACS_ENDPOINT with a credential (managed identity). */
  connection: { connectionString: string } | { endpoint: string; credential: TokenCredential };
  /** EMAIL_FROM: an address of a verified sender domain. */
  from: string;
  to: string[];
  /** Passed to the EmailClient (tests: tlsOptions for a local https server). */
  clientOptions?: EmailClientOptions;
  /** Poll interval and the longest wait for the send operation to finish. */
  pollIntervalMs?: number;
  pollTimeoutMs?: number;
}

/**
 * Sends alerts through Azure Communication Services email: HTML and plain text, one email per alert
 * or a digest above the threshold. ACS queues a send (202) and reports the outcome through an
 * operation that is polled; a queued email whose outcome is not known within pollTimeoutMs counts as
 * accepted (resending would duplicate it) and is logged.
 */
export class EmailNotifier implements Notifier {
  readonly kind = 'email';
  readonly destination: string;
  private readonly client: EmailClient;
  private readonly logger: Logger;

  constructor(private readonly options: EmailNotifierOptions) {
    this.destination = options.destination;
    this.logger = options.logger ?? silentLogger;
    // Our retry policy decides (retryPolicy.ts); the pipeline's own retries would stack on top of it.
    const clientOptions: EmailClientOptions = { ...options.clientOptions, retryOptions: { maxRetries: 0 } };
    const c = options.connection;
    this.client = 'connectionString' in c ? new EmailClient(c.connectionString, clientOptions) : new EmailClient(c.endpoint, c.credential, clientOptions);
  }

  async notify(alerts: Alert[], options: { signal?: AbortSignal } = {}): Promise<void> {
    if (alerts.length === 0) return;
    const safe = alerts.map(redactAlert);
    const render = this.options.render ?? {};
    const emails = wantsDigest(safe.length, this.options.digestThreshold)
      ? [{ ...renderDigestEmail(safe, render), keys: safe.map((a) => a.key) }]
      : safe.map((a) => ({ ...renderAlertEmail(a, render), keys: [a.key] }));
    await sendMessages(emails, (e) => this.send(e, options.signal), {
      destination: this.destination,
      kind: this.kind,
      classify: classifyEmailError,
      ...this.options.retry,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  async findDelivered(): Promise<Set<string> | null> {
    return null;
  }

  private async send(email: RenderedEmail, signal?: AbortSignal): Promise<void> {
    const message: EmailMessage = {
      senderAddress: this.options.from,
      content: { subject: email.subject, html: email.html, plainText: email.text },
      recipients: { to: this.options.to.map((address) => ({ address })) },
    };
    const pollTimeoutMs = this.options.pollTimeoutMs ?? 60_000;
    const timeout = AbortSignal.timeout(pollTimeoutMs);
    // Once ACS answered 202 the email is queued: a failure after that must not send it again.
    let accepted = false;
    try {
      const poller = await this.client.beginSend(message, {
        updateIntervalInMs: this.options.pollIntervalMs ?? 2000,
        abortSignal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        onResponse: (raw) => void (accepted ||= raw.status === 202),
      });
      const result = await poller.pollUntilDone({ abortSignal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      if (result.status !== 'Succeeded') throw new Error(`The long-running operation has failed. status ${result.status}`);
    } catch (err) {
      if (!accepted || signal?.aborted) throw err;
      // beginSend polls once itself, so an operation that ended Failed can surface from either call.
      if (err instanceof Error && /long-running operation has failed/i.test(err.message)) throw Object.assign(err, { afterAccept: true });
      const why = timeout.aborted ? `did not report its outcome within ${pollTimeoutMs / 1000}s` : 'could not be asked for its outcome';
      this.logger.warn(`email destination "${this.destination}": ACS accepted the email but ${why}; counted as sent`);
    }
  }
}

/**
 * RestError statuses as elsewhere (429 with Retry-After, 5xx retry, 4xx permanent); a send that ACS
 * accepted and then reported as Failed (bad recipient, suppressed address...) is permanent.
 */
export function classifyEmailError(err: unknown): FailureKind {
  const e = err as { statusCode?: number; code?: string; message?: string; afterAccept?: boolean; response?: { headers?: { get(name: string): string | undefined } } };
  if (e?.afterAccept) {
    const reason = /has failed\. ([A-Za-z]+)\./.exec(e.message ?? '')?.[1];
    return { permanent: true, code: `email_failed${reason ? ` ${reason}` : ''}` };
  }
  if (typeof e?.statusCode === 'number') {
    const kind = httpStatusKind(e.statusCode, parseRetryAfter(e.response?.headers?.get('retry-after')));
    return e.code ? { ...kind, code: `${kind.code} ${e.code}` } : kind;
  }
  return { permanent: false, code: 'network_error' };
}
