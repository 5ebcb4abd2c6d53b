/**
 * PostgreSQL's `%c` session id: `hex(session start, epoch seconds).hex(pid)`, as in `6b02dae7.3421`.
 * Only ids of this shape can be looked up by their start time; anything else (csvlog/jsonlog give the
 * same form, but a hostile line may not) is treated as unknown.
 */
const SESSION_ID = /^[0-9a-f]{1,16}\.[0-9a-f]{1,16}$/;

export function isSessionId(text: string): boolean {
  return SESSION_ID.test(text);
}

/** The start time encoded in a `%c` session id, or null when it is not one. */
export function sessionStartTime(sessionId: string): Date | null {
  if (!isSessionId(sessionId)) return null;
  const seconds = parseInt(sessionId.split('.')[0]!, 16);
  return new Date(seconds * 1000);
}
