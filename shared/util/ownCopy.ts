/**
 * A string that keeps only its own characters. A value cut from a log line (a regex capture, a slice, a
 * key built from them) may keep the whole line alive in V8; what is remembered longer than its line (a
 * session's id, a map key) is copied. Strings under 13 characters are copies already.
 */
export function ownCopy<T extends string | null>(value: T): T {
  return (value === null || value.length < 13 ? value : ` ${value}`.slice(1)) as T;
}
