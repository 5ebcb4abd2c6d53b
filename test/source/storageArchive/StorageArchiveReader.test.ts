import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeAuditRecords } from '../../../shared/merge/mergeAuditRecords';
import { parseAuditLog } from '../../../shared/merge/parseAuditLog';
import type { AuditEvent } from '../../../shared/model/AuditEvent';
import type { SourceItem } from '../../../shared/source/SourceRecord';
import type { BlobCursor } from '../../../shared/source/storageArchive/BlobCursorStore';
import { MemoryBlobCursorStore } from '../../../shared/source/storageArchive/MemoryBlobCursorStore';
import { StorageArchiveReader, type ArchiveBatch, type ArchiveWindow } from '../../../shared/source/storageArchive/StorageArchiveReader';
import { TableBlobCursorStore } from '../../../shared/source/storageArchive/TableBlobCursorStore';
import { useAzuriteBlob, useAzuriteTable } from '../../support/azurite';
import { startRecordingProxy, type RecordingProxy } from '../../support/recordingProxy';

const azurite = useAzuriteBlob();
const tables = useAzuriteTable();
let proxy: RecordingProxy;
beforeAll(async () => { proxy = await startRecordingProxy(azurite().port); });
afterAll(async () => { await proxy.close(); });

const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'pg15', 'azure', 'azure-blob.PT1H.json');
const RESOURCE = '/SUBSCRIPTIONS/6F1D3F3E-5C1A-4D7E-9A52-0C0FFEE00001/RESOURCEGROUPS/RG-PGAUDIT-FIXTURES/PROVIDERS/MICROSOFT.DBFORPOSTGRESQL/FLEXIBLESERVERS/';

let containers = 0;
/** A fresh container on the shared Azurite, reached through the recording proxy. */
async function freshContainer(): Promise<ContainerClient> {
  const through = azurite().connectionString.replace(/BlobEndpoint=[^;]+/, `BlobEndpoint=${proxy.origin}/devstoreaccount1`);
  const container = BlobServiceClient.fromConnectionString(through).getContainerClient(`archive-${process.pid}-${++containers}`);
  await container.create();
  return container;
}

function blobName(server: string, hour: string): string {
  const [y, m, d, h] = hour.split(/[-T]/);
  return `resourceId=${RESOURCE}${server}/y=${y}/m=${m}/d=${d}/h=${h}/m=00/PT1H.json`;
}

/** Appends bytes to an append blob, creating it first if needed (as the diagnostic setting does). */
async function append(container: ContainerClient, name: string, text: string): Promise<void> {
  const blob = container.getAppendBlobClient(name);
  await blob.createIfNotExists();
  const body = Buffer.from(text, 'utf8');
  if (body.length > 0) await blob.appendBlock(body, body.length);
}

function row(server: string, time: string, message: string): string {
  return JSON.stringify({
    properties: { timestamp: time.replace('T', ' ').replace('Z', ' UTC'), processId: 4242, errorLevel: 'LOG', sqlerrcode: '00000', message },
    resourceId: `${RESOURCE}${server}`, category: 'PostgreSQLLogs', operationName: 'LogEvent', time,
  }) + '\n';
}

const window = (start: string, end: string): ArchiveWindow => ({ start: new Date(start), end: new Date(end) });

/** One timer run: read everything new, then commit (unless the run is "killed" first). */
async function run(reader: StorageArchiveReader, w: ArchiveWindow, commit = true): Promise<{ batches: ArchiveBatch[]; items: SourceItem[] }> {
  const batches: ArchiveBatch[] = [];
  for await (const batch of reader.read(w)) batches.push(batch);
  if (commit) await reader.commit(batches.map((b) => b.cursor));
  return { batches, items: batches.flatMap((b) => b.items) };
}

const lines = (items: SourceItem[]) => items.map((i) => ('record' in i ? i.record.line : `problem: ${i.problem.message}`));
const locations = (items: SourceItem[]) => items.map((i) => ('record' in i ? i.record.location : i.problem.location).replace(/^.*\/h=(\d\d)\/m=00\/PT1H\.json/, 'h$1'));
const reads = () => proxy.requests.filter((r) => r.method === 'GET' && !r.url.includes('comp=list'));
const listings = () => proxy.requests.filter((r) => r.url.includes('comp=list'));

describe('StorageArchiveReader on Azurite', () => {
  it('reads a growing append blob: only new bytes, never the part of a line still being written', async () => {
    const container = await freshContainer();
    const reader = new StorageArchiveReader(container, new MemoryBlobCursorStore());
    const name = blobName('PG-1', '2026-03-01T09');
    const [a, b, c] = ['a', 'b', 'c'].map((x, i) => row('PG-1', `2026-03-01T09:0${i}:00.000Z`, `2026-03-01 09:0${i}:00 UTC-65e1.1-LOG:  statement ${x}`));
    const w = window('2026-03-01T09:00:00Z', '2026-03-01T09:59:59Z');

    await append(container, name, a! + b!.slice(0, 40));
    const first = await run(reader, w);
    expect(lines(first.items)).toEqual(['2026-03-01 09:00:00 UTC-65e1.1-LOG:  statement a']);
    expect(first.batches.map((x) => x.cursor.offset)).toEqual([Buffer.byteLength(a!)]);

    const before = reads().length;
    await append(container, name, b!.slice(40) + c!);
    const second = await run(reader, w);
    expect(lines(second.items)).toEqual(['2026-03-01 09:01:00 UTC-65e1.1-LOG:  statement b', '2026-03-01 09:02:00 UTC-65e1.1-LOG:  statement c']);
    expect(locations(second.items)).toEqual(['h09:2', 'h09:3']);
    expect(second.items.map((i) => 'record' in i && i.record.server)).toEqual(['pg-1', 'pg-1']);
    // The second run asked only for the bytes after the first complete line.
    const total = Buffer.byteLength(a! + b! + c!);
    expect(reads().slice(before).map((r) => r.range)).toEqual([`bytes=${Buffer.byteLength(a!)}-${total - 1}`]);

    // Nothing new: no read at all, no batch.
    const third = await run(reader, w);
    expect(third.batches).toEqual([]);
    expect(reads().length).toBe(before + 1);
  });

  it('reads two servers and blobs across an hour boundary, older hour first, and a blob that appears late', async () => {
    const container = await freshContainer();
    const reader = new StorageArchiveReader(container, new MemoryBlobCursorStore());
    const msg = (t: string, s: string) => `2026-03-01 ${t} UTC-65e1.1-LOG:  ${s}`;
    await append(container, blobName('PG-1', '2026-03-01T09'), row('PG-1', '2026-03-01T09:59:59.000Z', msg('09:59:59', 'one')));
    await append(container, blobName('PG-1', '2026-03-01T10'), row('PG-1', '2026-03-01T10:00:01.000Z', msg('10:00:01', 'two')));
    await append(container, blobName('PG-2', '2026-03-01T10'), row('PG-2', '2026-03-01T10:00:02.000Z', msg('10:00:02', 'three')));
    const w = window('2026-03-01T09:30:00Z', '2026-03-01T10:30:00Z');
    const first = await run(reader, w);
    expect(first.items.map((i) => 'record' in i && [i.record.server, i.record.line])).toEqual([
      ['pg-1', msg('09:59:59', 'one')], ['pg-1', msg('10:00:01', 'two')], ['pg-2', msg('10:00:02', 'three')],
    ]);

    // Azure writes PG-2's 09:00 blob only now, after the 10:00 blobs were read: still inside the window.
    await append(container, blobName('PG-2', '2026-03-01T09'), row('PG-2', '2026-03-01T09:58:00.000Z', msg('09:58:00', 'late')));
    await append(container, blobName('PG-1', '2026-03-01T10'), row('PG-1', '2026-03-01T10:05:00.000Z', msg('10:05:00', 'four')));
    const second = await run(reader, w);
    expect(second.items.map((i) => 'record' in i && [i.record.server, i.record.line])).toEqual([
      ['pg-2', msg('09:58:00', 'late')], ['pg-1', msg('10:05:00', 'four')],
    ]);
    expect(locations(second.items)).toEqual(['h09:1', 'h10:2']);
  });

  it('lists only the hour folders inside the window, never the whole container or a server folder whole', async () => {
    const container = await freshContainer();
    const reader = new StorageArchiveReader(container, new MemoryBlobCursorStore());
    for (const hour of ['2026-03-01T05', '2026-03-01T09', '2026-03-01T10', '2026-03-02T09']) {
      await append(container, blobName('PG-1', hour), row('PG-1', `${hour}:00:00.000Z`, `${hour.replace('T', ' ')}:00:00 UTC-65e1.1-LOG:  at ${hour}`));
    }
    const before = proxy.requests.length;
    const { items } = await run(reader, window('2026-03-01T09:15:00Z', '2026-03-01T10:45:00Z'));
    expect(lines(items)).toEqual(['2026-03-01 09:00:00 UTC-65e1.1-LOG:  at 2026-03-01T09', '2026-03-01 10:00:00 UTC-65e1.1-LOG:  at 2026-03-01T10']);

    const listed = listings().filter((r) => proxy.requests.indexOf(r) >= before).map((r) => {
      const query = new URLSearchParams(r.url.split('?')[1]);
      return { prefix: query.get('prefix'), delimiter: query.get('delimiter') };
    });
    const server = `resourceId=${RESOURCE}PG-1/`;
    // Server discovery walks the resource path one level at a time with a delimiter and stops at the server folder.
    const walk = listed.filter((l) => l.delimiter === '/');
    expect(walk.every((l) => l.prefix !== null && server.startsWith(l.prefix))).toBe(true);
    expect(walk.map((l) => l.prefix)).toContain('resourceId=/');
    expect(walk.map((l) => l.prefix)).not.toContain(server);
    // Then exactly one flat listing per hour folder in the window: 05:00 and the next day are never listed.
    expect(listed.filter((l) => l.delimiter === null).map((l) => l.prefix)).toEqual([
      `${server}y=2026/m=03/d=01/h=09/`, `${server}y=2026/m=03/d=01/h=10/`,
    ]);
  });

  it('re-reads what a run killed between read and commit had read; commits only what the caller processed', async () => {
    const container = await freshContainer();
    const store = TableBlobCursorStore.fromConnectionString(tables().connectionString, `k${process.pid}Cursors`);
    const name = blobName('PG-1', '2026-03-01T09');
    const text = Array.from({ length: 6 }, (_, i) => row('PG-1', `2026-03-01T09:00:0${i}.000Z`, `2026-03-01 09:00:0${i} UTC-65e1.1-LOG:  line ${i}`)).join('');
    await append(container, name, text);
    const w = window('2026-03-01T09:00:00Z', '2026-03-01T09:30:00Z');
    // Small reads: one batch per ranged read, so a run can die after some of its batches.
    const options = { maxBytesPerRead: 600 };

    const killed = await run(new StorageArchiveReader(container, store, options), w, false);
    expect(lines(killed.items)).toHaveLength(6);
    expect(killed.batches.length).toBeGreaterThan(2);

    // A new process: the same bytes again, nothing skipped. It processes the first two batches, then dies.
    const again = new StorageArchiveReader(container, store, options);
    const seen: ArchiveBatch[] = [];
    for await (const batch of again.read(w)) seen.push(batch);
    expect(lines(seen.flatMap((b) => b.items))).toEqual(lines(killed.items));
    await again.commit(seen.slice(0, 2).map((b) => b.cursor));

    const rest = await run(new StorageArchiveReader(container, store, options), w);
    expect(lines(rest.items)).toEqual(lines(killed.items).slice(seen.slice(0, 2).flatMap((b) => b.items).length));
    expect(locations(rest.items)[0]).toBe(`h09:${seen[0]!.items.length + seen[1]!.items.length + 1}`);
    expect((await run(new StorageArchiveReader(container, store, options), w)).batches).toEqual([]);
  });

  it('cuts a line longer than maxRecordBytes, flags it oversized, and reads the lines after it', async () => {
    const container = await freshContainer();
    const reader = new StorageArchiveReader(container, new MemoryBlobCursorStore(), { maxBytesPerRead: 100, maxRecordBytes: 300 });
    const name = blobName('PG-1', '2026-03-01T09');
    const head = '2026-03-01 09:00:00 UTC-65e1.1-LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,';
    const huge = row('PG-1', '2026-03-01T09:00:00.000Z', `${head}${'x'.repeat(2000)}`);
    const after = row('PG-1', '2026-03-01T09:00:01.000Z', '2026-03-01 09:00:01 UTC-65e1.1-LOG:  after');
    await append(container, name, huge.slice(0, 1000));
    expect((await run(reader, window('2026-03-01T09:00:00Z', '2026-03-01T09:00:00Z'))).batches).toEqual([]);
    await append(container, name, huge.slice(1000) + after);
    const { items, batches } = await run(reader, window('2026-03-01T09:00:00Z', '2026-03-01T09:00:00Z'));
    expect(items).toHaveLength(2);
    const cut = items[0]!;
    expect('record' in cut && cut.record.oversized).toBe(true);
    expect('record' in cut && cut.record.line?.startsWith(head)).toBe(true);
    expect(lines(items.slice(1))).toEqual(['2026-03-01 09:00:01 UTC-65e1.1-LOG:  after']);
    expect(locations(items)).toEqual(['h09:1', 'h09:2']);
    expect(batches.at(-1)!.cursor.offset).toBe(Buffer.byteLength(huge + after));
  });

  it('refuses a window of more hour folders than allowed, naming it', async () => {
    const reader = new StorageArchiveReader(await freshContainer(), new MemoryBlobCursorStore(), { maxWindowHours: 3 });
    await expect(reader.read(window('2026-03-01T09:30:00Z', '2026-03-01T12:00:00Z')).next())
      .rejects.toThrow('Storage archive window 2026-03-01T09:30:00.000Z – 2026-03-01T12:00:00.000Z spans 4 hour folders, more than the 3 allowed');
    expect((await reader.read(window('2026-03-01T09:30:00Z', '2026-03-01T11:59:59Z')).next()).done).toBe(true);
  });

  it('refuses to commit over a cursor another run moved since it was read', async () => {
    const container = await freshContainer();
    const store = new MemoryBlobCursorStore();
    await append(container, blobName('PG-1', '2026-03-01T09'), row('PG-1', '2026-03-01T09:00:00.000Z', '2026-03-01 09:00:00 UTC-65e1.1-LOG:  x'));
    const w = window('2026-03-01T09:00:00Z', '2026-03-01T09:30:00Z');
    const slow = new StorageArchiveReader(container, store);
    const slowRun = await run(slow, w, false);
    await run(new StorageArchiveReader(container, store), w);
    await expect(slow.commit(slowRun.batches.map((b) => b.cursor))).rejects.toThrow(/was moved by another run/);
  });

  it('reads a replaced blob again from the start; a line longer than one read still arrives whole', async () => {
    const container = await freshContainer();
    const reader = new StorageArchiveReader(container, new MemoryBlobCursorStore(), { maxBytesPerRead: 64 });
    const name = blobName('PG-1', '2026-03-01T09');
    const long = row('PG-1', '2026-03-01T09:00:00.000Z', `2026-03-01 09:00:00 UTC-65e1.1-LOG:  ${'é'.repeat(300)}`);
    await append(container, name, long + long);
    const first = await run(reader, window('2026-03-01T09:00:00Z', '2026-03-01T09:00:00Z'));
    expect(lines(first.items)).toEqual([JSON.parse(long).properties.message, JSON.parse(long).properties.message]);
    expect(first.batches.some((b) => b.replaced)).toBe(false);

    await container.getBlobClient(name).delete();
    const short = row('PG-1', '2026-03-01T09:10:00.000Z', '2026-03-01 09:10:00 UTC-65e1.1-LOG:  anew');
    await append(container, name, short);
    const again = await run(reader, window('2026-03-01T09:00:00Z', '2026-03-01T09:00:00Z'));
    expect(lines(again.items)).toEqual(['2026-03-01 09:10:00 UTC-65e1.1-LOG:  anew']);
    expect(locations(again.items)).toEqual(['h09:1']);
    expect(again.batches.every((b) => b.replaced)).toBe(true);
    expect(again.batches.at(-1)!.cursor).toMatchObject({ offset: Buffer.byteLength(short), lines: 1 } satisfies Partial<BlobCursor>);
  });

  it('gives the same events as the file reader for real pgAudit records of two servers, appended mid-line over many runs', async () => {
    const container = await freshContainer();
    const reader = new StorageArchiveReader(container, new MemoryBlobCursorStore(), { maxBytesPerRead: 700 });
    const fixture = readFileSync(FIXTURE, 'utf8');
    const second = fixture.replaceAll('FLEXIBLESERVERS/PG-FIXTURE-1', 'FLEXIBLESERVERS/PG-FIXTURE-2');
    const blobs = [[blobName('PG-FIXTURE-1', '2026-11-25T12'), fixture], [blobName('PG-FIXTURE-2', '2026-11-25T12'), second]] as const;
    const w = window('2026-11-25T11:30:00Z', '2026-11-25T12:30:00Z');
    const batches: SourceItem[][] = [];
    // Appends of uneven sizes that end mid-line (and mid-character is impossible here: the fixture is ASCII).
    for (let at = 0, step = 1; at < fixture.length; step++) {
      const next = Math.min(fixture.length, at + 2999 * step);
      for (const [name, text] of blobs) await append(container, name, text.slice(at, next));
      batches.push(...(await run(reader, w)).batches.map((b) => b.items));
      at = next;
    }
    const items = batches.flat();
    expect(items.filter((i) => 'problem' in i)).toEqual([]);
    expect(items).toHaveLength(2 * fixture.trimEnd().split('\n').length);

    const fromFile = await events(parseAuditLog(toStream(fixture), { format: 'azure-blob' }).events);
    expect(fromFile.length).toBeGreaterThan(50);
    const fromArchive = await events(mergeAuditRecords(toStream(...batches)).events);
    const byServer = (server: string) => fromArchive.filter((e) => e.server === server);
    expect(byServer('pg-fixture-1')).toEqual(fromFile);
    expect(byServer('pg-fixture-2')).toEqual(fromFile.map((e) => ({ ...e, server: 'pg-fixture-2' })));
    expect(fromArchive).toHaveLength(2 * fromFile.length);
  });
});

async function events(stream: AsyncIterable<AuditEvent>): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  for await (const e of stream) out.push(e);
  return out;
}

async function* toStream<T>(...values: T[]): AsyncGenerator<T> {
  for (const v of values) yield v;
}
