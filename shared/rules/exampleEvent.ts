import type { AuditEvent, AuditLine } from '../model/AuditEvent';
import type { EventLike } from './ruleFileSchema';

/**
 * A rule example (a partial AuditEvent) as a whole event. A missing `lines` is derived from
 * `class`/`command`/`objects` (one line per object, or one line without an object), a missing
 * `class`/`command`/`objects` from `lines`, and everything else unknown is null, as in real events.
 */
export function exampleEvent(like: EventLike): AuditEvent {
  const auditType = like.auditType ?? like.lines?.[0]?.auditType ?? 'SESSION';
  const cls = like.class ?? like.lines?.[0]?.class ?? '';
  const command = like.command ?? like.lines?.[0]?.command ?? '';
  const lines: AuditLine[] = like.lines
    ? like.lines.map((l) => ({
        auditType: l.auditType ?? auditType,
        class: l.class,
        command: l.command,
        objectType: l.objectType ?? null,
        objectName: l.objectName ?? null,
      }))
    : like.objects && like.objects.length > 0
      ? like.objects.map((o) => ({ auditType, class: cls, command, objectType: o.type ?? null, objectName: o.name }))
      : [{ auditType, class: cls, command, objectType: null, objectName: null }];
  const objects =
    like.objects?.map((o) => ({ type: o.type ?? null, name: o.name })) ??
    lines.filter((l) => l.objectName).map((l) => ({ type: l.objectType, name: l.objectName! }));
  return {
    server: like.server ?? 'example-server',
    sessionId: like.sessionId ?? 'example-session',
    pid: like.pid ?? null,
    time: like.time ?? null,
    user: like.user ?? null,
    database: like.database ?? null,
    application: like.application ?? null,
    client: like.client ?? null,
    auditType,
    statementId: like.statementId ?? 1,
    substatementId: like.substatementId ?? 1,
    class: cls,
    command,
    objects,
    lines,
    statement: like.statement ?? null,
    parameters: like.parameters ?? null,
    rows: like.rows ?? null,
    ...(like.identity ? { identity: like.identity, identityReason: like.identityReason ?? 'example' } : {}),
    ...(like.origin ? { origin: like.origin } : {}),
  };
}
