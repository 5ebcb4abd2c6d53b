import { describe, expect, it } from 'vitest';
import { BlobCursorConflictError, type BlobCursor, type BlobCursorStore } from '../../shared/source/storageArchive/BlobCursorStore';

const BLOB = 'resourceId=/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.DBFORPOSTGRESQL/FLEXIBLESERVERS/PG-1/y=2026/m=03/d=01/h=09/m=00/PT1H.json';

function cursor(offset: number, blob = BLOB): BlobCursor {
  return { blob, offset, lines: offset / 100, etag: `"0x8D${offset}"`, createdOn: '2026-03-01T09:00:01.000Z' };
}

/**
 * The BlobCursorStore contract, registered once per implementation. `makeStore` must return an empty,
 * independent store each time.
 */
export function blobCursorStoreContract(name: string, makeStore: () => BlobCursorStore | Promise<BlobCursorStore>): void {
  describe(`BlobCursorStore contract: ${name}`, () => {
    it('round-trips a cursor and moves it only from the version it read', async () => {
      const store = await makeStore();
      expect(await store.get(BLOB)).toBeNull();
      const v1 = await store.put(cursor(300), null);
      expect(await store.get(BLOB)).toEqual({ ...cursor(300), version: v1 });

      const v2 = await store.put(cursor(700), v1);
      expect(v2).not.toBe(v1);
      // A run that read v1 (or thought there was no cursor) lost the race: the stored cursor stays.
      await expect(store.put(cursor(500), v1)).rejects.toBeInstanceOf(BlobCursorConflictError);
      await expect(store.put(cursor(500), null)).rejects.toThrow(`The cursor of blob ${BLOB} was moved by another run`);
      expect(await store.get(BLOB)).toEqual({ ...cursor(700), version: v2 });
    });

    it('keeps blobs apart, including names that differ only after the first 1 KiB and a null creation time', async () => {
      const store = await makeStore();
      const long = `${BLOB}/${'x'.repeat(1100)}`;
      const a = { ...cursor(100, `${long}a`), createdOn: null };
      const b = cursor(200, `${long}b`);
      await store.put(a, null);
      await store.put(b, null);
      expect(await store.get(a.blob)).toMatchObject(a);
      expect(await store.get(b.blob)).toMatchObject(b);
      expect(await store.get(BLOB)).toBeNull();
    });

    it('lets exactly one of several concurrent first writers win', async () => {
      const store = await makeStore();
      const results = await Promise.allSettled([100, 200, 300, 400, 500].map((o) => store.put(cursor(o), null)));
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(BlobCursorConflictError);
      expect((await store.get(BLOB))?.version).toBe((won[0] as PromiseFulfilledResult<string>).value);
    });

    it('prunes the cursors of blobs filed under hours before the one given, and only those', async () => {
      const store = await makeStore();
      const at = (h: string) => BLOB.replace('/h=09/', `/h=${h}/`);
      for (const h of ['07', '08', '09']) await store.put(cursor(100, at(h)), null);
      await store.put(cursor(100, 'not-an-archive-name.json'), null);
      expect(await store.prune(new Date('2026-03-01T09:00:00.000Z'))).toBe(2);
      expect(await store.get(at('07'))).toBeNull();
      expect(await store.get(at('08'))).toBeNull();
      expect(await store.get(at('09'))).toMatchObject(cursor(100, at('09')));
      expect(await store.get('not-an-archive-name.json')).not.toBeNull();
      expect(await store.prune(new Date('2026-03-01T09:00:00.000Z'))).toBe(0);
    });
  });
}
