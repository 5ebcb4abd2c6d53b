import { describe, expect, it } from 'vitest';
import { sqlView } from '../../shared/match/sqlView';

describe('sqlView: a statement as PostgreSQL reads it', () => {
  it('folds keywords and unquoted names, drops comments, one space between tokens', () => {
    expect(sqlView('ALTER  ROLE\n X /* c */ WITH  SuperUser -- x').sql).toBe('alter role x with superuser');
  });

  it('decodes quoted and U& identifiers, bare when that is the same name', () => {
    expect(sqlView('ALTER ROLE x WITH U&"\\0073uperuser"').sql).toBe('alter role x with superuser');
    expect(sqlView('ALTER ROLE x WITH U&"!0073uperuser" UESCAPE \'!\'').sql).toBe('alter role x with superuser');
    expect(sqlView('SET "pgaudit"."log" = none').sql).toBe('set pgaudit.log = none');
    expect(sqlView('SELECT * FROM "Sales"."Cards"').sql).toBe('select * from "Sales"."Cards"');
    expect(sqlView('SELECT "a""b"').sql).toBe('select "a""b"');
  });

  it('joins qualified names written with spaces around the dot', () => {
    expect(sqlView('set pgaudit . log_relation=off').sql).toBe('set pgaudit.log_relation = off');
  });

  it('decodes E, U& and dollar-quoted strings', () => {
    expect(sqlView("SELECT set_config(E'pgaudit\\x2elog', 'none', false)").sql).toBe("select set_config ( 'pgaudit.log' , 'none' , false )");
    expect(sqlView("SELECT set_config(U&'pgaudit\\002elog', 'it''s', false)").sql).toBe("select set_config ( 'pgaudit.log' , 'it''s' , false )");
    expect(sqlView("SELECT U&'d!0061t!+000061' UESCAPE '!'").sql).toBe("select 'data'");
    expect(sqlView('SELECT $x$pgaudit.log$x$').sql).toBe("select 'pgaudit.log'");
    expect(sqlView("SELECT X'1F', 1.5::numeric, $1").sql).toBe("select x'1F' , 1.5 :: numeric , $1");
  });

  it('lists identifier chains, including those of SQL inside strings', () => {
    expect(sqlView('GRANT ALL ON hr.U&"\\0073alaries" TO m').names).toContain('hr.salaries');
    expect(sqlView("DO $$ BEGIN EXECUTE 'GRANT SELECT ON hr.salaries TO x'; END $$").names).toContain('hr.salaries');
    expect(sqlView("DO $$ BEGIN EXECUTE E'GRANT SELECT ON hr.\\x73alaries TO x'; END $$").names).toContain('hr.salaries');
    expect(sqlView('GRANT SELECT ON sales . "Cards" TO x').names).toContain('sales."Cards"');
  });

  it('lists the schemas of IN SCHEMA', () => {
    expect(sqlView('GRANT SELECT ON ALL TABLES IN SCHEMA hr, "Sales" TO x').schemas).toEqual(['hr', '"Sales"']);
    expect(sqlView('ALTER DEFAULT PRIVILEGES FOR ROLE o IN SCHEMA U&"\\0068r" GRANT SELECT ON TABLES TO x').schemas).toEqual(['hr']);
    expect(sqlView('GRANT SELECT ON hr.salaries TO x').schemas).toEqual([]);
  });

  it('survives truncated input', () => {
    expect(sqlView("SELECT 'abc").sql).toBe("select 'abc'");
    expect(sqlView('SELECT "ab').sql).toBe('select ab');
  });
});
