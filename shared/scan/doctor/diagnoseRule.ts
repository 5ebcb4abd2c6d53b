import type { IdentityField, RuleNeeds } from '../../rules/ruleNeeds';
import type { ServerFacts } from './ServerObservations';

/** Whether a rule can fire on what one server logs, and every reason it cannot. */
export interface RuleDiagnosis {
  id: string;
  canFire: boolean;
  reasons: string[];
  /** Its `server` condition leaves this server out: not judged here. */
  otherServers?: true;
}

const LABEL: Record<IdentityField, { what: string; escape: string }> = {
  user: { what: 'the user', escape: '%u' },
  database: { what: 'the database', escape: '%d' },
  application: { what: 'the application name', escape: '%a' },
  client: { what: 'the client address', escape: '%h or %r' },
};

/**
 * Compares what a rule needs (rules/ruleNeeds, from its own conditions) with what a server's log shows.
 * Only evidence counts against a rule: log_relation is judged off only when READ/WRITE statements naming a
 * table were logged without it, the statement text missing only when the server logged events without any.
 * `prefix` is the log_line_prefix the input was read with (null for csvlog/jsonlog, which have columns).
 */
export function diagnoseRule(id: string, needs: RuleNeeds, facts: ServerFacts, prefix: string | null): RuleDiagnosis {
  if (!needs.forServer(facts.server)) return { id, canFire: true, reasons: [], otherServers: true };
  const reasons: string[] = needs.emptyLists.map((list) => `list "${list}" is empty: fill in lists.${list} (or try values with --list ${list}=a,b)`);
  const possible = needs.lineKinds.filter((k) => facts.classes.has(k.cls) && (k.auditTypes.includes('SESSION') || facts.auditTypes.has('OBJECT')));
  if (possible.length === 0) reasons.push(classReason(needs, facts));
  else if (needs.objectName && facts.withoutRelation > 0 && facts.withRelation === 0 && possible.every((k) => k.cls === 'READ' || k.cls === 'WRITE')) {
    reasons.push(
      `needs the table name on its ${[...new Set(possible.map((k) => k.cls))].join('/')} lines, but pgaudit.log_relation looks off ` +
        `(${facts.withoutRelation} READ/WRITE statements that name a table were logged without it)`,
    );
  }
  if (needs.statement && facts.events > 0 && facts.statements === 0) {
    reasons.push('needs the statement text, but this server logs none (pgaudit.log_statement = off)');
  }
  if (facts.events > 0) {
    for (const field of Object.keys(LABEL) as IdentityField[]) {
      const where = needs.identity.filter((n) => n.field === field).map((n) => n.where);
      if (where.length === 0 || facts.known[field] > 0) continue;
      reasons.push(`needs ${LABEL[field].what} (${where.join(', ')}) but ${identityGap(field, facts, prefix)}`);
    }
  }
  return { id, canFire: reasons.length === 0, reasons };
}

function classReason(needs: RuleNeeds, facts: ServerFacts): string {
  if (needs.lineKinds.length === 0) return 'its class/command conditions match nothing pgAudit logs';
  const logged = facts.classes.size > 0 ? `it logs ${[...facts.classes.keys()].join(', ')}` : 'no pgAudit records from it were read';
  const classes = [...new Set(needs.lineKinds.map((k) => k.cls))];
  const commands = [...new Set(needs.lineKinds.map((k) => k.command))];
  const which = commands.length <= 4 ? ` (${commands.join(', ')})` : '';
  const objectOnly = needs.lineKinds.every((k) => !k.auditTypes.includes('SESSION'));
  const audit = objectOnly ? ' object audit records (pgaudit.role) of' : '';
  return `needs${audit} class ${classes.join(' or ')}${which}, which this server does not log (${logged})`;
}

function identityGap(field: IdentityField, facts: ServerFacts, prefix: string | null): string {
  const { escape } = LABEL[field];
  if (facts.connectionLines > 0) return `none of the ${facts.events} events could be tied to a connection line or a ${escape} in the log_line_prefix`;
  const prefixPart = prefix === null
    ? ''
    : escape.split(' or ').some((e) => prefix.includes(e))
      ? ` and no line carries one in the log_line_prefix ${JSON.stringify(prefix)}`
      : ` and the log_line_prefix ${JSON.stringify(prefix)} has no ${escape}`;
  return `connection lines are not logged (log_connections = off)${prefixPart}`;
}
