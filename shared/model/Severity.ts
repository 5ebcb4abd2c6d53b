export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is more severe; used to order alerts and pick a digest's severity. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}
