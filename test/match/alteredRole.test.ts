import { describe, expect, it } from 'vitest';
import { alteredRole } from '../../shared/match/alteredRole';
import { exampleEvent } from '../../shared/rules/exampleEvent';

const of = (user: string | null, statement: string, contested = false) =>
  alteredRole(exampleEvent({ class: 'ROLE', command: 'ALTER ROLE', user, statement, ...(contested ? { identity: 'contested' as const } : {}) }));

describe('altered_role', () => {
  it('is self only when every ALTER ROLE/USER of the text changes the session user', () => {
    expect(of('etl', 'ALTER ROLE etl PASSWORD <REDACTED>')).toBe('self');
    expect(of('etl', 'alter user CURRENT_USER with password <REDACTED>')).toBe('self');
    expect(of('Etl', 'ALTER ROLE "Etl" VALID UNTIL \'infinity\'')).toBe('self');
    expect(of('etl', 'ALTER ROLE etl2 PASSWORD <REDACTED>')).toBe('other');
    expect(of('Etl', 'ALTER ROLE Etl PASSWORD <REDACTED>')).toBe('other'); // unquoted folds to etl
    expect(of('etl', 'ALTER ROLE etl PASSWORD <REDACTED>; ALTER ROLE etl2 PASSWORD <REDACTED>')).toBe('other');
    // Text in a string can only add a target, never hide the real one.
    expect(of('etl', "ALTER ROLE etl2 VALID UNTIL '; alter role etl'")).toBe('other');
  });

  it('is unknown without a role statement or a known user', () => {
    expect(of('etl', 'SELECT 1')).toBeNull();
    expect(of(null, 'ALTER ROLE etl PASSWORD <REDACTED>')).toBeNull();
    expect(of('etl', 'ALTER ROLE etl PASSWORD <REDACTED>', true)).toBeNull();
  });
});
