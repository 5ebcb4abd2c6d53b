import { UserError } from '../errors/UserError';
import type { StructuredFields } from '../source/SourceRecord';
import { LogTimestamps, parseEpochTimestamp } from './LogTimestamps';

/**
 * What one log line yields once its `log_line_prefix` is understood: the same fields a csvlog/jsonlog
 * row has as columns. `message` is the text after `SEVERITY:  ` (and after a verbose-mode SQLSTATE).
 */
export type PrefixedLine = StructuredFields;

export interface LogLinePrefix {
  /** The prefix as configured, e.g. `%t-%c-`. */
  readonly text: string;
  /** Converts this input's timestamps (the server's log_timezone, refusals counted). */
  readonly timestamps: LogTimestamps;
  /** Escapes the prefix contains (`t`, `c`, `u`, ...): tells the merger which facts lines carry. */
  readonly escapes: ReadonlySet<string>;
  parse(line: string): PrefixedLine | null;
  /**
   * Every way the line splits into prefix + `SEVERITY:  AUDIT: ...`, leftmost first. Free-text fields
   * (`%a` above all: the client chooses its application_name) can contain `LOG:  `, so the first split
   * is not always the right one; the caller keeps the first candidate whose record parses cleanly.
   */
  auditCandidates(line: string): PrefixedLine[];
}

const TS = '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d';
const ZONE = '(?: [A-Za-z0-9+\\-:]{1,12}?)?';
/**
 * Pattern per escape (PostgreSQL docs, "log_line_prefix"). Free text is lazy (the literals around it
 * decide) and, like every field, bounded by what PostgreSQL can print there: names are at most 63 bytes
 * (NAMEDATALEN), up to 4 characters each once PostgreSQL 16+ escapes them (`\xHH`); a host name at most
 * 1025. Unbounded `(.*?)` groups let a line that does not fit (or a message full of `,db=`) backtrack in
 * time polynomial in the line's length; bounded, each line costs a bounded number of steps.
 */
const NAME = '(.{0,256}?)';
const HOST = '(.{0,1100}?)';
const PATTERNS: Record<string, string> = {
  a: NAME, u: NAME, d: NAME, r: HOST, h: HOST, b: '(.{0,64}?)', i: '(.{0,64}?)',
  p: '(\\d{1,10})', P: '(\\d{0,10})', l: '(\\d{1,20})', x: '(\\d{0,20})', Q: '(-?\\d{0,20})', e: '([0-9A-Z]{5})',
  c: '([0-9a-f]{1,16}\\.[0-9a-f]{1,16})', v: '(\\S{0,32})', n: '(\\d{1,12}\\.\\d{1,6})',
  t: `(${TS}${ZONE})`, m: `(${TS}\\.\\d{3}${ZONE})`, s: `(${TS}${ZONE})`,
};
/** The longest text each escape's pattern can match (for the longest possible prefix). */
const MAX_CHARS: Record<string, number> = {
  a: 256, u: 256, d: 256, r: 1100, h: 1100, b: 64, i: 64, p: 10, P: 10, l: 20, x: 20, Q: 21, e: 5, c: 33, v: 32, n: 19,
  t: 32, m: 36, s: 32,
};
const SEVERITY = '(LOG|INFO|NOTICE|WARNING|ERROR|FATAL|PANIC|DEBUG[1-5]?|STATEMENT|DETAIL|HINT|CONTEXT|QUERY|LOCATION)';

/**
 * Compiles a PostgreSQL `log_line_prefix` into a parser of its fields. Supports every documented escape
 * (`%a %u %d %r %h %b %p %P %t %m %n %i %e %c %l %s %v %x %q %Q %%`) and padding (`%-10u`, `%10u`).
 */
export function compileLogLinePrefix(prefix: string, timestamps: LogTimestamps = new LogTimestamps()): LogLinePrefix {
  const groups: string[] = [];
  let source = '^';
  let optionalTail = false;
  let maxHead = 'LOCATION:  '.length; // the longest severity and its colon and spaces
  for (let i = 0; i < prefix.length; i++) {
    const ch = prefix[i]!;
    if (ch !== '%') {
      source += escapeRegex(ch);
      maxHead += ch.length;
      continue;
    }
    const spec = /^%(-?\d+)?([a-zA-Z%])?/.exec(prefix.slice(i))!;
    const letter = spec[2];
    if (letter === undefined) throw new UserError(`log_line_prefix ${JSON.stringify(prefix)}: "%" at position ${i + 1} is not followed by an escape`);
    i += spec[0].length - 1;
    if (letter === '%') {
      source += '%';
      maxHead += 1;
    } else if (letter === 'q') {
      // Non-session processes stop the prefix here; session lines print the rest.
      source += '(?:';
      optionalTail = true;
    } else {
      const pattern = PATTERNS[letter];
      if (pattern === undefined) continue; // PostgreSQL prints nothing for unknown escapes
      groups.push(letter);
      // Padding (`%-10u`) adds spaces up to the width; more would be text of the next field.
      const width = spec[1] ? Math.min(Math.abs(Number(spec[1])), 1024) : 0;
      source += width > 0 ? ` {0,${width}}${pattern} {0,${width}}` : pattern;
      maxHead += MAX_CHARS[letter]! + 2 * width;
    }
  }
  if (optionalTail) source += ')?';
  // The message is taken with slice() after the match: capturing it with [\s\S]*$ would scan it twice.
  const regex = new RegExp(`${source}${SEVERITY}:  (?:(?!AUDIT: )[0-9A-Z]{5}: )?`);
  const head = new RegExp(`${source}${SEVERITY}:  $`);
  const escapes = new Set(groups);
  return {
    text: prefix,
    timestamps,
    escapes,
    parse: (line) => parsePrefixedLine(regex, groups, line, timestamps),
    auditCandidates: (line) => {
      const out: PrefixedLine[] = [];
      // A split past the longest prefix there can be cannot fit: a message full of `:  AUDIT: ` costs nothing.
      for (let at = line.indexOf(':  AUDIT: '); at >= 0 && at + 3 <= maxHead; at = line.indexOf(':  AUDIT: ', at + 1)) {
        const parsed = parsePrefixedLine(head, groups, line.slice(0, at + 3), timestamps);
        if (parsed) out.push({ ...parsed, message: line.slice(at + 3) });
      }
      return out;
    },
  };
}

function parsePrefixedLine(regex: RegExp, groups: string[], line: string, timestamps: LogTimestamps): PrefixedLine | null {
  const m = regex.exec(line);
  if (!m) return null;
  const out: PrefixedLine = {
    time: null, pid: null, sessionId: null, sessionLine: null, user: null, database: null, application: null,
    client: null, severity: m[groups.length + 1]!, message: line.slice(m[0].length),
  };
  // A plain loop, not forEach with a closure: this runs for every line that matters.
  for (let index = 0; index < groups.length; index++) {
    const raw = m[index + 1];
    if (raw === undefined) continue;
    const value = raw.trim();
    const letter = groups[index];
    switch (letter) {
      case 't': case 'm': out.time ??= timestamps.toIso(value); break;
      case 'n': out.time ??= parseEpochTimestamp(value); break;
      case 'p': out.pid = Number(value); break;
      case 'c': out.sessionId = value; break;
      case 'l': out.sessionLine = Number(value); break;
      case 'u': out.user = known(value); break;
      case 'd': out.database = known(value); break;
      case 'a': out.application = known(value); break;
      case 'h': out.client ??= known(value); break;
      case 'r': out.client = known(value.replace(/\(\d+\)$/, '')); break;
    }
  }
  return out;
}

/** PostgreSQL prints `[unknown]` before authentication and nothing for background processes. */
function known(value: string): string | null {
  return value === '' || value === '[unknown]' ? null : value;
}

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}
