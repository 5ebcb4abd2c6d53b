/**
 * Turns PostgreSQL's log timestamps (`%t`, `%m`, `%s`, csvlog/jsonlog `timestamp`) into ISO 8601 UTC.
 * PostgreSQL prints the zone as an abbreviation of `log_timezone` (`UTC`, `CET`) or, for zones without
 * one, as a numeric offset (`+05`, `-0330`). Unknown abbreviations yield null rather than a wrong instant.
 */
const ZONE_OFFSET_MINUTES: Record<string, number> = {
  UTC: 0, GMT: 0, Z: 0, UCT: 0, WET: 0, WEST: 60, BST: 60, IST: 60, CET: 60, CEST: 120, MET: 60, MEST: 120,
  EET: 120, EEST: 180, MSK: 180, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360,
  PST: -480, PDT: -420, AKST: -540, AKDT: -480, HST: -600, JST: 540, KST: 540, AEST: 600, AEDT: 660,
  ACST: 570, ACDT: 630, AWST: 480, NZST: 720, NZDT: 780, SAST: 120, HKT: 480, SGT: 480,
};

const TIMESTAMP = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(?: ?([A-Za-z]+|[+-]\d{2}(?::?\d{2})?))?$/;

// Consecutive lines mostly share a timestamp (second resolution): remember the last one converted.
let lastText = '';
let lastIso: string | null = null;

export function parseLogTimestamp(text: string | null | undefined): string | null {
  if (!text) return null;
  if (text === lastText) return lastIso;
  lastIso = convert(text);
  lastText = text;
  return lastIso;
}

function convert(text: string): string | null {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const offset = zone === undefined ? 0 : zoneOffsetMinutes(zone);
  if (offset === null) return null;
  const ms = frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms) - offset * 60_000;
  return Number.isNaN(utc) ? null : new Date(utc).toISOString();
}

/** `%n`: seconds since the epoch with milliseconds. */
export function parseEpochTimestamp(text: string): string | null {
  const seconds = Number(text);
  return Number.isFinite(seconds) ? new Date(Math.round(seconds * 1000)).toISOString() : null;
}

function zoneOffsetMinutes(zone: string): number | null {
  const numeric = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (numeric) {
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3] ?? 0);
    return numeric[1] === '-' ? -minutes : minutes;
  }
  return ZONE_OFFSET_MINUTES[zone.toUpperCase()] ?? null;
}
