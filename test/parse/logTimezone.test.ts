import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LogTimestamps } from '../../shared/parse/LogTimestamps';
import { loadSettings } from '../../shared/settings/loadSettings';
import { collectEvents } from '../support/collectEvents';
import { runCliCapture } from '../support/runCliCapture';

const ROOT = resolve(__dirname, '../..');
const BOUNDS = join(ROOT, 'test/fixtures/bounds');
/** Real output of a server with log_timezone = 'Asia/Kolkata': every timestamp ends in IST. */
const ist = (file: string) => Readable.from([gunzipSync(readFileSync(join(BOUNDS, file)))]);
/** The instants, from the jsonlog's own timestamps (IST is UTC+05:30, no DST). */
function expectedTimes(file = 'postgresql.json.gz'): string[] {
  const seconds = file === 'postgresql.log.gz'; // %t has no milliseconds
  return gunzipSync(readFileSync(join(BOUNDS, 'postgresql.json.gz')))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.includes('"AUDIT: '))
    .map((l) => (JSON.parse(l) as { timestamp: string }).timestamp)
    .map((t) => new Date(Date.parse(t.replace(' IST', '+05:30').replace(' ', 'T'))).toISOString())
    .map((iso) => (seconds ? iso.replace(/\.\d{3}Z$/, '.000Z') : iso));
}

describe('time zones: ambiguous abbreviations are resolved with log_timezone, never guessed', () => {
  it.each(['postgresql.log.gz', 'postgresql.csv.gz', 'postgresql.json.gz'])('%s (IST): refused without PG_LOG_TIMEZONE, one note with the count', async (file) => {
    const { events, summary } = await collectEvents(ist(file));
    expect(events).toHaveLength(5);
    expect(events.map((e) => e.time)).toEqual([null, null, null, null, null]); // IST is not taken for Irish time (+01)
    expect(summary.timeZoneNote).toMatch(/^\d+ timestamps end in the time zone abbreviation "IST", which does not name one zone .*Set PG_LOG_TIMEZONE \(or --log-timezone\)/);
    expect(Number(summary.timeZoneNote!.split(' ')[0])).toBeGreaterThanOrEqual(5);
  });

  it.each(['postgresql.log.gz', 'postgresql.csv.gz', 'postgresql.json.gz'])('%s (IST): with log_timezone Asia/Kolkata every event has its instant', async (file) => {
    const { events, summary } = await collectEvents(ist(file), { logTimezone: 'Asia/Kolkata' });
    expect(events.map((e) => e.time)).toEqual(expectedTimes(file));
    expect(summary.timeZoneNote).toBeNull();
  });

  it('CLI: the note is printed once; --log-timezone and PG_LOG_TIMEZONE resolve; a bad zone is exit 1 naming it', async () => {
    const file = join(BOUNDS, 'postgresql.log.gz');
    const refused = await runCliCapture(['parse', file], { cwd: ROOT });
    expect(refused.code).toBe(0);
    expect(refused.stderr.match(/time zone abbreviation "IST"/g)).toHaveLength(1);
    const byOption = await runCliCapture(['parse', '--log-timezone', 'Asia/Kolkata', file], { cwd: ROOT });
    const bySetting = await runCliCapture(['parse', file], { cwd: ROOT, env: { PG_LOG_TIMEZONE: 'Asia/Kolkata' } });
    expect(byOption.stdout === bySetting.stdout).toBe(true);
    expect(byOption.stdout.includes(`"time":"${expectedTimes('postgresql.log.gz')[0]}"`)).toBe(true);
    expect(byOption.stderr).not.toContain('IST');
    const bad = await runCliCapture(['parse', '--log-timezone', 'India/Mumbai', file], { cwd: ROOT });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--log-timezone: "India/Mumbai" is not an IANA time zone name');
    const badSetting = await runCliCapture(['scan', '--input', file, '--dry-run', '--rules', 'config/rules.yaml'], { cwd: ROOT, env: { PG_LOG_TIMEZONE: 'IST' } });
    expect(badSetting.code).toBe(1);
    expect(badSetting.stderr).toContain('setting PG_LOG_TIMEZONE: "IST" is not an IANA time zone name');
    const scan = await runCliCapture(['scan', '--input', file, '--dry-run', '--json', '--rules', 'config/rules.yaml'], { cwd: ROOT });
    expect(scan.stderr.match(/warning: \d+ timestamps end in the time zone abbreviation "IST"/g)).toHaveLength(1);
  });

  it('PG_LOG_TIMEZONE is a validated setting', () => {
    expect(loadSettings({ PG_LOG_TIMEZONE: 'Asia/Kolkata' }).logTimezone).toBe('Asia/Kolkata');
    expect(loadSettings({}).logTimezone).toBeNull();
    expect(() => loadSettings({ PG_LOG_TIMEZONE: 'Mars/Olympus' })).toThrow(/PG_LOG_TIMEZONE: "Mars\/Olympus" is not an IANA time zone name/);
  });

  it('UTC, GMT and numeric offsets need no setting; the repeated hour when clocks go back is told apart by the abbreviation', () => {
    const plain = new LogTimestamps();
    expect(plain.toIso('2026-11-22 12:07:03 UTC')).toBe('2026-11-22T12:07:03.000Z');
    expect(plain.toIso('2026-11-22 12:07:03.250 GMT')).toBe('2026-11-22T12:07:03.250Z');
    expect(plain.toIso('2026-11-22 12:07:03 +0530')).toBe('2026-11-22T06:37:03.000Z');
    expect(plain.toIso('2026-11-22 12:07:03 -03')).toBe('2026-11-22T15:07:03.000Z');
    for (const zone of ['IST', 'CST', 'CDT', 'BST', 'PST', 'AST', 'KST', 'MSK', 'XYZ']) expect(plain.toIso(`2026-11-22 12:07:03 ${zone}`)).toBeNull();
    expect(plain.refused).toBe(9);
    expect(plain.refusedZone).toBe('IST');

    const chicago = new LogTimestamps('America/Chicago');
    expect(chicago.toIso('2026-07-01 12:00:00 CDT')).toBe('2026-07-01T17:00:00.000Z');
    expect(chicago.toIso('2026-12-01 12:00:00 CST')).toBe('2026-12-01T18:00:00.000Z');
    expect(chicago.toIso('2026-11-01 01:30:00 CDT')).toBe('2026-11-01T06:30:00.000Z'); // first 01:30
    expect(chicago.toIso('2026-11-01 01:30:00 CST')).toBe('2026-11-01T07:30:00.000Z'); // the repeated 01:30
    const london = new LogTimestamps('Europe/London');
    expect(london.toIso('2026-10-25 01:30:00 BST')).toBe('2026-10-25T00:30:00.000Z');
    expect(london.toIso('2026-10-25 01:30:00 GMT')).toBe('2026-10-25T01:30:00.000Z');
    expect(london.toIso('2026-07-01 09:00:00.123 BST')).toBe('2026-07-01T08:00:00.123Z');
    expect(new LogTimestamps('Asia/Kolkata').toIso('2026-12-02 11:41:03 IST')).toBe('2026-12-02T06:11:03.000Z');
    expect(london.refused + chicago.refused).toBe(0);
  });
});
