import { lacksRelation } from '../../merge/lacksRelation';
import type { SessionInfo } from '../../merge/SessionTracker';
import type { AuditEvent } from '../../model/AuditEvent';
import { PGAUDIT_CLASSES } from '../../rules/auditVocabulary';
import type { PgauditClass } from '../../rules/pgauditClassesOf';
import { IDENTITY_NEEDS, type IdentityField } from '../../rules/ruleNeeds';

/** What one server's log shows, as evidence for `doctor`. */
export interface ServerFacts {
  /** Lower-case server name; null for a plain file without --server. */
  server: string | null;
  events: number;
  /**
   * pgaudit.log classes seen, with their line counts. SET/RESET count as MISC_SET (pgaudit 1.7 prints
   * them as MISC; `misc` logs them too); other MISC lines as MISC.
   */
  classes: Map<PgauditClass, number>;
  /** SESSION and/or OBJECT (object audit logging, pgaudit.role). */
  auditTypes: Set<string>;
  /** `connection authorized` lines (log_connections). */
  connectionLines: number;
  /** Events on which each identity field is known. */
  known: Record<IdentityField, number>;
  /** Events with their statement text (pgaudit.log_statement). */
  statements: number;
  /** READ/WRITE session statements that name their table on the line: log_relation is on. */
  withRelation: number;
  /** READ/WRITE statements that name a table in their text but not on the line: log_relation is off. */
  withoutRelation: number;
  /** ISO time of the newest record. */
  newest: string | null;
}

/** Collects ServerFacts per server from merged events and the connection lines the merge reports. */
export class ServerObservations {
  private readonly byServer = new Map<string | null, ServerFacts>();

  constructor(private readonly since: string | null = null) {}

  /** mergeAuditRecords' onSessionContext. */
  readonly connection = (server: string | null, session: SessionInfo): void => {
    // Called again for a session whose identity becomes contested: one connection line was counted already.
    if (session.identityReason === null) this.facts(server).connectionLines++;
  };

  add(event: AuditEvent): void {
    if (event.trust === 'forged') return; // not pgAudit's: says nothing about what the server logs
    if (this.since !== null && event.time !== null && event.time < this.since) return;
    const facts = this.facts(event.server);
    facts.events++;
    for (const line of event.lines) {
      const shown = line.class.toUpperCase();
      const command = line.command.toUpperCase();
      const cls = (shown === 'MISC' && (command === 'SET' || command === 'RESET') ? 'MISC_SET' : shown) as PgauditClass;
      if ((PGAUDIT_CLASSES as readonly string[]).includes(cls)) facts.classes.set(cls, (facts.classes.get(cls) ?? 0) + 1);
      facts.auditTypes.add(line.auditType.toUpperCase());
    }
    for (const field of IDENTITY_NEEDS) if (event[field] !== null && event.identity === undefined) facts.known[field]++;
    if (event.statement !== null) facts.statements++;
    if (event.lines.some((l) => (l.class === 'READ' || l.class === 'WRITE') && l.auditType === 'SESSION' && l.objectName !== null)) facts.withRelation++;
    if (lacksRelation(event)) facts.withoutRelation++;
    if (event.time !== null && (facts.newest === null || event.time > facts.newest)) facts.newest = event.time;
  }

  /** Every server seen, named ones in name order. */
  servers(): ServerFacts[] {
    return [...this.byServer.values()].sort((a, b) => (a.server ?? '').localeCompare(b.server ?? ''));
  }

  private facts(server: string | null): ServerFacts {
    let facts = this.byServer.get(server);
    if (!facts) {
      facts = {
        server, events: 0, classes: new Map(), auditTypes: new Set(), connectionLines: 0,
        known: { user: 0, database: 0, application: 0, client: 0 }, statements: 0, withRelation: 0, withoutRelation: 0, newest: null,
      };
      this.byServer.set(server, facts);
    }
    return facts;
  }
}
