import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeParameters } from '../../shared/parse/parseAuditRecord';
import { splitAuditCsv } from '../../shared/source/splitAuditCsv';

/** pgaudit's append_valid_csv: quote only when the value has , " \n or \r; double inner quotes. */
function appendValidCsv(value: string): string {
  return /[,"\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const fieldChars = fc.constantFrom('a', 'Z', ' ', '\t', ',', '"', '\n', '\r', ';', 'ü', '€', '😀', '<', '>', '$', '\\', "'");
const field = fc.array(fieldChars, { maxLength: 12 }).map((chars) => chars.join(''));

describe('splitAuditCsv', () => {
  it('splits quoted fields with commas, doubled quotes and newlines', () => {
    // pgaudit quotes the object name `"odd,schema"."Mixed ""Q"" T"` once more as a CSV field.
    expect(splitAuditCsv('SESSION,1,1,READ,SELECT,TABLE,"""odd,schema"".""Mixed """"Q"""" T""","SELECT 1,\n2",<none>').fields).toEqual([
      'SESSION', '1', '1', 'READ', 'SELECT', 'TABLE', '"odd,schema"."Mixed ""Q"" T"', 'SELECT 1,\n2', '<none>',
    ]);
  });

  it('keeps leading and trailing spaces', () => {
    expect(splitAuditCsv(' a , b ').fields).toEqual([' a ', ' b ']);
  });

  it('reports an unterminated quote as truncated and keeps the text read', () => {
    expect(splitAuditCsv('SESSION,1,1,READ,SELECT,,,"SELECT a,b FROM t WHERE x = \'...')).toEqual({
      fields: ['SESSION', '1', '1', 'READ', 'SELECT', '', '', "SELECT a,b FROM t WHERE x = '..."],
      truncated: true,
    });
  });

  it('property: any fields encoded with pgaudit quoting split back to the same values', () => {
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 11 }), (fields) => {
        expect(splitAuditCsv(fields.map(appendValidCsv).join(',')).fields).toEqual(fields);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: PARAMETER is encoded twice and decodes to the same list (empty element = NULL)', () => {
    const param = fc.option(field.filter((v) => v !== ''), { nil: null });
    fc.assert(
      fc.property(fc.array(param, { minLength: 1, maxLength: 6 }), fc.string(), (params, statement) => {
        const inner = params.map((p) => appendValidCsv(p ?? '')).join(',');
        const payload = ['SESSION', '1', '1', 'READ', 'SELECT', '', '', statement, inner].map(appendValidCsv).join(',');
        const fields = splitAuditCsv(payload).fields;
        expect(fields[7]).toBe(statement);
        expect(decodeParameters(fields[8]!)).toEqual(params);
      }),
      { numRuns: 1000 },
    );
  });
});
