/** Azure Database for PostgreSQL Flexible Server's default `log_line_prefix`. */
export const AZURE_DEFAULT_PREFIX = '%t-%c-';

/**
 * Prefixes tried, in order, when the configured one does not fit an input: Azure's default, the
 * PostgreSQL/Debian defaults, a common user/db/app one, the Azure workshop's, and Amazon RDS's.
 */
export const COMMON_PREFIXES: readonly string[] = [
  AZURE_DEFAULT_PREFIX,
  '%m [%p] [user=%u,db=%d,app=%a] ',
  '%t %p %l-1 db-%d,user-%u,app-%a,client-%h ',
  '%m [%p] %q%u@%d ',
  '%t:%r:%u@%d:[%p]:',
  '%m [%p] ',
  '%t [%p] ',
  '%m ',
  '%t ',
];
