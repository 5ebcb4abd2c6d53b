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
      /**
       * With `ambiguous`: true when user, database and application are the one plausible reading (every
       * marker inside the application_name), false when they are only the first reading's claim.
       */
      plausible?: boolean;
      /** With `ambiguous`: every (user, database) the line can be read as. */
      readings?: NamePair[];
    }
  | {
      kind: 'disconnection';
      /** Every (user, database) the line can be read as (`user=%s database=%s host=%s`, postgres.c). */
      readings: NamePair[];
    };

/** A role and database name pair a connection or disconnection line can be read as. */
export interface NamePair {
  user: string;
  database: string | null;
}

const AUTHORIZED_PREFIXES = ['connection authorized: user=', 'replication connection authorized: user='];
// PG adds " SSL enabled (protocol=..., cipher=..., bits=...)" and/or " GSS (authenticated=..., ...)" at the end.
const SUFFIX = /(?: SSL enabled \([^)]*\))?(?: GSS \([^)]*\))?$/;
const RECEIVED = /^connection received: host=(\S+)(?: port=\d+)?$/;
const DATABASE = ' database=';
const APPLICATION = ' application_name=';
/** NAMEDATALEN - 1: PostgreSQL truncates role and database names in the startup packet to this many bytes. */
const NAME_BYTES = 63;
/** What pg_clean_ascii leaves of an application_name: printable ASCII (every other byte becomes `?`). */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

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
  if (message.startsWith('disconnection: ')) return { kind: 'disconnection', readings: disconnectionReadings(message) };
  return null;
}

/**
 * `user=%s database=%s application_name=%s` (postinit.c), where role and database names may contain
 * anything, ` database=` included, and application names any printable ASCII. Every way the text splits
 * at a ` database=` and a later ` application_name=` is a reading, kept only if PostgreSQL could have
 * written it: role and database names are at most NAMEDATALEN-1 = 63 bytes, and the server replaces every
 * byte of an application_name outside printable ASCII with `?`. More than one reading means a name
 * carries one of the markers, and which part is the role cannot be told from the line: the result is
 * marked ambiguous.
 *
 * Its values are then the *plausible* reading when there is exactly one: the one whose role and database
 * names hold no marker, so that every marker is inside the application_name, which any client sets
 * without privileges (`application_name='psql user=etl database=shop'`). The other readings need a role or
 * database deliberately named with the markers (CREATEROLE, CREATEDB). With no plausible reading (a role
 * such as "etl database=x" in database "shop") `plausible` is false and the first reading is kept only as
 * the claim. Either way the identity stays contested: rules never trust an ambiguous line (a role named
 * `etl database=shop application_name=x` must not pass as etl).
 */
function parseAuthorized(rest: string): ConnectionInfo {
  const body = rest.slice(0, SUFFIX.exec(rest)!.index);
  const databases = positions(body, DATABASE);
  const applications = positions(body, APPLICATION);
  const readings: Reading[] = [];
  const take = (user: string, database: string | null, application: string | null): void => {
    if (possible(user, database, application)) readings.push({ user, database, application });
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
  // No reading fits PostgreSQL's limits: not a line PostgreSQL wrote for a login. The first split is kept as the claim.
  const impossible = readings.length === 0;
  if (impossible) {
    const d = databases[0];
    readings.push(d === undefined ? { user: body, database: null, application: null } : { user: body.slice(0, d), database: body.slice(d + DATABASE.length), application: null });
  }
  const clean = impossible ? [] : readings.filter((r) => !hasMarker(r.user) && (r.database === null || !hasMarker(r.database)));
  const reading = clean.length === 1 ? clean[0]! : readings[0]!;
  const info: ConnectionInfo = {
    kind: 'authorized',
    user: reading.user || null,
    database: reading.database || null,
    application: reading.application || null,
  };
  if (impossible) {
    info.ambiguous = 'its connection authorized line fits no role and database name PostgreSQL allows (at most 63 bytes each)';
    info.plausible = false;
  } else if (readings.length > 1) {
    const users = [...new Set(readings.map((r) => r.user))];
    const shown = clean.length === 1
      ? `shown as the one reading whose role and database names hold no marker (every marker inside application_name, which any client sets)`
      : 'no reading is more plausible than another';
    info.ambiguous = `its connection authorized line splits ${readings.length} ways into user, database and application (a name contains "${DATABASE.trim()}" or "${APPLICATION.trim()}"; the role may be ${users.map((u) => JSON.stringify(u)).join(' or ')}): ${shown}`;
    info.plausible = clean.length === 1;
    info.readings = readings.map((r) => ({ user: r.user, database: r.database }));
  }
  return info;
}

/**
 * `disconnection: session time: %d:%02d:%02d.%03d user=%s database=%s host=%s[ port=%s]` (postgres.c): no
 * application_name, so a client-chosen one cannot shift it; a role or database name with ` database=` or
 * ` host=` still can, so every split within PostgreSQL's name limits is a reading.
 */
function disconnectionReadings(message: string): NamePair[] {
  const at = message.indexOf(' user=');
  if (at < 0) return [];
  const body = message.slice(at + ' user='.length);
  const hosts = positions(body, ' host=');
  const out: NamePair[] = [];
  for (const d of positions(body, DATABASE)) {
    for (const h of hosts) {
      if (h < d + DATABASE.length) continue;
      const user = body.slice(0, d);
      const database = body.slice(d + DATABASE.length, h);
      if (Buffer.byteLength(user) <= NAME_BYTES && Buffer.byteLength(database) <= NAME_BYTES) out.push({ user, database });
    }
  }
  return out;
}

interface Reading {
  user: string;
  database: string | null;
  application: string | null;
}

/** Role and database names are at most 63 bytes; an application_name is printable ASCII (postmaster.c). */
function possible(user: string, database: string | null, application: string | null): boolean {
  if (Buffer.byteLength(user) > NAME_BYTES || (database !== null && Buffer.byteLength(database) > NAME_BYTES)) return false;
  return application === null || PRINTABLE_ASCII.test(application);
}

function hasMarker(name: string): boolean {
  return name.includes(DATABASE) || name.includes(APPLICATION);
}

function positions(text: string, marker: string): number[] {
  const out: number[] = [];
  for (let at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 1)) out.push(at);
  return out;
}
