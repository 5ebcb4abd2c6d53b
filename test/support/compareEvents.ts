import { isDeepStrictEqual } from 'node:util';
import type { AuditEvent } from '../../shared/model/AuditEvent';
import type { ExpectedEvent } from './jsonlogExpectations';

/** What a log format can tell the parser, so the expectation asks for exactly that. */
export interface FormatTraits {
  /** Lines carry the session id (`%c`, csvlog/jsonlog session_id); otherwise sessions must be derived. */
  sessionId: boolean;
  /** Lines carry a pid (`%p`, csvlog/jsonlog, Azure's processId column). */
  pid: boolean;
  /** `ms` for %m, csvlog, jsonlog; `s` for %t. */
  time: 'ms' | 's';
  /** Each line carries application_name (%a, csvlog, jsonlog); otherwise it comes from the connection line. */
  lineApplication: boolean;
  server: string | null;
}

/**
 * Compares parsed events with the expectation and lists every difference (empty when equal): each expected
 * event appears exactly once (nothing lost or merged across sessions, nothing split within one), with the
 * same content, and the events of each session come out in log order.
 */
export function compareEvents(actual: AuditEvent[], expected: ExpectedEvent[], traits: FormatTraits): string[] {
  const problems: string[] = [];
  const byKey = new Map(expected.map((e) => [key(e.sessionId, e.statementId, e.substatementId), e]));
  const sessionOf = mapSessions(actual, expected, traits, problems);
  const seen = new Set<string>();
  const orderPerSession = new Map<string, number>();
  const rank = new Map(expected.map((e, i) => [key(e.sessionId, e.statementId, e.substatementId), i]));
  for (const a of actual) {
    const session = sessionOf.get(a);
    if (session === undefined) continue;
    const k = key(session, a.statementId, a.substatementId);
    const e = byKey.get(k);
    if (!e) {
      problems.push(`unexpected event ${k} (${a.class},${a.command})`);
      continue;
    }
    if (seen.has(k)) problems.push(`event ${k} emitted more than once (split)`);
    seen.add(k);
    const r = rank.get(k)!;
    if (r < (orderPerSession.get(session) ?? -1)) problems.push(`event ${k} out of log order within its session`);
    orderPerSession.set(session, r);
    const want = project(e, traits);
    const got = project(a, traits);
    if (!isDeepStrictEqual(got, want)) problems.push(`event ${k} differs:\n  got  ${short(got)}\n  want ${short(want)}`);
    const timeProblem = checkTime(a.time, e.timeMs, traits);
    if (timeProblem) problems.push(`event ${k}: ${timeProblem}`);
  }
  for (const k of byKey.keys()) if (!seen.has(k)) problems.push(`missing event ${k} (${byKey.get(k)!.class},${byKey.get(k)!.command})`);
  return problems.slice(0, 25);
}

function key(session: string, stmt: number, sub: number): string {
  return `${session}/${stmt}/${sub}`;
}

/**
 * Which real (jsonlog) session each parsed event belongs to. With a session id in the lines it must be that
 * id. Without one, an event is matched by pid and ids (nearest in time), and the parser's derived session ids
 * must map one-to-one onto the real sessions.
 */
function mapSessions(actual: AuditEvent[], expected: ExpectedEvent[], traits: FormatTraits, problems: string[]): Map<AuditEvent, string> {
  const out = new Map<AuditEvent, string>();
  if (traits.sessionId) {
    for (const a of actual) {
      if (a.sessionId === null) problems.push(`event ${a.statementId}/${a.substatementId} has no sessionId`);
      else out.set(a, a.sessionId);
    }
    return out;
  }
  const derivedToReal = new Map<string, Set<string>>();
  for (const a of actual) {
    const candidates = expected.filter((e) => e.pid === a.pid && e.statementId === a.statementId && e.substatementId === a.substatementId);
    const t = a.time === null ? Number.NaN : Date.parse(a.time);
    candidates.sort((x, y) => Math.abs(x.timeMs - t) - Math.abs(y.timeMs - t));
    const best = candidates[0];
    if (!best) {
      problems.push(`event pid ${a.pid} ${a.statementId}/${a.substatementId} matches no real session`);
      continue;
    }
    out.set(a, best.sessionId);
    const real = derivedToReal.get(String(a.sessionId)) ?? new Set<string>();
    real.add(best.sessionId);
    derivedToReal.set(String(a.sessionId), real);
  }
  const realToDerived = new Map<string, string>();
  for (const [derived, reals] of derivedToReal) {
    if (reals.size > 1) problems.push(`derived session ${derived} merges real sessions ${[...reals].join(', ')}`);
    for (const real of reals) {
      const other = realToDerived.get(real);
      if (other !== undefined && other !== derived) problems.push(`real session ${real} split into derived ${other} and ${derived}`);
      realToDerived.set(real, derived);
    }
  }
  return out;
}

/**
 * With `ms` the event time is the jsonlog time exactly. PostgreSQL's `%t` reads the clock separately from the
 * time csvlog/jsonlog record for the message, so the two can fall in neighbouring seconds (seen: `%t` one
 * second earlier): with `s` the time is the jsonlog second or a neighbouring one.
 */
function checkTime(actual: string | null, expectedMs: number, traits: FormatTraits): string | null {
  const ms = actual === null ? Number.NaN : Date.parse(actual);
  const second = Math.floor(expectedMs / 1000) * 1000;
  const ok = traits.time === 's' ? Math.abs(ms - second) <= 1000 && ms % 1000 === 0 : ms === expectedMs;
  return ok ? null : `time ${actual} is not ${new Date(expectedMs).toISOString()} (${traits.time})`;
}

function project(e: AuditEvent | ExpectedEvent, traits: FormatTraits): Record<string, unknown> {
  const expected = 'timeMs' in e;
  return {
    server: expected ? traits.server : e.server,
    pid: expected ? (traits.pid ? e.pid : null) : e.pid,
    user: e.user,
    database: e.database,
    application: expected && !traits.lineApplication ? e.connectionApplication : e.application,
    client: e.client,
    auditType: e.auditType,
    statementId: e.statementId,
    substatementId: e.substatementId,
    class: e.class,
    command: e.command,
    objects: e.objects,
    lines: e.lines,
    statement: e.statement,
    parameters: e.parameters,
    rows: e.rows,
    truncated: expected ? false : (e.truncated ?? false),
  };
}

function short(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 600 ? `${text.slice(0, 600)}...` : text;
}
