import { PGAUDIT_CLASSES } from '../../rules/auditVocabulary';
import type { DoctorReport } from './runDoctor';
import type { ServerFacts } from './ServerObservations';

/** The report as the terminal shows it: per server what is logged, then every rule, `ok` or `CANNOT FIRE: why`. */
export function formatDoctorReport(report: DoctorReport): string {
  const out: string[] = [];
  const window = report.since ? ` since ${report.since}` : '';
  const read = [report.format, report.prefix !== null ? `log_line_prefix ${JSON.stringify(report.prefix)}` : null].filter((p) => p !== null);
  out.push(`doctor: ${report.source}${window}${read.length > 0 ? ` (${read.join(', ')})` : ''}`);
  if (report.servers.length === 0) out.push('', 'no pgAudit records were read: no rule can fire (is pgaudit in shared_preload_libraries, and pgaudit.log set?)');
  for (const { facts, rules } of report.servers) {
    out.push('', `server ${facts.server ?? '(unnamed: pass --server NAME)'}`);
    out.push(`  pgAudit classes:   ${classesLine(facts)}`);
    out.push(`  connection lines:  ${facts.connectionLines > 0 ? `logged (${facts.connectionLines})` : 'none (log_connections = off?)'}`);
    out.push(`  identity:          ${identityLine(facts)}`);
    out.push(`  log_relation:      ${relationLine(facts)}`);
    out.push(`  log_line_prefix:   ${report.prefix !== null ? JSON.stringify(report.prefix) : report.format === 'csvlog' || report.format === 'jsonlog' ? `none (${report.format}: user, database and application are columns)` : 'not detected'}`);
    out.push(`  newest record:     ${facts.newest === null ? 'none' : `${facts.newest} (${age(Date.parse(report.now) - Date.parse(facts.newest))} old)`}`);
    out.push('  rules:');
    for (const rule of rules) {
      if (rule.otherServers) out.push(`    n/a          ${rule.id} (its server condition leaves this server out)`);
      else if (rule.canFire) out.push(`    ok           ${rule.id}`);
      else out.push(`    CANNOT FIRE  ${rule.id}: ${rule.reasons.join('; ')}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** One line on stderr: how many rules cannot fire where. */
export function doctorSummary(report: DoctorReport): string {
  const failing = new Set(report.servers.flatMap((s) => s.rules.filter((r) => !r.canFire).map((r) => r.id)));
  const rules = report.servers[0]?.rules.length ?? 0;
  const servers = `${report.servers.length} server${report.servers.length === 1 ? '' : 's'}`;
  if (report.servers.length === 0) return 'doctor: no pgAudit records read; no rule can fire';
  return failing.size === 0
    ? `doctor: ${servers}, ${rules} enabled rules: every rule can fire on what is logged`
    : `doctor: ${servers}, ${rules} enabled rules: ${failing.size} cannot fire (${[...failing].join(', ')})`;
}

function classesLine(facts: ServerFacts): string {
  const seen = PGAUDIT_CLASSES.filter((c) => facts.classes.has(c)).map((c) => `${c} (${facts.classes.get(c)}${c === 'MISC_SET' ? ', SET/RESET' : ''})`);
  const missing = PGAUDIT_CLASSES.filter((c) => !facts.classes.has(c));
  const object = facts.auditTypes.has('OBJECT') ? '; object audit records too' : '';
  return `${seen.length > 0 ? seen.join(', ') : 'none'}${missing.length > 0 ? `; not seen: ${missing.join(', ')}` : ''}${object}`;
}

function identityLine(facts: ServerFacts): string {
  if (facts.events === 0) return 'no events';
  const fields = (['user', 'database', 'application', 'client'] as const).map((f) => `${f} ${facts.known[f] === facts.events ? 'known' : facts.known[f] === 0 ? 'unknown' : `known on ${facts.known[f]}/${facts.events}`}`);
  return fields.join(', ');
}

function relationLine(facts: ServerFacts): string {
  if (facts.withoutRelation > 0 && facts.withRelation === 0) return `looks off (${facts.withoutRelation} READ/WRITE statements that name a table were logged without it)`;
  if (facts.withRelation > 0 && facts.withoutRelation === 0) return `looks on (${facts.withRelation} READ/WRITE statements name their table)`;
  if (facts.withRelation > 0) return `mixed (${facts.withRelation} statements name their table, ${facts.withoutRelation} do not: changed during the window?)`;
  return 'unknown (no READ/WRITE statement that names a table was logged)';
}

function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}
