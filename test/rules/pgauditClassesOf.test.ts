import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAuditLog } from '../../shared/merge/parseAuditLog';
import { POSTGRES_COMMAND_TAGS } from '../../shared/rules/auditVocabulary';
import { displayedClassesOf, pgauditClassesOf } from '../../shared/rules/pgauditClassesOf';

/**
 * doctor's command → class table against what real PostgreSQL 15 + pgaudit wrote: every (class,
 * command) of every line in the recorded real-server logs must be one the table allows.
 */
const LOGS = ['test/fixtures/pg15/user-db-app/postgresql.csv', 'test/fixtures/detection/postgresql.log', 'test/fixtures/doctor/no-log-relation/postgresql.csv'];

describe('pgauditClassesOf', () => {
  it('allows every (class, command) pair real pgaudit logged', async () => {
    const seen = new Set<string>();
    for (const file of LOGS) {
      const parsed = parseAuditLog(createReadStream(file), { prefix: '%m [%p] [user=%u,db=%d,app=%a] ', source: file });
      for await (const event of parsed.events) for (const line of event.lines) seen.add(`${line.class} ${line.command}`);
    }
    expect(seen.size).toBeGreaterThan(25);
    const wrong = [...seen].filter((pair) => {
      const [cls, ...command] = pair.split(' ');
      return !pgauditClassesOf(command.join(' ')).some((c) => displayedClassesOf(c).includes(cls!));
    });
    expect(wrong).toEqual([]);
  });

  it('gives every command tag at least one class', () => {
    expect(POSTGRES_COMMAND_TAGS.filter((t) => pgauditClassesOf(t).length === 0)).toEqual([]);
    expect(pgauditClassesOf('grant role')).toEqual(['ROLE']);
    expect(pgauditClassesOf('CREATE TABLE')).toEqual(['DDL']);
  });
});
