import type { AuditEventStream } from '../../merge/mergeAuditRecords';
import { ruleNeeds } from '../../rules/ruleNeeds';
import type { RulesValidation } from '../../rules/validateRules';
import { parseWarnings } from '../parseWarnings';
import { diagnoseRule, type RuleDiagnosis } from './diagnoseRule';
import type { ServerFacts, ServerObservations } from './ServerObservations';

/** What `doctor` found: per server what is logged, and per enabled rule whether it can fire there. */
export interface DoctorReport {
  /** The file, or `Log Analytics workspace …`. */
  source: string;
  format: string | null;
  /** The log_line_prefix the input was read with (null for csvlog/jsonlog). */
  prefix: string | null;
  /** ISO lower bound of the window read, when there is one. */
  since: string | null;
  now: string;
  servers: { facts: ServerFacts; rules: RuleDiagnosis[] }[];
  /** What the parse noticed (prefix detected, malformed records, ...), as a scan reports it. */
  warnings: string[];
}

/**
 * Reads the events of a window into `observations` (whose `connection` the stream's merge reports
 * to), then judges every enabled rule of `rules` against each server's facts.
 */
export async function runDoctor(
  stream: AuditEventStream,
  observations: ServerObservations,
  rules: RulesValidation,
  context: { source: string; since: Date | null; now: Date },
): Promise<DoctorReport> {
  for await (const batch of stream.batches) for (const event of batch) observations.add(event);
  const summary = stream.summary();
  const enabled = rules.rules.filter((r) => r.spec.enabled !== false).map((r) => ({ id: r.spec.id, needs: ruleNeeds(r.spec, rules.lists, rules.exceptions) }));
  const prefix = summary.format === 'csvlog' || summary.format === 'jsonlog' ? null : summary.prefix;
  return {
    source: context.source,
    format: summary.format,
    prefix,
    since: context.since?.toISOString() ?? null,
    now: context.now.toISOString(),
    servers: observations.servers().map((facts) => ({ facts, rules: enabled.map((r) => diagnoseRule(r.id, r.needs, facts, prefix)) })),
    warnings: parseWarnings(summary),
  };
}

/** True when some enabled rule cannot fire on some server, or nothing was read at all. */
export function doctorFailed(report: DoctorReport): boolean {
  return report.servers.length === 0 || report.servers.some((s) => s.rules.some((r) => !r.canFire));
}
