import { createHash } from 'node:crypto';

/** sha256 hex of any text: a RowKey that never contains the characters Table Storage forbids. */
export function hashKey(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

// Characters that are always legal in PartitionKey/RowKey and readable in Storage Explorer.
const SAFE = /^[A-Za-z0-9_.\-]{1,200}$/;

/**
 * A readable key when the name is plain (destination and server names usually are), otherwise `h~<sha256>`.
 * `~` never occurs in a plain name, so the two forms cannot collide.
 * Keys may not contain `/ \ # ?` or control characters and are limited to 1 KiB.
 */
export function tableKey(name: string): string {
  return SAFE.test(name) ? name : `h~${hashKey(name)}`;
}
