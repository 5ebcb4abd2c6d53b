/** Azure Database for PostgreSQL Flexible Server's default `log_line_prefix`. */
export const AZURE_DEFAULT_PREFIX = '%t-%c-';

/**
 * Prefixes tried, in order, when the configured one does not fit an input: Azure's default, the
 * PostgreSQL/Debian defaults, a common user/db/app one, the Azure workshop's, Amazon RDS's, and Aiven's
 * default (`pg.log_line_prefix`: no time and no session id; the time comes from the document).
 */
export const COMMON_PREFIXES: readonly string[] = [
  AZURE_DEFAULT_PREFIX,
  '%m [%p] [user=%u,db=%d,app=%a] ',
  '%t %p %l-1 db-%d,user-%u,app-%a,client-%h ',
  '%m [%p] %q%u@%d ',
  '%t:%r:%u@%d:[%p]:',
  'pid=%p,user=%u,db=%d,app=%a,client=%h ',
  '%m [%p] ',
  '%t [%p] ',
  '%m ',
  '%t ',
];
