import { describe, expect, it } from 'vitest';
import { foreignKeyCheckTable } from '../../shared/merge/foreignKeyCheckQuery';

describe('foreignKeyCheckTable: only the queries ri_triggers.c generates (PG 13–17)', () => {
  it('accepts the referenced-table check, as pgaudit logged it on PostgreSQL 15 (test/fixtures/trust)', () => {
    expect(foreignKeyCheckTable('SELECT 1 FROM ONLY "sales"."payment_cards" x WHERE "id" OPERATOR(pg_catalog.=) $1 FOR KEY SHARE OF x')).toBe('"sales"."payment_cards"');
  });

  it('accepts multi-column keys, casts, a partitioned table (no ONLY) and the referencing-side check with COLLATE', () => {
    expect(foreignKeyCheckTable('SELECT 1 FROM "s"."p" x WHERE "a" OPERATOR(pg_catalog.=) $1 AND "b" OPERATOR(pg_catalog.=) $2::pg_catalog.int4 FOR KEY SHARE OF x')).toBe('"s"."p"');
    expect(foreignKeyCheckTable('SELECT 1 FROM ONLY "s"."c" x WHERE $1 OPERATOR(pg_catalog.=) "k" COLLATE "pg_catalog"."default" FOR KEY SHARE OF x')).toBe('"s"."c"');
    expect(foreignKeyCheckTable('SELECT 1 FROM ONLY "we""ird"."t" x WHERE "id" OPERATOR(pg_catalog.=) $1 FOR KEY SHARE OF x')).toBe('"we""ird"."t"');
  });

  it('rejects anything a user can write around the shape', () => {
    for (const query of [
      "SELECT 1 FROM ONLY \"sales\".\"payment_cards\" x WHERE set_config('app.loot', (SELECT string_agg(pan, '|') FROM sales.payment_cards), false) IS NOT NULL FOR KEY SHARE OF x",
      'SELECT 1 FROM ONLY "sales"."payment_cards" x WHERE "id" OPERATOR(pg_catalog.=) $1 FOR KEY SHARE OF x;',
      'SELECT 1 FROM ONLY sales.payment_cards x WHERE "id" OPERATOR(pg_catalog.=) $1 FOR KEY SHARE OF x',
      'SELECT 1 FROM ONLY "sales"."payment_cards" x WHERE "id" = $1 FOR KEY SHARE OF x',
      'SELECT 1 FROM ONLY "sales"."payment_cards" x WHERE "id" OPERATOR(public.=) $1 FOR KEY SHARE OF x',
      'SELECT 1 FROM ONLY "sales"."payment_cards" x WHERE "id" OPERATOR(pg_catalog.=) 1 FOR KEY SHARE OF x',
      'SELECT 1 FROM ONLY "sales"."payment_cards" x WHERE "id" OPERATOR(pg_catalog.=) $1 OR true FOR KEY SHARE OF x',
      'SELECT 1 FROM ONLY "sales"."payment_cards" x WHERE "id" OPERATOR(pg_catalog.=) $1::public.leak FOR KEY SHARE OF x',
      'SELECT 1 FROM ONLY "sales"."payment_cards" x WHERE "id" OPERATOR(pg_catalog.=) $2 FOR KEY SHARE OF x',
      'SELECT pan FROM ONLY "sales"."payment_cards" x WHERE "id" OPERATOR(pg_catalog.=) $1 FOR KEY SHARE OF x',
      'SELECT 1 FROM ONLY "sales"."payment_cards" x, "sales"."other" y WHERE "id" OPERATOR(pg_catalog.=) $1 FOR KEY SHARE OF x',
    ]) {
      expect(foreignKeyCheckTable(query), query).toBeNull();
    }
  });
});
