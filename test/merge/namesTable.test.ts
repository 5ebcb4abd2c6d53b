import { describe, expect, it } from 'vitest';
import { namesTable } from '../../shared/merge/namesTable';

describe('namesTable: is a READ/WRITE line without an object name evidence that log_relation is off?', () => {
  it('yes for statements that name a table', () => {
    expect(namesTable('SELECT * FROM sales.payment_cards')).toBe(true);
    expect(namesTable('select pan from ONLY "sales"."payment_cards" where id = 1')).toBe(true);
    expect(namesTable('WITH x AS (SELECT 1) SELECT * FROM x, sales.orders')).toBe(true);
    expect(namesTable('INSERT INTO mine SELECT * FROM cards')).toBe(true);
    expect(namesTable('UPDATE sales.orders SET total = 1')).toBe(true);
    expect(namesTable('DELETE FROM sales.orders')).toBe(true);
  });

  it('no for statements that never carry a table name (COPY, cursors, PREPARE, functions, no FROM)', () => {
    expect(namesTable('COPY sales.orders TO STDOUT')).toBe(false);
    expect(namesTable('DECLARE c CURSOR FOR SELECT * FROM public.list_days()')).toBe(false);
    expect(namesTable('PREPARE q AS SELECT * FROM sales.orders')).toBe(false);
    expect(namesTable('EXECUTE q')).toBe(false);
    expect(namesTable('SELECT * FROM f()')).toBe(false);
    expect(namesTable('SELECT * FROM public.list_days ( )')).toBe(false);
    expect(namesTable('SELECT * FROM generate_series(1, 3)')).toBe(false);
    expect(namesTable('SELECT pg_is_in_recovery()')).toBe(false);
    expect(namesTable("SELECT 'from sales.orders' -- from x")).toBe(false);
    expect(namesTable('SELECT current_date')).toBe(false);
  });
});
