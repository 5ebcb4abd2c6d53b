import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileWildcard } from '../../shared/match/compileWildcard';
import { normalizeIdentifier } from '../../shared/model/normalizeIdentifier';
import { sqlView } from '../../shared/match/sqlView';
import { compileLogLinePrefix } from '../../shared/parse/compileLogLinePrefix';
import { parseConnectionMessage } from '../../shared/parse/parseConnectionMessage';

/**
 * Every regex or matcher applied to text a database user controls finishes on 1 MiB of the worst text
 * for it (each case hung, or took minutes, with the backtracking patterns before). No timings: a case
 * that regresses runs past the test timeout: 120 s, which a linear case on a busy 2-core machine stays far
 * under (about 11 s seen for the slowest with three test workers) and a quadratic one on 1 MiB never meets.
 */
const MIB = 1 << 20;

/** The wildcard semantics as they were defined (a whole-value regex), for comparison on short texts. */
function reference(pattern: string): RegExp {
  let source = '';
  for (const ch of pattern) source += ch === '*' ? '[\\s\\S]*' : ch === '?' ? '[\\s\\S]' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${source}$`, 'u');
}

describe('text a database user controls costs linear time', { timeout: 120_000 }, () => {
  it('property: compileWildcard agrees with the whole-value regex it replaces', () => {
    const ch = fc.constantFrom('a', 'b', '.', ' ', '😀', 'ü');
    const text = fc.array(ch, { maxLength: 14 }).map((c) => c.join(''));
    const pattern = fc.array(fc.oneof(ch, fc.constant('*'), fc.constant('?')), { maxLength: 8 }).map((c) => c.join(''));
    fc.assert(fc.property(pattern, text, (p, t) => compileWildcard(p)(t) === reference(p).test(t)), { numRuns: 3000 });
  });

  it('a many-star wildcard against a 1 MiB identifier completes', () => {
    const test = compileWildcard('*a*a*a*a*a*a*b');
    expect(test('a'.repeat(MIB))).toBe(false);
    expect(test('a'.repeat(MIB) + 'b')).toBe(true);
  });

  it('normalizeIdentifier of a name with 1 MiB of spaces and no dot', () => {
    // SQL identifier rules (issue 10 item 3): whitespace outside quotes is never part of a name.
    expect(normalizeIdentifier(' '.repeat(MIB) + 'X')).toBe('x');
    expect(normalizeIdentifier('"' + ' '.repeat(MIB) + '"')).toBe(' '.repeat(MIB));
    expect(normalizeIdentifier('Sales .  Cards')).toBe('sales.cards');
    expect(normalizeIdentifier(' a . b . c ')).toBe('a.b.c');
  });

  it('sqlView (what mentions reads) on 1 MiB of unbalanced quotes, of dotted chains and of nested strings', () => {
    expect(sqlView('"a'.repeat(MIB / 2)).names.length).toBeGreaterThan(0);
    expect(sqlView('a .'.repeat(MIB / 3)).names).toHaveLength(1);
    expect(sqlView("'x ''".repeat(MIB / 5)).names.length).toBeGreaterThan(0);
    expect(sqlView('U&"\\'.repeat(MIB / 4)).sql.length).toBeGreaterThan(0);
    // Dynamic SQL with very many names inside one string (a pushed spread of them overflowed the stack).
    expect(sqlView(`DO $$ ${'a, '.repeat(MIB / 3)} $$`).names.length).toBeGreaterThan(MIB / 3);
  });

  it.each(['%m [%p] [user=%u,db=%d,app=%a] ', '%t %p %l-1 db-%d,user-%u,app-%a,client-%h ', '%m [%p] %q%u@%d ', '%t:%r:%u@%d:[%p]:', '%-20u %a '])(
    'log_line_prefix %j: a 1 MiB line full of its separators is parsed or refused',
    (text) => {
      const prefix = compileLogLinePrefix(text);
      const hostile = '2026-11-22 12:00:00.000 UTC [1] [user=' + ',db=,app=] db-,user-,app-,client-@:'.repeat(MIB / 40);
      expect(prefix.parse(hostile)).toBeNull();
      const many = '2026-11-22 12:00:00.000 UTC [1] [user=a,db=b,app=c] LOG:  AUDIT: ' + ':  AUDIT: x'.repeat(MIB / 11);
      prefix.auditCandidates(many); // completes
    },
  );

  it('the bounded prefix still reads real fields, padding included', () => {
    const prefix = compileLogLinePrefix('%m [%p] [user=%u,db=%d,app=%a] ');
    const app = 'a'.repeat(63);
    expect(prefix.parse(`2026-11-22 12:00:00.123 UTC [42] [user=alice,db=shop,app=${app}] LOG:  AUDIT: x`)).toMatchObject({
      pid: 42, user: 'alice', database: 'shop', application: app, severity: 'LOG', message: 'AUDIT: x',
    });
    const padded = compileLogLinePrefix('%-10u|%5p ');
    expect(padded.parse('bob       |   42 LOG:  hello')).toMatchObject({ user: 'bob', pid: 42, message: 'hello' });
  });

  it('a 1 MiB forged "connection authorized" message is not a connection line', () => {
    expect(parseConnectionMessage('connection authorized: user=a' + ' GSS ('.repeat(MIB / 6) + '!')).toBeNull();
    expect(parseConnectionMessage('connection authorized: user=etl database=shop application_name=x SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)')).toEqual({
      kind: 'authorized', user: 'etl', database: 'shop', application: 'x',
    });
  });
});
