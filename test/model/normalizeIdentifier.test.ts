import { describe, expect, it } from 'vitest';
import { normalizeIdentifier } from '../../shared/model/normalizeIdentifier';

describe('normalizeIdentifier: SQL identifier rules', () => {
  it('folds unquoted names to lower case (ASCII only, as PostgreSQL in UTF-8) and keeps quoted ones', () => {
    expect(normalizeIdentifier('Sales.Payment_Cards')).toBe('sales.payment_cards');
    expect(normalizeIdentifier('sales."Kundenüberblick"')).toBe('sales.Kundenüberblick');
    expect(normalizeIdentifier('SALES.KUNDENÜBERBLICK')).toBe('sales.kundenÜberblick');
    expect(normalizeIdentifier('"odd,schema"."Mixed ""Quoted"" Table"')).toBe('odd,schema.Mixed "Quoted" Table');
    expect(normalizeIdentifier('sales . cards')).toBe('sales.cards');
  });

  it('decodes U&"…" identifiers, with UESCAPE', () => {
    expect(normalizeIdentifier('U&"s\\0061les".cards')).toBe('sales.cards');
    expect(normalizeIdentifier('u&"\\+01F600"')).toBe('😀');
    expect(normalizeIdentifier("U&\"s!0061les\" UESCAPE '!'.cards")).toBe('sales.cards');
  });
});
