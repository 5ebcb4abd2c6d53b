import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConsoleNotifier } from '../../../shared/notify/text/ConsoleNotifier';
import { makeAlert } from '../../support/alertFixtures';
import { notifierContract } from '../../support/notifierContract';

/** A stream that keeps each write as one message. */
function recorder(): Writable & { writes: string[] } {
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      writes.push(chunk.toString());
      done();
    },
  });
  return Object.assign(stream, { writes });
}

notifierContract('ConsoleNotifier', async () => {
  const out = recorder();
  return {
    create: ({ digestThreshold }) => new ConsoleNotifier(out, { destination: 'contract', digestThreshold }),
    markup: 'terminal',
    faults: false,
    received: () => out.writes.map((text) => ({ text, interpreted: [text], metadataKeys: null })),
    inject: () => {
      throw new Error('the console cannot fail remotely');
    },
    secrets: [],
    wire: () => out.writes,
    maxInterpretedChars: 100_000,
    close: async () => {},
  };
});

describe('ConsoleNotifier specifics', () => {
  it('writes the plain-text rendering, redacted, and never digests by default', async () => {
    const out = recorder();
    const alerts = Array.from({ length: 12 }, (_, i) => makeAlert(i + 1, { event: { statement: "ALTER ROLE x PASSWORD 'console-secret'" } }));
    await new ConsoleNotifier(out).notify(alerts);
    expect(out.writes).toHaveLength(12);
    expect(out.writes[0]).toContain("ALTER ROLE x PASSWORD '[REDACTED]'");
    expect(out.writes.join('')).not.toContain('console-secret');
  });
});
