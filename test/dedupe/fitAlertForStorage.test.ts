import { describe, expect, it } from 'vitest';
import { fitAlertForStorage, MAX_ALERT_JSON_CHARS, STORAGE_TRUNCATION_MARK } from '../../shared/dedupe/fitAlertForStorage';
import { sampleAlert } from '../support/sampleAlert';

describe('fitAlertForStorage', () => {
  it('leaves an alert that fits untouched', () => {
    const alert = sampleAlert(1);
    expect(fitAlertForStorage(alert)).toBe(JSON.stringify(alert));
  });

  it('keeps the longest statement prefix that fits, without splitting a surrogate pair', () => {
    const alert = sampleAlert(1, { statement: '😀'.repeat(50_000) });
    const json = fitAlertForStorage(alert, 1000);
    expect(json.length).toBeLessThanOrEqual(1000);
    const statement = (JSON.parse(json) as typeof alert).event.statement!;
    expect(statement.endsWith(STORAGE_TRUNCATION_MARK)).toBe(true);
    expect(statement.slice(0, -STORAGE_TRUNCATION_MARK.length)).toMatch(/^(😀)+$/u);
    // One more emoji would not have fitted.
    const longer = { ...alert, event: { ...alert.event, truncated: true, statement: `😀${statement}` } };
    expect(JSON.stringify(longer).length).toBeGreaterThan(1000);
  });

  it('drops parameters, then trims lines, when the statement alone cannot make it fit', () => {
    const alert = sampleAlert(1, { statement: 'SELECT $1', parameters: Array.from({ length: 5000 }, (_, i) => `value ${i}`) });
    const stored = JSON.parse(fitAlertForStorage(alert)) as typeof alert;
    expect(stored.event.parameters).toBeNull();
    expect(stored.event.truncated).toBe(true);
    expect(stored.key).toBe(alert.key);
    const manyLines = sampleAlert(2, {
      lines: Array.from({ length: 2000 }, (_, i) => ({ auditType: 'OBJECT' as const, class: 'READ', command: 'SELECT', objectType: 'TABLE', objectName: `s.t${i}` })),
    });
    const fitted = fitAlertForStorage(manyLines);
    expect(fitted.length).toBeLessThanOrEqual(MAX_ALERT_JSON_CHARS);
    expect((JSON.parse(fitted) as typeof alert).event.lines).toHaveLength(10);
    // The statement survives whole: it was not what made the alert too large.
    expect((JSON.parse(fitted) as typeof alert).event.statement).toBe(manyLines.event.statement);
  });
});
