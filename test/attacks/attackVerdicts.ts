import type { Alert } from '../../shared/model/Alert';
import { type AttackFile, type AttackSession, type Expectations, describeAlert, FORGED_COUNT, FORGERY_RULE, inSession } from './attackFixtures';

/**
 * The verdicts issue 10 asks for, on one scan of one attack fixture file; each returns the list of
 * violations (empty = holds), so a failure names the session, the incident and what came out instead.
 */

/** Every incident alerts, in its own session, with the user PostgreSQL knows (or "unknown" where ambiguous). */
export function missingIncidents(alerts: Alert[], f: AttackFile, exp: Expectations): string[] {
  const problems: string[] = [];
  for (const s of exp.sessions) {
    for (const inc of s.incidents) {
      const candidates = alerts.filter((a) => a.rule === inc.rule && (a.event.statement ?? '').includes(inc.statement) && inSession(a, f, s));
      if (candidates.length === 0) {
        const near = alerts.filter((a) => inSession(a, f, s)).map(describeAlert);
        problems.push(`${s.id}: no ${inc.rule} alert for ${JSON.stringify(inc.statement)} (session's alerts: ${near.length ? near.join('; ') : 'none'})`);
        continue;
      }
      const real = s.truth[f.run]!.user;
      const ok = candidates.some((a) => a.event.user === real || (a.event.user === null && (s.ambiguousUser || f.scrambled === true)));
      if (!ok) problems.push(`${s.id}: ${inc.rule} for ${JSON.stringify(inc.statement)} names user ${candidates.map((a) => JSON.stringify(a.event.user)).join(', ')}, not ${JSON.stringify(real)}`);
    }
  }
  return problems;
}

/** Benign sessions raise nothing at all (no rule alert, no forgery alert); every alert belongs to an attack session. */
export function benignAlerts(alerts: Alert[], f: AttackFile, exp: Expectations): string[] {
  const problems: string[] = [];
  for (const a of alerts) {
    const owner = exp.sessions.find((s) => inSession(a, f, s));
    if (!owner) problems.push(`alert outside every scenario session: ${describeAlert(a)}`);
    else if (owner.kind === 'benign') problems.push(`benign session ${owner.id} alerted: ${describeAlert(a)}`);
  }
  return problems;
}

/**
 * No alert believes a forged identity: an attack session's alerts name its real user or none (unknown);
 * framed users appear in no alert at all.
 */
export function believedForgeries(alerts: Alert[], f: AttackFile, exp: Expectations): string[] {
  const problems: string[] = [];
  const framed = new Set(exp.sessions.flatMap((s) => s.framed));
  for (const a of alerts) {
    if (a.event.user !== null && framed.has(a.event.user)) problems.push(`framed user ${a.event.user} blamed: ${describeAlert(a)}`);
    const owner = exp.sessions.find((s) => inSession(a, f, s));
    if (owner?.kind !== 'attack') continue;
    const real = owner.truth[f.run]!.user;
    if (a.event.user !== null && a.event.user !== real) problems.push(`${owner.id}: alert names ${JSON.stringify(a.event.user)}, the session's user is ${JSON.stringify(real)}: ${describeAlert(a)}`);
  }
  return problems;
}

/** Sessions whose forged records are visible in this file (as records, or as lines of their own). */
export function forgingSessions(f: AttackFile, exp: Expectations): AttackSession[] {
  return exp.sessions.filter((s) => s.forgery === 'all' || (s.forgery === 'stderr' && f.statementLines));
}

/** Each forging session gets a forgery alert of its own, and the summary counts at least the forged records. */
export function unreportedForgeries(alerts: Alert[], stderr: string, f: AttackFile, exp: Expectations): string[] {
  const problems: string[] = [];
  const forging = forgingSessions(f, exp);
  for (const s of forging) {
    if (!alerts.some((a) => FORGERY_RULE.test(a.rule) && inSession(a, f, s))) problems.push(`${s.id}: no forgery alert for its session`);
  }
  const least = forging.reduce((n, s) => n + (s.forgery === 'all' ? s.forgedRecords : 0) + (f.statementLines ? s.forgedStatements : 0), 0);
  const counted = FORGED_COUNT.exec(stderr);
  if (!counted) problems.push(`the scan summary counts no forged records (stderr: ${JSON.stringify(stderr.trim().slice(-300))})`);
  else if (Number(counted[1]) < least) problems.push(`the scan summary counts ${counted[1]} forged records, the file holds at least ${least}`);
  return problems;
}
