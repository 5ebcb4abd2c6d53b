import { UserError } from '../errors/UserError';

/**
 * Zone abbreviations that name one offset wherever the tz database uses them, so a timestamp carrying
 * one converts without knowing the server's log_timezone. Left out on purpose, because they name more
 * than one zone or offset: IST (India, Ireland, Israel), CST/CDT (US Central, China, Cuba), BST (British
 * Summer, Bangladesh), PST/PDT (US Pacific, Philippines), AST/ADT (Atlantic, Arabia), KST (Korea, with
 * North Korea's +08:30 in 2015–2018), MSK (+04 in 2011–2014), IDT, SST. Those need PG_LOG_TIMEZONE.
 */
const UNAMBIGUOUS_MINUTES: Readonly<Record<string, number>> = {
  UTC: 0, UCT: 0, GMT: 0, UT: 0, Z: 0, WET: 0, WEST: 60, CET: 60, CEST: 120, MET: 60, MEST: 120, EET: 120, EEST: 180,
  EST: -300, EDT: -240, MST: -420, MDT: -360, AKST: -540, AKDT: -480, HST: -600, HDT: -540, NST: -210, NDT: -150,
  SAST: 120, CAT: 120, EAT: 180, WAT: 60, PKT: 300, WIB: 420, WITA: 480, WIT: 540, HKT: 480, JST: 540,
  AWST: 480, ACST: 570, ACDT: 630, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780, CHST: 600,
};

const TIMESTAMP = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(?: ?([A-Za-z]{1,6}|[+-]\d{2}(?::?\d{2})?))?$/;
const NUMERIC = /^([+-])(\d{2}):?(\d{2})?$/;
const DAY_MS = 86_400_000;

/**
 * Checks an IANA zone name (`Asia/Kolkata`); the message names where it came from. ICU also takes the
 * legacy three-letter ids (`IST` → Asia/Kolkata, `CST` → America/Chicago): exactly the guess this setting
 * is there to avoid, so only Area/Location names, UTC/GMT and the POSIX-style US zones (EST5EDT) pass.
 */
export function checkTimeZone(zone: string, where: string): string {
  try {
    if (!/^(?:[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)+|UTC|GMT|[A-Z]{3}\d[A-Z]{3})$/.test(zone)) throw new Error('not an IANA name');
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone; // as given: ICU's canonical name differs between Node versions (Asia/Calcutta)
  } catch {
    throw new UserError(`${where}: ${JSON.stringify(zone)} is not an IANA time zone name such as UTC, Europe/Berlin or Asia/Kolkata`);
  }
}

/**
 * `2026-11-22T12:07:03.123Z`, exactly as Date.prototype.toISOString writes it. Days 29–31 take the slow
 * path, which rolls an impossible date (February 31) over as Date.UTC does.
 */
const CANONICAL_ISO = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/**
 * Converts PostgreSQL's log timestamps (`%t`, `%m`, `%s`, csvlog/jsonlog `timestamp`) of one input to
 * ISO 8601 UTC. PostgreSQL prints the zone as an abbreviation of `log_timezone` (`UTC`, `CET`, `IST`) or,
 * for zones without one, as a numeric offset (`+05`, `-0330`). An ambiguous or unknown abbreviation is
 * never guessed: with the server's log_timezone (`timeZone`, an IANA name) it is resolved in that zone,
 * otherwise the timestamp is refused (null) and counted, for one note per input.
 */
export class LogTimestamps {
  /** Timestamps refused for want of a time zone, and the first abbreviation seen. */
  refused = 0;
  refusedZone: string | null = null;
  private quiet = 0;
  private lastText = '';
  private lastIso: string | null = null;
  private lastRefused = false;
  private readonly wall: Intl.DateTimeFormat | null;

  constructor(readonly timeZone: string | null = null) {
    this.wall = timeZone === null ? null : new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  }

  toIso(text: string | null | undefined): string | null {
    if (!text) return null;
    // Consecutive lines mostly share a timestamp (second resolution): remember the last one converted.
    if (text !== this.lastText) {
      this.lastRefused = false;
      this.lastIso = this.convert(text);
      this.lastText = text;
    }
    if (this.lastRefused && this.quiet === 0) this.refused++;
    return this.lastIso;
  }

  /** Runs `work` without counting refusals (format and prefix detection look at lines more than once). */
  quietly<T>(work: () => T): T {
    this.quiet++;
    try {
      return work();
    } finally {
      this.quiet--;
    }
  }

  /** The note for the summary, or null when nothing was refused. */
  note(): string | null {
    if (this.refused === 0) return null;
    return (
      `${this.refused} timestamps end in the time zone abbreviation ${JSON.stringify(this.refusedZone)}, which does not name one ` +
      'zone (IST is India, Ireland or Israel; CST is US Central, China or Cuba): they were not converted (a row\'s own time is used ' +
      'where it has one). Set PG_LOG_TIMEZONE (or --log-timezone) to the server\'s log_timezone, e.g. Asia/Kolkata'
    );
  }

  private convert(text: string): string | null {
    // Row times (TimeGenerated, the archive's time) come as canonical UTC ISO 8601 with milliseconds and
    // differ on every row, so the cache above misses: return them as they are (toISOString would).
    if (text.length === 24 && CANONICAL_ISO.test(text)) return text;
    const m = TIMESTAMP.exec(text.trim());
    if (!m) return null;
    const [, y, mo, d, h, mi, s, frac, zone] = m;
    const ms = frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0;
    const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
    if (Number.isNaN(wall)) return null;
    const utc = zone === undefined ? wall : this.toUtc(wall, zone);
    return utc === null ? null : new Date(utc).toISOString();
  }

  private toUtc(wall: number, zone: string): number | null {
    const numeric = NUMERIC.exec(zone);
    if (numeric) {
      const minutes = Number(numeric[2]) * 60 + Number(numeric[3] ?? 0);
      return wall - (numeric[1] === '-' ? -minutes : minutes) * 60_000;
    }
    const known = UNAMBIGUOUS_MINUTES[zone.toUpperCase()];
    if (known !== undefined) return wall - known * 60_000;
    if (this.wall === null) {
      this.lastRefused = true;
      this.refusedZone ??= zone;
      return null;
    }
    return this.inZone(wall, zone);
  }

  /**
   * The instant whose wall-clock time in the configured zone is `wall`. In the hour that repeats when
   * clocks go back there are two; the one whose abbreviation is the one printed is taken (else the first).
   */
  private inZone(wall: number, zone: string): number | null {
    const offsets = new Set([this.offsetAt(wall - DAY_MS), this.offsetAt(wall + DAY_MS), this.offsetAt(wall)]);
    const candidates = [...offsets].map((o) => wall - o).filter((t) => this.offsetAt(t) === wall - t).sort((a, b) => a - b);
    if (candidates.length <= 1) return candidates[0] ?? null;
    for (const locale of ['en-US', 'en-GB']) {
      const name = new Intl.DateTimeFormat(locale, { timeZone: this.timeZone!, timeZoneName: 'short' });
      const hit = candidates.find((t) => name.formatToParts(t).find((p) => p.type === 'timeZoneName')?.value.toUpperCase() === zone.toUpperCase());
      if (hit !== undefined) return hit;
    }
    return candidates[0]!;
  }

  /** Offset (wall − UTC, in ms) of the configured zone at the instant `utc`, to the second. */
  private offsetAt(utc: number): number {
    const at = Math.floor(utc / 1000) * 1000;
    const parts: Record<string, number> = {};
    for (const p of this.wall!.formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) - at;
  }
}

/** `%n`: seconds since the epoch with milliseconds. */
export function parseEpochTimestamp(text: string): string | null {
  const seconds = Number(text);
  return Number.isFinite(seconds) ? new Date(Math.round(seconds * 1000)).toISOString() : null;
}
