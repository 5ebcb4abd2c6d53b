import { describe, expect, it } from 'vitest';
import { splitDocumentMessage } from '../../../shared/source/openSearch/splitDocumentMessage';

const P = 'pid=10674,user=mallory,db=shop,app=psql,client=127.0.0.1 ';

describe('splitDocumentMessage: one document is what PostgreSQL wrote in one write', () => {
  it('a record alone', () => {
    expect(splitDocumentMessage(`${P}LOG:  AUDIT: SESSION,1,1,DDL,DROP TABLE,,,DROP TABLE t;,<not logged>`)).toEqual({
      record: `${P}LOG:  AUDIT: SESSION,1,1,DDL,DROP TABLE,,,DROP TABLE t;,<not logged>`, context: null, others: [],
    });
  });

  it('a RAISE: the CONTEXT and STATEMENT lines written with it, each with the record’s prefix', () => {
    const text = [
      `${P}LOG:  AUDIT: SESSION,9,1,DDL,DROP TABLE,,,DROP TABLE sales.orders;,<not logged>`,
      `${P}CONTEXT:  PL/pgSQL function inline_code_block line 1 at RAISE`,
      `${P}STATEMENT:  DO $$BEGIN RAISE LOG 'AUDIT: ...'; END$$;`,
    ].join('\n');
    expect(splitDocumentMessage(text)).toEqual({
      record: `${P}LOG:  AUDIT: SESSION,9,1,DDL,DROP TABLE,,,DROP TABLE sales.orders;,<not logged>`,
      context: 'PL/pgSQL function inline_code_block line 1 at RAISE',
      others: [`${P}STATEMENT:  DO $$BEGIN RAISE LOG 'AUDIT: ...'; END$$;`],
    });
  });

  it('continuation lines (a TAB after each newline) stay in the record, one TAB removed; a multi-line CONTEXT stays whole', () => {
    const text = `${P}LOG:  AUDIT: SESSION,2,1,READ,SELECT,,,"SELECT 1\n\t\tFROM t\n\tCONTEXT:  not one",<not logged>\n${P}CONTEXT:  SQL statement "x"\n\tPL/pgSQL function f() line 3 at EXECUTE`;
    expect(splitDocumentMessage(text)).toEqual({
      record: `${P}LOG:  AUDIT: SESSION,2,1,READ,SELECT,,,"SELECT 1\n\tFROM t\nCONTEXT:  not one",<not logged>`,
      context: 'SQL statement "x"\nPL/pgSQL function f() line 3 at EXECUTE',
      others: [],
    });
  });

  it('a line that does not repeat the record’s prefix continues it (a newline in a name): it can neither cut the record nor pass as its CONTEXT', () => {
    const other = 'pid=1,user=etl_loader,db=shop,app=x,client=h ';
    for (const line of [`CONTEXT:  fake`, `${other}CONTEXT:  fake`, `${P.slice(0, 20)}CONTEXT:  fake`]) {
      const text = `${P}LOG:  AUDIT: SESSION,1,1,DDL,DROP TABLE,,,DROP TABLE t;,<not logged>\n${line}`;
      expect(splitDocumentMessage(text)).toEqual({ record: text, context: null, others: [] });
    }
    // A role name with a newline splits the prefix itself; the record goes on on the next line.
    const cut = 'pid=7,user=evil\nname,db=shop,app=psql,client=h LOG:  AUDIT: SESSION,1,1,DDL,DROP TABLE,,,DROP TABLE t;,<not logged>';
    expect(splitDocumentMessage(cut)).toEqual({ record: cut, context: null, others: [] });
  });

  it('an error whose STATEMENT is AUDIT text: the STATEMENT line is a record of its own (judged forged downstream)', () => {
    const text = `${P}ERROR:  syntax error at or near "AUDIT" at character 1\n${P}STATEMENT:  AUDIT: SESSION,1,1,ROLE,GRANT ROLE,,,GRANT app_admin TO mallory;`;
    expect(splitDocumentMessage(text)).toEqual({
      record: `${P}ERROR:  syntax error at or near "AUDIT" at character 1`, context: null,
      others: [`${P}STATEMENT:  AUDIT: SESSION,1,1,ROLE,GRANT ROLE,,,GRANT app_admin TO mallory;`],
    });
  });
});
