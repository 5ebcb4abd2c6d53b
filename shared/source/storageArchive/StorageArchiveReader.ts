import type { BlobItem, ContainerClient } from '@azure/storage-blob';
import { azureStatusCode } from '../../errors/describeAzureError';
import { azureNdjsonLine } from '../readAzureRows';
import { MAX_RECORD_CHARS } from '../sourceLimits';
import type { SourceItem } from '../SourceRecord';
import { hourPrefix, hoursOverlapping, isServerPrefix, serverOfPrefix } from './archiveBlobNames';
import type { BlobCursor, BlobCursorStore } from './BlobCursorStore';
import { StorageArchiveError } from './StorageArchiveError';

/** The record hours to look at: every UTC hour folder overlapping [start, end] (start = now − lateness). */
export interface ArchiveWindow {
  start: Date;
  end: Date;
}

/** New complete lines of one blob, and the cursor to commit once the caller has processed them. */
export interface ArchiveBatch {
  blob: string;
  server: string | null;
  /** May be empty (lines of another category, blank lines): the cursor still moves. */
  items: SourceItem[];
  cursor: BlobCursor;
  /** The blob was replaced since its cursor was stored and is being read again from the start (worth a log line). */
  replaced: boolean;
}

export interface StorageArchiveReaderOptions {
  /** Most bytes fetched by one ranged read (default 4 MiB); a longer line is read over several. */
  maxBytesPerRead?: number;
  /** Where server folders are looked for (default `resourceId=/`); e.g. one subscription's folder. */
  resourcePrefix?: string;
  /**
   * Longest record kept, in bytes (default MAX_RECORD_CHARS): a longer line is cut there and flagged
   * `oversized`, as the file readers do, and the rest of it is skipped as it is read (memory stays bounded).
   */
  maxRecordBytes?: number;
  /** A window over more hour folders than this (default 168, a week) is refused: each costs a listing per server. */
  maxWindowHours?: number;
  /** Lower-case server names whose folders are read (PG_SERVERS); empty or absent: every server's. */
  servers?: readonly string[];
}

/** Folder levels between `resourceId=/` and a server folder are 8; more means this is not an archive. */
const MAX_DEPTH = 12;

/**
 * Reads the diagnostic settings' Storage archive (`insights-logs-postgresqllogs`): append blobs
 * `…/FLEXIBLESERVERS/<NAME>/y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json` that grow through their hour, one JSON
 * record per line.
 *
 * - Lists only what the window needs: server folders by delimiter listing (never below a server folder),
 *   then one listing per server and hour folder inside the window. A blob that appears late in an older
 *   hour of the window is found by the next run that lists that hour.
 * - Reads only bytes after the blob's cursor, with ranged reads, up to the length the listing reported.
 *   Only complete lines are handed out: a trailing part without its newline is left for the next run,
 *   unless it is a whole JSON object already (an object cannot continue past its closing brace).
 * - Nothing is remembered until `commit`: a run that dies between `read` and `commit` reads the same
 *   bytes again next time (at-least-once; the alert ledger drops what was already sent).
 * - A blob whose creation time changed, or that is now shorter than its cursor, was replaced: it is read
 *   again from the start, and the ledger drops alerts already sent for its old content.
 */
export class StorageArchiveReader {
  /** The store version each blob's cursor had when read: commits are conditional on it. */
  private readonly versions = new Map<string, string | null>();
  private readonly maxBytes: number;
  private readonly resourcePrefix: string;
  private readonly maxWindowHours: number;
  private readonly maxRecordBytes: number;
  private readonly servers: ReadonlySet<string>;

  constructor(private readonly container: ContainerClient, private readonly cursors: BlobCursorStore,
    options: StorageArchiveReaderOptions = {}) {
    this.maxBytes = options.maxBytesPerRead ?? 4 * 1024 * 1024;
    this.resourcePrefix = options.resourcePrefix ?? 'resourceId=/';
    this.maxWindowHours = options.maxWindowHours ?? 168;
    this.maxRecordBytes = options.maxRecordBytes ?? MAX_RECORD_CHARS;
    this.servers = new Set(options.servers ?? []);
    if (!(this.maxBytes > 0)) throw new Error(`maxBytesPerRead must be positive, got ${this.maxBytes}`);
  }

  /** New lines of every blob in the window's hour folders, hour by hour (oldest first), then server by server. */
  async *read(window: ArchiveWindow): AsyncGenerator<ArchiveBatch> {
    if (window.end.getTime() < window.start.getTime()) {
      throw new Error(`Storage archive window ends (${window.end.toISOString()}) before it starts (${window.start.toISOString()})`);
    }
    const hours = hoursOverlapping(window.start, window.end);
    if (hours.length > this.maxWindowHours) {
      throw new Error(`Storage archive window ${window.start.toISOString()} – ${window.end.toISOString()} spans ${hours.length} hour folders, more than the ${this.maxWindowHours} allowed`);
    }
    const servers = (await this.serverPrefixes(this.resourcePrefix, 0))
      .filter((prefix) => this.servers.size === 0 || this.servers.has(serverOfPrefix(prefix) ?? ''));
    for (const hour of hours) {
      for (const server of servers) {
        for (const blob of await this.listHour(server + hourPrefix(hour))) yield* this.readBlob(blob, serverOfPrefix(server));
      }
    }
  }

  /**
   * Stores the cursors of batches the caller has processed (the last one per blob wins), each conditional
   * on the version read. Throws BlobCursorConflictError when another run moved a cursor in between.
   */
  async commit(cursors: BlobCursor[]): Promise<void> {
    const last = new Map<string, BlobCursor>();
    for (const cursor of cursors) last.set(cursor.blob, cursor);
    for (const cursor of last.values()) {
      const version = await this.cursors.put(cursor, this.versions.get(cursor.blob) ?? null);
      this.versions.set(cursor.blob, version);
    }
  }

  private async serverPrefixes(prefix: string, depth: number): Promise<string[]> {
    if (isServerPrefix(prefix)) return [prefix];
    // Never below an hour folder's parents: a prefix that is already a date level is not a resource path.
    if (depth >= MAX_DEPTH || /\/y=\d{4}\/$/.test(prefix)) return [];
    const children: string[] = [];
    try {
      for await (const item of this.container.listBlobsByHierarchy('/', { prefix })) {
        if (item.kind === 'prefix') children.push(item.name);
      }
    } catch (err) {
      throw new StorageArchiveError('listing', `${this.container.containerName}/${prefix}`, err);
    }
    const found: string[] = [];
    for (const child of children) found.push(...(await this.serverPrefixes(child, depth + 1)));
    return found;
  }

  private async listHour(prefix: string): Promise<BlobItem[]> {
    const blobs: BlobItem[] = [];
    try {
      for await (const blob of this.container.listBlobsFlat({ prefix })) blobs.push(blob);
    } catch (err) {
      throw new StorageArchiveError('listing', `${this.container.containerName}/${prefix}`, err);
    }
    return blobs;
  }

  private async *readBlob(blob: BlobItem, server: string | null): AsyncGenerator<ArchiveBatch> {
    const name = blob.name;
    const length = blob.properties.contentLength ?? 0;
    const etag = blob.properties.etag;
    const createdOn = blob.properties.createdOn?.toISOString() ?? null;
    const stored = await this.cursors.get(name);
    this.versions.set(name, stored?.version ?? null);
    const replaced = stored !== null &&
      ((stored.createdOn !== null && createdOn !== null && stored.createdOn !== createdOn) || length < stored.offset);
    const start = stored === null || replaced ? { offset: 0, lines: 0 } : stored;
    if (!replaced && stored !== null && stored.etag === etag && stored.offset >= length) return;

    let offset = start.offset;
    let lines = start.lines;
    let carry: Buffer = Buffer.alloc(0);
    /** The kept head of a line longer than maxRecordBytes whose newline has not been read yet. */
    let cutHead: Buffer | null = null;
    let skipped = 0;
    const cursorAt = (): BlobCursor => ({ blob: name, offset, lines, etag, createdOn });
    const readTo = () => offset + carry.length + (cutHead?.length ?? 0) + skipped;
    while (readTo() < length) {
      const from = readTo();
      const chunk = await this.download(name, from, Math.min(this.maxBytes, length - from));
      if (chunk === null) return; // replaced while we read: the next run starts it again
      const items: SourceItem[] = [];
      let buffer = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      let consumed = 0;
      if (cutHead !== null) {
        const newline = buffer.indexOf(0x0a);
        if (newline < 0) { skipped += buffer.length; carry = Buffer.alloc(0); continue; }
        lines++;
        azureNdjsonLine(cutHead.toString('utf8'), `${name}:${lines}`, server, items, true);
        consumed = cutHead.length + skipped + newline + 1;
        buffer = buffer.subarray(newline + 1);
        cutHead = null;
        skipped = 0;
      }
      const end = buffer.lastIndexOf(0x0a) + 1;
      carry = buffer.subarray(end);
      if (carry.length > this.maxRecordBytes) {
        cutHead = Buffer.from(carry.subarray(0, this.maxRecordBytes));
        skipped = carry.length - this.maxRecordBytes;
        carry = Buffer.alloc(0);
      }
      for (const line of buffer.subarray(0, end).toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        lines++;
        const cut = Buffer.byteLength(line) > this.maxRecordBytes;
        azureNdjsonLine(cut ? Buffer.from(line).subarray(0, this.maxRecordBytes).toString('utf8') : line, `${name}:${lines}`, server, items, cut);
      }
      if (consumed + end === 0) continue; // one line longer than a read so far
      offset += consumed + end;
      yield { blob: name, server, items, cursor: cursorAt(), replaced };
    }
    if (carry.length > 0 && isWholeObject(carry.toString('utf8'))) {
      const items: SourceItem[] = [];
      lines++;
      azureNdjsonLine(carry.toString('utf8'), `${name}:${lines}`, server, items);
      offset += carry.length;
      yield { blob: name, server, items, cursor: cursorAt(), replaced };
    }
  }

  /** Bytes [from, from + count) of the blob; null when it is no longer that long (replaced meanwhile). */
  private async download(name: string, from: number, count: number): Promise<Buffer | null> {
    try {
      const response = await this.container.getBlobClient(name).download(from, count);
      const body = response.readableStreamBody;
      if (!body) throw new Error('the response has no body');
      const parts: Buffer[] = [];
      for await (const part of body) parts.push(typeof part === 'string' ? Buffer.from(part) : (part as Buffer));
      return Buffer.concat(parts);
    } catch (err) {
      if (azureStatusCode(err) === 416) return null;
      throw new StorageArchiveError('reading', `${this.container.containerName}/${name} from byte ${from}`, err);
    }
  }
}

function isWholeObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
