import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../shared/model/AuditEvent';
import { exampleEvent } from '../../shared/rules/exampleEvent';
import type { EventLike } from '../../shared/rules/ruleFileSchema';
import { validateRules } from '../../shared/rules/validateRules';

/** Compiles a one-rule file and says whether the rule fires for the event. */
function fires(match: string, event: EventLike | AuditEvent, extra = ''): boolean {
  const yaml = `version: 1\nlists:\n  cards: [sales.payment_cards, "hr.*", 'sales."Kundenüberblick"']\n  people: [alice, "svc_*"]\nrules:\n  - id: r\n    severity: high\n    falsepositives: [none known]\n    match:\n${match
    .trim()
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n')}\n${extra}`;
  const result = validateRules(yaml);
  expect(result.problems).toEqual([]);
  return result.ruleSet!.match('lines' in event && 'pid' in event ? (event as AuditEvent) : exampleEvent(event as EventLike)).length === 1;
}

const insertSelect: EventLike = {
  lines: [
    { class: 'WRITE', command: 'INSERT', objectType: 'TABLE', objectName: 'public.mine' },
    { class: 'READ', command: 'SELECT', objectType: 'TABLE', objectName: 'sales.payment_cards' },
  ],
  statement: 'INSERT INTO mine SELECT * FROM sales.payment_cards',
};

describe('line fields are tested together against one line', () => {
  it('INSERT INTO mine SELECT * FROM cards is a READ of cards', () => {
    expect(fires('class: READ\nobject: sales.payment_cards', insertSelect)).toBe(true);
  });
  it('and never a WRITE of cards', () => {
    expect(fires('class: WRITE\nobject: sales.payment_cards', insertSelect)).toBe(false);
    expect(fires('class: WRITE\nobject: public.mine', insertSelect)).toBe(true);
  });
  it('event fields combine with the line condition (AND)', () => {
    expect(fires('class: READ\nuser: alice', { ...insertSelect, user: 'alice' })).toBe(true);
    expect(fires('class: READ\nuser: alice', { ...insertSelect, user: 'bob' })).toBe(false);
  });
});

describe('values', () => {
  const ev = (o: Partial<EventLike>): EventLike => ({ class: 'READ', command: 'SELECT', ...o });
  it('compare case-insensitively against the whole value (class, command, statement, server, client)', () => {
    expect(fires('command: select', ev({ user: 'alice' }))).toBe(true);
    // A partial value never matches: `statement: drop` does not fire on a longer statement (a partial
    // class such as `rea` is refused outright by check-rules since the class/command vocabulary check).
    expect(fires('statement: drop', ev({ statement: 'DROP TABLE t' }))).toBe(false);
    expect(fires('statement: drop table t', ev({ statement: 'DROP TABLE t' }))).toBe(true);
  });
  it('compare role, database and application names exactly, as PostgreSQL does (issue 10)', () => {
    expect(fires('user: alice', ev({ user: 'alice' }))).toBe(true);
    expect(fires('user: ALICE', ev({ user: 'alice' }))).toBe(false);
    expect(fires('user: ali', ev({ user: 'alice' }))).toBe(false);
    // "Etl", "etl " and a Cyrillic "еtl" are other roles than etl.
    for (const lookAlike of ['Etl', 'etl ', ' etl', '\u0435tl', 'etl\u200b']) expect(fires('user: etl', ev({ user: lookAlike }))).toBe(false);
    expect(fires('user: { list: people }', ev({ user: 'SVC_etl' }))).toBe(false);
    expect(fires('database: shop', ev({ database: 'Shop' }))).toBe(false);
    expect(fires('application: psql', ev({ application: 'PSQL' }))).toBe(false);
    expect(fires("user: { regex: '^etl$' }", ev({ user: 'ETL' }))).toBe(false);
    expect(fires("user: { not: etl }", ev({ user: 'Etl' }))).toBe(true);
  });
  it('treat a contested identity as unknown: no exception on user, database or application applies', () => {
    expect(fires('user: alice', ev({ user: 'alice', identity: 'contested' }))).toBe(false);
    expect(fires('user: { not: alice }', ev({ user: 'alice', identity: 'contested' }))).toBe(true);
    expect(fires('command: SELECT', ev({ user: 'alice', identity: 'contested' }))).toBe(true);
  });
  it('support * (dots and spaces included) and ? wildcards', () => {
    expect(fires('application: "pg*admin"', ev({ application: 'pgAdmin 4 - DB:shop.prod' }))).toBe(false);
    expect(fires('application: "pg*"', ev({ application: 'pgAdmin 4 - DB:shop.prod' }))).toBe(true);
    expect(fires('user: "bo?"', ev({ user: 'bob' }))).toBe(true);
    expect(fires('user: "bo?"', ev({ user: 'bobby' }))).toBe(false);
    expect(fires('user: "a.b"', ev({ user: 'axb' }))).toBe(false);
  });
  it('a list of strings is any of them; { list } uses a named list with wildcards', () => {
    expect(fires('user: [bob, alice]', ev({ user: 'alice' }))).toBe(true);
    expect(fires('user: { list: people }', ev({ user: 'svc_etl' }))).toBe(true);
    expect(fires('user: { list: people }', ev({ user: 'mallory' }))).toBe(false);
  });
  it('{ regex } is case-insensitive JavaScript found anywhere', () => {
    expect(fires("statement: { regex: 'pgaudit\\.log' }", ev({ statement: "SET PGAUDIT.LOG = 'none'" }))).toBe(true);
    expect(fires("statement: { regex: '^drop' }", ev({ statement: 'select 1; drop table x' }))).toBe(false);
  });
  it('a null field matches nothing but { not }', () => {
    expect(fires('user: "*"', ev({}))).toBe(false);
    expect(fires('user: { not: alice }', ev({}))).toBe(true);
    expect(fires('user: { not: alice }', ev({ user: 'alice' }))).toBe(false);
    expect(fires('user: { not: { list: people } }', ev({ user: 'mallory' }))).toBe(true);
  });
  it('object names compare by SQL identifier rules: unquoted folds to lower case, quoted is kept, U&"…" is decoded', () => {
    const quoted = ev({ objects: [{ type: 'TABLE', name: 'sales."Kundenüberblick"' }] });
    expect(fires('object: \'sales."Kundenüberblick"\'', quoted)).toBe(true);
    // Unquoted, the name folds to lower case: another table than the quoted mixed-case one.
    expect(fires('object: sales.Kundenüberblick', quoted)).toBe(false);
    expect(fires('object: \'sales."Kundenüberblick"\'', ev({ objects: [{ type: 'TABLE', name: 'SALES."Kundenüberblick"' }] }))).toBe(true);
    expect(fires('object: sales.payment_cards', ev({ objects: [{ type: 'TABLE', name: 'U&"s\\0061les"."payment_cards"' }] }))).toBe(true);
    expect(fires('object: sales.payment_cards', ev({ objects: [{ type: 'TABLE', name: 'Sales.Payment_Cards' }] }))).toBe(true);
    expect(fires('object: sales.payment_cards', ev({ objects: [{ type: 'TABLE', name: 'sales."Payment_Cards"' }] }))).toBe(false);
    expect(fires('object: { list: cards }', quoted)).toBe(true);
    expect(fires('object: { list: cards }', ev({ objects: [{ type: 'TABLE', name: '"sales"."payment_cards"' }] }))).toBe(true);
    expect(fires('object: { list: cards }', ev({ objects: [{ type: 'TABLE', name: 'hr.salaries' }] }))).toBe(true);
    expect(fires('object: { list: cards }', ev({ objects: [{ type: 'TABLE', name: 'sales.orders' }] }))).toBe(false);
  });
});

describe('{ mentions }', () => {
  const grant = (statement: string): EventLike => ({ class: 'ROLE', command: 'GRANT', statement });
  const rule = 'statement: { mentions: { list: cards } }';
  it('finds a whole identifier, quoted or not, qualified or relying on search_path', () => {
    expect(fires(rule, grant('GRANT SELECT ON sales.payment_cards TO x'))).toBe(true);
    expect(fires(rule, grant('GRANT SELECT ON "sales"."payment_cards" TO x'))).toBe(true);
    expect(fires(rule, grant('GRANT SELECT ON sales . payment_cards TO x'))).toBe(true);
    expect(fires(rule, grant('GRANT SELECT ON payment_cards TO x'))).toBe(true);
    expect(fires(rule, grant('GRANT SELECT ON hr.anything TO x'))).toBe(true);
    expect(fires(rule, grant('GRANT SELECT ON sales."Kundenüberblick" TO x'))).toBe(true);
  });
  it('inside dynamic SQL in a DO block', () => {
    expect(fires(rule, grant("DO $$ BEGIN EXECUTE 'GRANT SELECT ON sales.payment_cards TO x'; END $$"))).toBe(true);
  });
  it('not a mere substring of another identifier', () => {
    expect(fires(rule, grant('GRANT SELECT ON sales.payment_cards_archive TO x'))).toBe(false);
    expect(fires(rule, grant('GRANT SELECT ON other.payment_cards TO x'))).toBe(false);
    expect(fires(rule, grant('GRANT SELECT ON sales.orders TO payment_cards_reader'))).toBe(false);
  });
});

describe('except', () => {
  it('any matching exception suppresses the alert', () => {
    const extra = '    except:\n      - user: alice\n      - application: batch\n';
    expect(fires('class: READ', { class: 'READ', command: 'SELECT', user: 'alice' }, extra)).toBe(false);
    expect(fires('class: READ', { class: 'READ', command: 'SELECT', user: 'bob', application: 'batch' }, extra)).toBe(false);
    expect(fires('class: READ', { class: 'READ', command: 'SELECT', user: 'bob', application: 'psql' }, extra)).toBe(true);
  });
});

describe('the class/command index', () => {
  it('still finds rules keyed on a command that is not the first line', () => {
    const dropCascade: EventLike = {
      lines: [
        { class: 'DDL', command: 'DROP SCHEMA', objectType: 'SCHEMA', objectName: 'old' },
        { class: 'DDL', command: 'DROP TABLE', objectType: 'TABLE', objectName: 'old.t' },
      ],
    };
    expect(fires('command: DROP TABLE', dropCascade)).toBe(true);
    expect(fires('class: ddl\ncommand: [drop table]', dropCascade)).toBe(true);
  });
  it('keeps file order and skips rules that cannot match', () => {
    const rules = Array.from({ length: 50 }, (_, i) => `  - id: ddl-${i}\n    severity: low\n    falsepositives: [none known]\n    match: { command: CREATE TABLE }\n`).join('');
    const yaml = `version: 1\nrules:\n  - id: first\n    severity: low\n    falsepositives: [none known]\n    match: { class: READ }\n${rules}  - id: last\n    severity: low\n    falsepositives: [none known]\n    match: { user: "*" }\n`;
    const set = validateRules(yaml).ruleSet!;
    const fired = set.match(exampleEvent({ class: 'READ', command: 'SELECT', user: 'x' }));
    expect(fired.map((r) => r.id)).toEqual(['first', 'last']);
  });
});
