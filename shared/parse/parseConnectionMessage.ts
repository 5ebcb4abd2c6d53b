/** Session context carried by PostgreSQL's `log_connections` lines. */
export type ConnectionInfo =
  | { kind: 'received'; client: string | null }
  | {
      kind: 'authorized';
      user: string | null;
      database: string | null;
      application: string | null;
      /** Set when the line splits into user/database/application more than one way (see parseAuthorized). */
      ambiguous?: string;
    }
  | { kind: 'disconnection' };

const AUTHORIZED_PREFIXES = ['connection authorized: user=', 'replication connection authorized: user='];
// PG adds " SSL enabled (protocol=..., cipher=..., bits=...)" and/or " GSS (authenticated=..., ...)" at the end.
const SUFFIX = /(?: SSL enabled \([^)]*\))?(?: GSS \([^)]*\))?$/;
const RECEIVED = /^connection received: host=(\S+)(?: port=\d+)?$/;
const DATABASE = ' database=';
const APPLICATION = ' application_name=';

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
  for (const prefix of AUTHORIZED_PREFIXES) if (message.startsWith(prefix)) return parseAuthorized(message.slice(prefix.length));
  if (message.startsWith('disconnection: ')) return { kind: 'disconnection' };
  return null;
}

/**
 * `user=%s database=%s application_name=%s` (postinit.c), where role and database names may contain
 * anything, ` database=` included, and application names any printable ASCII. Every way the text splits
 * at a ` database=` and a later ` application_name=` is a reading; more than one reading means a name
 * carries one of the markers, and which part is the role cannot be told: the result is marked ambiguous
 * (with the first reading's values) rather than guessed.
 */
function parseAuthorized(rest: string): ConnectionInfo {
  const body = rest.slice(0, SUFFIX.exec(rest)!.index);
  const databases = positions(body, DATABASE);
  const applications = positions(body, APPLICATION);
  let readings = 0;
  let first: { user: string; database: string | null; application: string | null } | null = null;
  const take = (user: string, database: string | null, application: string | null): void => {
    readings++;
    first ??= { user, database, application };
  };
  if (databases.length === 0) {
    // Physical replication connections have no database.
    if (applications.length === 0) take(body, null, null);
    for (const a of applications) take(body.slice(0, a), null, body.slice(a + APPLICATION.length));
  } else {
    for (const d of databases) {
      const after = applications.filter((a) => a >= d + DATABASE.length);
      if (after.length === 0) take(body.slice(0, d), body.slice(d + DATABASE.length), null);
      for (const a of after) take(body.slice(0, d), body.slice(d + DATABASE.length, a), body.slice(a + APPLICATION.length));
    }
  }
  const reading = first!;
  const info: ConnectionInfo = {
    kind: 'authorized',
    user: reading.user || null,
    database: reading.database || null,
    application: reading.application || null,
  };
  if (readings > 1) {
    info.ambiguous = `its connection authorized line splits ${readings} ways into user, database and application (a name contains "${DATABASE.trim()}" or "${APPLICATION.trim()}")`;
  }
  return info;
}

function positions(text: string, marker: string): number[] {
  const out: number[] = [];
  for (let at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 1)) out.push(at);
  return out;
}
