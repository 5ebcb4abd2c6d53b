import { sessionStartTime } from '../../model/sessionId';
import type { ScanWindow } from '../ScanWindow';
import type { SourceItem } from '../SourceRecord';
import { sessionLookupQuery, windowQuery } from './buildOpenSearchQuery';
import { detectDocumentFields, FIELD_SAMPLE } from './detectDocumentFields';
import { describeFields, type DocumentFields, fieldValue } from './DocumentFields';
import { documentToItems } from './documentToItems';
import type { OpenSearchApi } from './OpenSearchApi';
import type { OpenSearchSettings } from './OpenSearchSettings';
import { DEFAULT_PAGING_LIMITS, type PagingLimits, retried, searchAllPages } from './searchAllPages';

export interface OpenSearchReaderDeps {
  api: OpenSearchApi;
  settings: Pick<OpenSearchSettings, 'openSearchIndex' | 'openSearchMessageField' | 'openSearchTimeField' | 'openSearchServerField' | 'openSearchMaxLatenessMs'>;
  limits?: Partial<PagingLimits>;
  /** Injected for tests; default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

/** Session lookups go this far around the start a `%c` id encodes (its connection lines are logged then). */
const LOOKUP_BEFORE_MS = 5 * 60_000;
const LOOKUP_AFTER_MS = 60 * 60_000;
const LOOKUP_MAX_IDS = 100;
/**
 * How far before a window its session lines are read (see windowQuery): a session open longer than this
 * when its statements are re-read may be named differently than before, and alert again.
 */
export const SESSION_LINES_BEFORE_MS = 24 * 3_600_000;

/**
 * Reads Aiven's log documents from OpenSearch for a scan window. The window is by document time: its
 * lower end moved back by OPENSEARCH_MAX_LATENESS, so a document indexed late is still read by a later run
 * (the ledger drops what was already alerted). Fields not set are detected once, from the first
 * documents; `notes()` says which were used and anything the run should report.
 */
export class OpenSearchLogReader {
  readonly description: string;
  private fields: DocumentFields | null = null;
  private readonly pending: string[] = [];
  private readonly limits: PagingLimits;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: OpenSearchReaderDeps) {
    this.description = deps.api.description;
    this.limits = { ...DEFAULT_PAGING_LIMITS, ...deps.limits };
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** The documents of the window that can matter, as source items, in time order. */
  async *scanRows(window: ScanWindow): AsyncGenerator<SourceItem[]> {
    const fields = await this.documentFields();
    const from = window.ingestedAfter.getTime() - this.deps.settings.openSearchMaxLatenessMs;
    yield* this.items(windowQuery(fields, from, window.ingestedBefore.getTime(), from - SESSION_LINES_BEFORE_MS), fields, from);
  }

  /** The connection lines of `%c` sessions (ids of another shape cannot be searched for and are skipped). */
  async *lookupSessions(server: string, sessionIds: string[]): AsyncGenerator<SourceItem[]> {
    const ids = [...new Set(sessionIds)].filter((id) => sessionStartTime(id) !== null);
    if (ids.length === 0) return;
    const fields = await this.documentFields();
    for (let i = 0; i < ids.length; i += LOOKUP_MAX_IDS) {
      const chunk = ids.slice(i, i + LOOKUP_MAX_IDS);
      const starts = chunk.map((id) => sessionStartTime(id)!.getTime());
      yield* this.items(sessionLookupQuery(fields, server, chunk, Math.min(...starts) - LOOKUP_BEFORE_MS, Math.max(...starts) + LOOKUP_AFTER_MS), fields);
    }
  }

  /** What the run summary should say (the fields chosen, a point in time reopened), each once: taken by the call. */
  notes(): string[] {
    return this.pending.splice(0);
  }

  /** The documents of a query as items; those up to `sessionLinesUntil` only when they are session lines. */
  private async *items(query: unknown, fields: DocumentFields, sessionLinesUntil = Number.NEGATIVE_INFINITY): AsyncGenerator<SourceItem[]> {
    const paging = { api: this.deps.api, limits: this.limits, sleep: this.sleep, note: (m: string) => void this.pending.push(m) };
    for await (const hits of searchAllPages(paging, this.deps.settings.openSearchIndex, query, fields.time)) {
      const out: SourceItem[] = [];
      for (const hit of hits) {
        // The phrase filter also matches a statement that quotes a session line: before the window only
        // the session lines themselves are wanted (an old record is not read again).
        if (typeof hit.sort?.[0] === 'number' && hit.sort[0] <= sessionLinesUntil && !isSessionLine(fieldValue(asObject(hit._source), fields.message))) continue;
        documentToItems(hit._source, fields, `${hit._index}/${hit._id}`, out);
      }
      yield out;
    }
  }

  /** The configured fields, the unset ones detected from the first documents of the index pattern. */
  private async documentFields(): Promise<DocumentFields> {
    if (this.fields !== null) return this.fields;
    const s = this.deps.settings;
    const configured = { message: s.openSearchMessageField, time: s.openSearchTimeField, server: s.openSearchServerField };
    let sample: Record<string, unknown>[] = [];
    if (configured.message === null || configured.time === null || configured.server === null) {
      const response = await retried({ limits: this.limits, sleep: this.sleep }, () =>
        this.deps.api.search({ size: FIELD_SAMPLE, query: { match_all: {} } }, s.openSearchIndex),
      );
      sample = response.hits.hits.map((h) => h._source).filter((d): d is Record<string, unknown> => typeof d === 'object' && d !== null && !Array.isArray(d));
    }
    this.fields = detectDocumentFields(sample, configured);
    this.pending.push(`${this.description}: fields ${describeFields(this.fields)}`);
    return this.fields;
  }
}

/** The first `SEVERITY:  ` of the text is the record's; a session line's message follows it. */
function isSessionLine(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  const severity = /[A-Z][A-Z0-9]*: {2}/.exec(text.length > 4096 ? text.slice(0, 4096) : text);
  if (severity === null) return false;
  const rest = text.slice(severity.index + severity[0].length, severity.index + severity[0].length + 24);
  return rest.startsWith('connection received: ') || rest.startsWith('connection authorized: ') || rest.startsWith('disconnection: ');
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
