/** Session context carried by PostgreSQL's `log_connections` lines. */
export type ConnectionInfo =
  | { kind: 'received'; client: string | null }
  | { kind: 'authorized'; user: string | null; database: string | null; application: string | null }
  | { kind: 'disconnection' };

// PG adds " SSL enabled (protocol=..., cipher=..., bits=...)" and/or " GSS (authenticated=..., ...)";
// application names may contain spaces, so the suffixes are matched explicitly rather than split on spaces.
const AUTHORIZED =
  /^(?:replication )?connection authorized: user=(.*?)(?: database=(.*?))?(?: application_name=(.*?))?(?: SSL enabled \([^)]*\))?(?: GSS \([^)]*\))?$/s;
const RECEIVED = /^connection received: host=(\S+)(?: port=\d+)?$/;

/**
 * Longer than any connection line PostgreSQL writes (three names of at most 63 bytes, SSL and GSS
 * details): such a message is someone's text (RAISE LOG), and the regex below would take time
 * quadratic in its length.
 */
const MAX_CONNECTION_MESSAGE = 2048;

export function parseConnectionMessage(message: string): ConnectionInfo | null {
  if (message.length > MAX_CONNECTION_MESSAGE) return null;
  if (message.startsWith('connection received: ')) {
    const m = RECEIVED.exec(message);
    return m ? { kind: 'received', client: m[1] ?? null } : null;
  }
  if (message.startsWith('connection authorized: ') || message.startsWith('replication connection authorized: ')) {
    const m = AUTHORIZED.exec(message);
    if (!m) return null;
    return { kind: 'authorized', user: m[1] || null, database: m[2] || null, application: m[3] || null };
  }
  if (message.startsWith('disconnection: ')) return { kind: 'disconnection' };
  return null;
}
