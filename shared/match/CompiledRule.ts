import type { AuditEvent } from '../model/AuditEvent';
import type { Severity } from '../model/Severity';

/** A rule after validation and compilation: ready to test events, many thousands per second. */
export interface CompiledRule {
  id: string;
  title: string;
  description: string | null;
  severity: Severity;
  enabled: boolean;
  /** Destination names; null = every destination. */
  notify: string[] | null;
  /**
   * Index keys (`class:READ`, `command:DROP TABLE`): the rule can only fire for events having a line
   * with one of these. null = test every event.
   */
  indexKeys: string[] | null;
  /**
   * Whether the event fires and why, in words for check-rules: `does not satisfy match`,
   * `is suppressed by except[i]`, `is suppressed by exception "name" (except[i])`, or `fires`.
   */
  explain(event: AuditEvent): { fires: boolean; reason: string };
  fires(event: AuditEvent): boolean;
}
