import type { AuditEvent } from '../../shared/model/AuditEvent';
import { parseAuditLog, type ParseOptions } from '../../shared/merge/parseAuditLog';
import type { ParseSummary } from '../../shared/parse/ParseSummary';
import { textStream } from './textStream';

/** Parses text (or a stream) to completion; returns the events and the summary. */
export async function collectEvents(
  input: string | AsyncIterable<Buffer | string>,
  options: ParseOptions = {},
): Promise<{ events: AuditEvent[]; summary: ParseSummary }> {
  const parsed = parseAuditLog(typeof input === 'string' ? textStream(input) : input, options);
  const events: AuditEvent[] = [];
  for await (const event of parsed.events) events.push(event);
  return { events, summary: parsed.summary() };
}
