import type { AuditEvent } from './AuditEvent';
import type { Severity } from './Severity';

/** A rule's verdict on one event: what `scan --dry-run --json` prints and notifiers send (see docs/formats.md, "Alert"). */
export interface Alert {
  rule: string;
  severity: Severity;
  title: string;
  event: AuditEvent;
  /** Stable dedup key: server + session + statement id + substatement id + rule (see alertKey). */
  key: string;
  /** Destination names from the rule's `notify` (all destinations when the rule names none). */
  destinations?: string[];
  /** Rule description, for message bodies. */
  description?: string;
}
