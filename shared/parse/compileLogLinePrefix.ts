import { UserError } from '../errors/UserError';
import type { StructuredFields } from '../source/SourceRecord';
import { LogTimestamps, parseEpochTimestamp } from './LogTimestamps';

/**
 * What one log line yields once its `log_line_prefix` is understood: the same fields a csvlog/jsonlog
 * row has as columns. `message` is the text after `SEVERITY:  ` (and after a verbose-mode SQLSTATE).
 */
export interface PrefixedLine extends Omit<StructuredFields, 'context'> {
  /**
   * True when the free-text fields of the prefix (`%u`, `%d`, `%a`, ...) split more than one way: a role
   * named `etl,db=x` under `[user=%u,db=%d]` reads as user `etl` or as user `etl,db=x`. Their values are
   * then not to be trusted (the session's identity is contested).
   */
  ambiguous: boolean;
}

export interface LogLinePrefix {
  /** The prefix as configured, e.g. `%t-%c-`. */
  readonly text: string;
  /** Converts this input's timestamps (the server's log_timezone, refusals counted). */
  readonly timestamps: LogTimestamps;
  /** Escapes the prefix contains (`t`, `c`, `u`, ...): tells the merger which facts lines carry. */
  readonly escapes: ReadonlySet<string>;
  parse(line: string): PrefixedLine | null;
  /** True when the prefix has free-text fields (`%a`, `%u`, `%d`, `%r`, `%h`, ...): a line can then read more than one way. */
  readonly freeText: boolean;
  /**
   * Every way the line splits into prefix + `SEVERITY:  message` (leftmost first): one for a line whose
   * free-text fields hold no `SEVERITY:  ` text, more when a client-chosen application_name or a role
   * name does (`] LOG:  AUDIT: ...`). Empty when the line does not fit the prefix.
   */
  readings(line: string): PrefixedLine[];
  /**
   * Every way the line splits into prefix + `SEVERITY:  AUDIT: ...`, leftmost first. Free-text fields
   * (`%a` above all: the client chooses its application_name) can contain `LOG:  `, so the first split
   * is not always the right one; the caller keeps the first candidate whose record parses cleanly.
   */
  auditCandidates(line: string): PrefixedLine[];
  /**
   * The line read with `%u` and `%d` known (the session's user and database from its verified connection
   * line: PostgreSQL prints the same values in every line of the session). Null when the line does not
   * fit with them; `ambiguous` then tells whether the other free-text fields still split more than one way.
   */
  withIdentity(line: string, user: string | null, database: string | null): PrefixedLine | null;
}

const TS = '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d';
const ZONE = '(?: [A-Za-z0-9+\\-:]{1,12}?)?';
/**
 * Pattern per escape (PostgreSQL docs, "log_line_prefix"). Free text is lazy (the literals around it
 * decide) and, like every field, bounded by what PostgreSQL can print there: names are at most
 * NAMEDATALEN-1 = 63 bytes, so at most 63 characters (a split that needs a longer field is not a reading
 * of the line); a host name at most 1025 (NI_MAXHOST). Unbounded `(.*?)` groups let a line that does not
 * fit (or a message full of `,db=`) backtrack in time polynomial in the line's length; bounded, each line
 * costs a bounded number of steps.
 * `[\s\S]`, not `.`: a quoted role name can contain a newline, and its lines must still parse.
 */
const NAME = '([\\s\\S]{0,63}?)';
const HOST = '([\\s\\S]{0,1100}?)';
const PATTERNS: Record<string, string> = {
  a: NAME, u: NAME, d: NAME, r: HOST, h: HOST, b: NAME, i: NAME,
  p: '(\\d{1,10})', P: '(\\d{0,10})', l: '(\\d{1,20})', x: '(\\d{0,20})', Q: '(-?\\d{0,20})', e: '([0-9A-Z]{5})',
  c: '([0-9a-f]{1,16}\\.[0-9a-f]{1,16})', v: '(\\S{0,32})', n: '(\\d{1,12}\\.\\d{1,6})',
  t: `(${TS}${ZONE})`, m: `(${TS}\\.\\d{3}${ZONE})`, s: `(${TS}${ZONE})`,
};
/** The longest text each escape's pattern can match (for the longest possible prefix). */
const MAX_CHARS: Record<string, number> = {
  a: 63, u: 63, d: 63, r: 1100, h: 1100, b: 63, i: 63, p: 10, P: 10, l: 20, x: 20, Q: 21, e: 5, c: 33, v: 32, n: 19,
  t: 32, m: 36, s: 32,
};

/** Verbose mode puts the SQLSTATE before the message (`LOG:  00000: AUDIT: ...`). */
function stripSqlState(message: string): string {
  return /^[0-9A-Z]{5}: /.test(message) && !message.startsWith('AUDIT: ') ? message.slice(7) : message;
}

/** Escapes whose value is free text chosen by the client or a role name: they can contain the prefix's literals. */
const FREE_TEXT = new Set(['a', 'u', 'd', 'r', 'h', 'b', 'i']);
const SEVERITY = '(LOG|INFO|NOTICE|WARNING|ERROR|FATAL|PANIC|DEBUG[1-5]?|STATEMENT|DETAIL|HINT|CONTEXT|QUERY|LOCATION)';

/**
 * Compiles a PostgreSQL `log_line_prefix` into a parser of its fields. Supports every documented escape
 * (`%a %u %d %r %h %b %p %P %t %m %n %i %e %c %l %s %v %x %q %Q %%`) and padding (`%-10u`, `%10u`).
 */
export function compileLogLinePrefix(prefix: string, timestamps: LogTimestamps = new LogTimestamps()): LogLinePrefix {
  const { groups, source, greedy, maxHead } = buildPattern(prefix, {});
  const freeText = groups.filter((g) => FREE_TEXT.has(g)).length;
  // One free-text field between fixed literals and the severity at a known place splits one way only.
  const headGreedy = freeText >= 2 ? new RegExp(`${greedy}${SEVERITY}:  (?:(?!AUDIT: )[0-9A-Z]{5}: )?$`) : null;
  // The message is taken with slice() after the match: capturing it with [\s\S]*$ would scan it twice.
  const regex = new RegExp(`${source}${SEVERITY}:  (?:(?!AUDIT: )[0-9A-Z]{5}: )?`);
  const head = new RegExp(`${source}${SEVERITY}:  $`);
  const escapes = new Set(groups);
  const identityPatterns = new Map<string, { regex: RegExp; greedy: RegExp | null }>();
  return {
    text: prefix,
    timestamps,
    escapes,
    freeText: freeText > 0,
    parse: (line) => parsePrefixedLine(regex, groups, line, headGreedy, timestamps),
    readings: (line) => {
      const first = parsePrefixedLine(regex, groups, line, headGreedy, timestamps);
      if (first === null || freeText === 0) return first === null ? [] : [first];
      const start = line.length - first.message.length;
      const out = [first];
      // Other readings end where the longest possible prefix still reaches (maxHead): a message full of
      // `:  ` costs nothing past it, so reading stays linear in the line's length.
      for (let at = line.indexOf(':  ', start - 2); at >= 0 && at + 3 <= maxHead; at = line.indexOf(':  ', at + 1)) {
        if (at + 3 <= start) continue;
        const parsed = parsePrefixedLine(head, groups, line.slice(0, at + 3), headGreedy, timestamps);
        if (parsed === null) continue;
        parsed.message = stripSqlState(line.slice(at + 3));
        out.push(parsed);
      }
      return out;
    },
    withIdentity: (line, user, database) => {
      const fixed: Fixed = {};
      if (escapes.has('u') && user !== null) fixed.u = user;
      if (escapes.has('d') && database !== null) fixed.d = database;
      if (Object.keys(fixed).length === 0) return null;
      const key = `${fixed.u ?? ''}\u0000${fixed.d ?? ''}`;
      let pair = identityPatterns.get(key);
      if (pair === undefined) {
        const built = buildPattern(prefix, fixed);
        const free = built.groups.filter((g) => FREE_TEXT.has(g) && fixed[g as keyof Fixed] === undefined).length;
        pair = {
          regex: new RegExp(`${built.source}${SEVERITY}:  (?:(?!AUDIT: )[0-9A-Z]{5}: )?`),
          greedy: free >= 1 ? new RegExp(`${built.greedy}${SEVERITY}:  (?:(?!AUDIT: )[0-9A-Z]{5}: )?$`) : null,
        };
        // Only lines whose prefix splits several ways come here (attacks): a few sessions' patterns suffice.
        if (identityPatterns.size >= 64) identityPatterns.clear();
        identityPatterns.set(key, pair);
      }
      return parsePrefixedLine(pair.regex, groups, line, pair.greedy, timestamps);
    },
    auditCandidates: (line) => {
      const out: PrefixedLine[] = [];
      // A split past the longest prefix there can be cannot fit: a message full of `:  AUDIT: ` costs nothing.
      for (let at = line.indexOf(':  AUDIT: '); at >= 0 && at + 3 <= maxHead; at = line.indexOf(':  AUDIT: ', at + 1)) {
        const parsed = parsePrefixedLine(head, groups, line.slice(0, at + 3), headGreedy, timestamps);
        if (parsed) out.push({ ...parsed, message: line.slice(at + 3) });
      }
      return out;
    },
  };
}

/** Values known in advance for some escapes: matched as literal text instead of a pattern. */
type Fixed = Partial<Record<'u' | 'd', string>>;

/** The prefix as regex source (lazy free text), the same with greedy free text, the capture letters, the longest head. */
function buildPattern(prefix: string, fixed: Fixed): { groups: string[]; source: string; greedy: string; maxHead: number } {
  const groups: string[] = [];
  let source = '^';
  // The same pattern with greedy free text: where it captures other values than the lazy one, the line
  // splits more than one way (see PrefixedLine.ambiguous).
  let greedy = '^';
  let optionalTail = false;
  let maxHead = 'LOCATION:  '.length; // the longest severity and its colon and spaces
  for (let i = 0; i < prefix.length; i++) {
    const ch = prefix[i]!;
    if (ch !== '%') {
      source += escapeRegex(ch);
      greedy += escapeRegex(ch);
      maxHead += ch.length;
      continue;
    }
    const spec = /^%(-?\d+)?([a-zA-Z%])?/.exec(prefix.slice(i))!;
    const letter = spec[2];
    if (letter === undefined) throw new UserError(`log_line_prefix ${JSON.stringify(prefix)}: "%" at position ${i + 1} is not followed by an escape`);
    i += spec[0].length - 1;
    if (letter === '%') {
      source += '%';
      greedy += '%';
      maxHead += 1;
    } else if (letter === 'q') {
      // Non-session processes stop the prefix here; session lines print the rest.
      source += '(?:';
      greedy += '(?:';
      optionalTail = true;
    } else {
      const known = fixed[letter as keyof Fixed];
      const pattern = known !== undefined ? `(${[...known].map(escapeRegex).join('')})` : PATTERNS[letter];
      if (pattern === undefined) continue; // PostgreSQL prints nothing for unknown escapes
      groups.push(letter);
      // Padding (`%-10u`) adds spaces up to the width; more would be text of the next field.
      const width = spec[1] ? Math.min(Math.abs(Number(spec[1])), 1024) : 0;
      source += width > 0 ? ` {0,${width}}${pattern} {0,${width}}` : pattern;
      const eager = FREE_TEXT.has(letter) ? pattern.replace('}?)', '})') : pattern;
      greedy += width > 0 ? ` {0,${width}}${eager} {0,${width}}` : eager;
      maxHead += MAX_CHARS[letter]! + 2 * width;
    }
  }
  if (optionalTail) {
    source += ')?';
    greedy += ')?';
  }
  return { groups, source, greedy, maxHead };
}

/**
 * Applies the prefix pattern. With `headGreedy` (prefixes with two or more free-text fields) the line is
 * marked ambiguous when the greedy reading of the same head (prefix + severity) captures other free-text
 * values than the lazy one.
 */
function parsePrefixedLine(regex: RegExp, groups: string[], line: string, headGreedy: RegExp | null, timestamps: LogTimestamps): PrefixedLine | null {
  const m = regex.exec(line);
  if (!m) return null;
  const out: PrefixedLine = {
    time: null, pid: null, sessionId: null, sessionLine: null, user: null, database: null, application: null,
    client: null, severity: m[groups.length + 1]!, message: line.slice(m[0].length), ambiguous: false,
  };
  if (headGreedy !== null) {
    const g = headGreedy.exec(m[0]);
    if (g) {
      for (let i = 0; i < groups.length; i++) {
        if (FREE_TEXT.has(groups[i]!) && (g[i + 1] ?? '') !== (m[i + 1] ?? '')) {
          out.ambiguous = true;
          break;
        }
      }
    }
  }
  // A plain loop, not forEach with a closure: this runs for every line that matters.
  for (let index = 0; index < groups.length; index++) {
    const raw = m[index + 1];
    if (raw === undefined) continue;
    const letter = groups[index]!;
    // Role, database and application names keep their spaces: "etl " is not the role etl.
    const value = FREE_TEXT.has(letter) ? raw : raw.trim();
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
