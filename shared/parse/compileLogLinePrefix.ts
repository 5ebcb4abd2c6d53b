import { UserError } from '../errors/UserError';
import { parseEpochTimestamp, parseLogTimestamp } from '../source/parseLogTimestamp';
import type { StructuredFields } from '../source/SourceRecord';

/**
 * What one log line yields once its `log_line_prefix` is understood: the same fields a csvlog/jsonlog
 * row has as columns. `message` is the text after `SEVERITY:  ` (and after a verbose-mode SQLSTATE).
 */
export type PrefixedLine = StructuredFields;

export interface LogLinePrefix {
  /** The prefix as configured, e.g. `%t-%c-`. */
  readonly text: string;
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
const ZONE = '(?: [A-Za-z0-9+\\-:]+?)?';
/** Pattern per escape (PostgreSQL docs, "log_line_prefix"). Free text is lazy: the literals around it decide. */
const PATTERNS: Record<string, string> = {
  a: '(.*?)', u: '(.*?)', d: '(.*?)', r: '(.*?)', h: '(.*?)', b: '(.*?)', i: '(.*?)',
  p: '(\\d+)', P: '(\\d*)', l: '(\\d+)', x: '(\\d*)', Q: '(-?\\d*)', e: '([0-9A-Z]{5})',
  c: '([0-9a-f]+\\.[0-9a-f]+)', v: '(\\S*)', n: '(\\d+\\.\\d+)',
  t: `(${TS}${ZONE})`, m: `(${TS}\\.\\d{3}${ZONE})`, s: `(${TS}${ZONE})`,
};
const SEVERITY = '(LOG|INFO|NOTICE|WARNING|ERROR|FATAL|PANIC|DEBUG[1-5]?|STATEMENT|DETAIL|HINT|CONTEXT|QUERY|LOCATION)';

/**
 * Compiles a PostgreSQL `log_line_prefix` into a parser of its fields. Supports every documented escape
 * (`%a %u %d %r %h %b %p %P %t %m %n %i %e %c %l %s %v %x %q %Q %%`) and padding (`%-10u`, `%10u`).
 */
export function compileLogLinePrefix(prefix: string): LogLinePrefix {
  const groups: string[] = [];
  let source = '^';
  let optionalTail = false;
  for (let i = 0; i < prefix.length; i++) {
    const ch = prefix[i]!;
    if (ch !== '%') {
      source += escapeRegex(ch);
      continue;
    }
    const spec = /^%(-?\d+)?([a-zA-Z%])?/.exec(prefix.slice(i))!;
    const letter = spec[2];
    if (letter === undefined) throw new UserError(`log_line_prefix ${JSON.stringify(prefix)}: "%" at position ${i + 1} is not followed by an escape`);
    i += spec[0].length - 1;
    if (letter === '%') {
      source += '%';
    } else if (letter === 'q') {
      // Non-session processes stop the prefix here; session lines print the rest.
      source += '(?:';
      optionalTail = true;
    } else {
      const pattern = PATTERNS[letter];
      if (pattern === undefined) continue; // PostgreSQL prints nothing for unknown escapes
      groups.push(letter);
      source += spec[1] ? ` *${pattern} *` : pattern;
    }
  }
  if (optionalTail) source += ')?';
  // The message is taken with slice() after the match: capturing it with [\s\S]*$ would scan it twice.
  const regex = new RegExp(`${source}${SEVERITY}:  (?:(?!AUDIT: )[0-9A-Z]{5}: )?`);
  const head = new RegExp(`${source}${SEVERITY}:  $`);
  const escapes = new Set(groups);
  return {
    text: prefix,
    escapes,
    parse: (line) => parsePrefixedLine(regex, groups, line),
    auditCandidates: (line) => {
      const out: PrefixedLine[] = [];
      for (let at = line.indexOf(':  AUDIT: '); at >= 0; at = line.indexOf(':  AUDIT: ', at + 1)) {
        const parsed = parsePrefixedLine(head, groups, line.slice(0, at + 3));
        if (parsed) out.push({ ...parsed, message: line.slice(at + 3) });
      }
      return out;
    },
  };
}

function parsePrefixedLine(regex: RegExp, groups: string[], line: string): PrefixedLine | null {
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
      case 't': case 'm': out.time ??= parseLogTimestamp(value); break;
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
