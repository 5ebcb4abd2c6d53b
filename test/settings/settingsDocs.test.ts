import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTING_NAMES } from '../../shared/settings/loadSettings';

/** The settings table in the README and local.settings.example.json must stay true to the code. */
describe('settings documentation', () => {
  const readme = readFileSync('README.md', 'utf8');
  const example = (JSON.parse(readFileSync('local.settings.example.json', 'utf8')) as { Values: Record<string, string> }).Values;
  const documented = [...readme.matchAll(/^\| `([A-Za-z_]+)`(?:, `([A-Za-z_]+)`)?(?:, `([A-Za-z_]+)`)? \|/gm)].flatMap((m) => m.slice(1).filter(Boolean));

  it('lists every setting the code reads in the README settings table', () => {
    for (const name of SETTING_NAMES) expect(documented, name).toContain(name);
    expect(documented).toContain('AUDIT_SCHEDULE');
  });

  it('has every setting in local.settings.example.json (identity-based storage, which is for Azure, aside), and nothing unknown', () => {
    const expected = SETTING_NAMES.filter((n) => !n.startsWith('AzureWebJobsStorage__'));
    for (const name of expected) expect(Object.keys(example), name).toContain(name);
    const known = new Set([...SETTING_NAMES, 'AUDIT_SCHEDULE', 'FUNCTIONS_WORKER_RUNTIME']);
    for (const name of Object.keys(example)) expect(known.has(name), name).toBe(true);
  });
});
