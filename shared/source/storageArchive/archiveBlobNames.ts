/** Diagnostic settings archive to this container unless told otherwise. */
export const DEFAULT_ARCHIVE_CONTAINER = 'insights-logs-postgresqllogs';

/** Where a blob name's resource part ends: `.../FLEXIBLESERVERS/<NAME>/`. */
const SERVER_PREFIX = /\/FLEXIBLESERVERS\/([^/]+)\/$/i;

/** A server's folder, e.g. `resourceId=/SUBSCRIPTIONS/…/FLEXIBLESERVERS/PG-1/`. */
export function isServerPrefix(prefix: string): boolean {
  return SERVER_PREFIX.test(prefix);
}

/** The server name (lower case, as records carry it) of a server folder. */
export function serverOfPrefix(prefix: string): string | null {
  return SERVER_PREFIX.exec(prefix)?.[1]?.toLowerCase() ?? null;
}

/** The hour folder under a server folder: `y=2026/m=03/d=01/h=09/` (the archive's UTC hours). */
export function hourPrefix(hour: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `y=${hour.getUTCFullYear()}/m=${two(hour.getUTCMonth() + 1)}/d=${two(hour.getUTCDate())}/h=${two(hour.getUTCHours())}/`;
}

const HOUR_MS = 3_600_000;

/** Every UTC hour that overlaps [start, end], oldest first. */
export function hoursOverlapping(start: Date, end: Date): Date[] {
  const hours: Date[] = [];
  for (let t = Math.floor(start.getTime() / HOUR_MS) * HOUR_MS; t <= end.getTime(); t += HOUR_MS) hours.push(new Date(t));
  return hours;
}

export function hourEnd(hour: Date): Date {
  return new Date(hour.getTime() + HOUR_MS);
}

/** The UTC hour a blob's name files it under (`…/y=2026/m=03/d=01/h=09/…`); null for a name without one. */
export function hourOfBlob(name: string): Date | null {
  const m = /\/y=(\d{4})\/m=(\d\d)\/d=(\d\d)\/h=(\d\d)\//.exec(name);
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]))) : null;
}
