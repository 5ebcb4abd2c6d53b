import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PGAUDIT_CLASSES, POSTGRES_COMMAND_TAGS } from '../../shared/rules/auditVocabulary';
import { splitAuditCsv } from '../../shared/source/splitAuditCsv';

/** Real server logs: PostgreSQL 15 + pgaudit (test/fixtures/*\/README.md says how they were made). */
const LOGS = ['test/fixtures/samples-pg15-pgaudit17/postgresql.log', 'test/fixtures/pg15/azure/postgresql.log'];

describe('the class and command vocabulary check-rules accepts', () => {
  it('holds every class and command a real pgaudit wrote', () => {
    const seen = { classes: new Set<string>(), commands: new Set<string>() };
    for (const file of LOGS) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        const at = line.indexOf('AUDIT: ');
        if (at < 0) continue;
        const [, , , cls, command] = splitAuditCsv(line.slice(at + 'AUDIT: '.length)).fields;
        seen.classes.add(cls!);
        seen.commands.add(command!);
      }
    }
    expect(seen.commands.size).toBeGreaterThan(20);
    expect([...seen.classes].filter((c) => !(PGAUDIT_CLASSES as readonly string[]).includes(c))).toEqual([]);
    expect([...seen.commands].filter((c) => !POSTGRES_COMMAND_TAGS.includes(c))).toEqual([]);
  });

  it('is sorted and free of duplicates, as cmdtaglist.h is', () => {
    expect(new Set(POSTGRES_COMMAND_TAGS).size).toBe(POSTGRES_COMMAND_TAGS.length);
    const rest = POSTGRES_COMMAND_TAGS.slice(1); // "???" (CMDTAG_UNKNOWN) comes first there too
    expect(POSTGRES_COMMAND_TAGS[0]).toBe('???');
    expect(rest).toEqual([...rest].sort());
    for (const tag of ['GRANT ROLE', 'REVOKE ROLE', 'MERGE', 'LOGIN', 'TRUNCATE TABLE', 'ALTER SYSTEM']) expect(POSTGRES_COMMAND_TAGS).toContain(tag);
  });
});
