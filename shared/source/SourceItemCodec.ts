import { mayMatter } from './mayMatter';
import type { SourceItem, SourceRecord } from './SourceRecord';

// One flat array per batch (the structured clone of a few strings and numbers is far cheaper than of
// an object per row). Each item starts with its tag:
const LINE = 0; //           location, line, rowTime, rowPid, rowContext (undefined: no such column)              (server as the previous record's)
const SERVER = 1; //         server                                        (the following records' server)
const FIELDS = 2; //         location, rowTime, rowPid, time (as written), pid, sessionId, sessionLine, user, database,
//                           application, client, severity, message, context
const PROBLEM = 3; //        location, message
const COUNT_LINES = 4; //    n: line records that do not matter (see mayMatter), only counted downstream
const COUNT_OTHERS = 5; //   n: such records without a line (csvlog/jsonlog columns)
const OVERSIZED = 6; //      (nothing): the next record is flagged oversized
const NOTE = 7; //           note: the next record carries this note (SourceRecord.note)
const JOINS = 8; //          n, offset1 .. offsetN: the next (line) record's joins

type Encoded = (string | number | null)[];
/** rowContext of a row shape without a Context column (undefined does not survive every transfer). */
const NO_COLUMN = -1;

/**
 * Records that do not matter, standing in for those sent as a count. Their empty text makes every stage
 * skip them exactly as it skips the real text (the merger only counts them), and whether a line is
 * present is kept, as the merger samples line records for the prefix. Shared and never mutated: no
 * stage writes to source records.
 */
const COUNTED_LINE: SourceItem = { record: { location: '', server: null, line: '', rowTime: null, rowPid: null } };
const COUNTED_OTHER: SourceItem = {
  record: {
    location: '', server: null, rowTime: null, rowPid: null,
    fields: { time: null, pid: null, sessionId: null, sessionLine: null, user: null, database: null, application: null, client: null, severity: '', message: '', context: null },
  },
};

/** Encodes batches in the source worker. Stateful: a server name is sent once, when it changes. */
export class SourceItemEncoder {
  private server: string | null = null;

  encode(items: SourceItem[]): Encoded {
    const out: Encoded = [];
    let countTag = COUNT_LINES;
    let counted = 0;
    for (const item of items) {
      if (!('record' in item)) {
        if (counted > 0) counted = flushCount(out, countTag, counted);
        out.push(PROBLEM, item.problem.location, item.problem.message);
        continue;
      }
      const r = item.record;
      // An oversized record is always sent (its flag is counted downstream), never only counted; so is a note.
      if (!r.oversized && r.note === undefined && !mayMatter(r.line ?? r.fields?.message ?? '')) {
        const tag = r.line !== undefined ? COUNT_LINES : COUNT_OTHERS;
        if (counted > 0 && tag !== countTag) counted = flushCount(out, countTag, counted);
        countTag = tag;
        // A joined record that does not matter is as many lines, whichever way the parse stage reads it.
        counted += 1 + (r.joins?.length ?? 0);
        continue;
      }
      if (counted > 0) counted = flushCount(out, countTag, counted);
      if (r.server !== this.server) {
        out.push(SERVER, r.server);
        this.server = r.server;
      }
      if (r.oversized) out.push(OVERSIZED);
      if (r.joins !== undefined) out.push(JOINS, r.joins.length, ...r.joins);
      if (r.note !== undefined) out.push(NOTE, r.note);
      const f = r.fields;
      if (f) {
        out.push(FIELDS, r.location, r.rowTime, r.rowPid, f.time, f.pid, f.sessionId, f.sessionLine, f.user, f.database, f.application, f.client, f.severity, f.message, f.context);
      } else {
        out.push(LINE, r.location, r.line ?? null, r.rowTime, r.rowPid, r.rowContext === undefined ? NO_COLUMN : r.rowContext);
      }
    }
    if (counted > 0) flushCount(out, countTag, counted);
    return out;
  }
}

function flushCount(out: Encoded, tag: number, counted: number): number {
  out.push(tag, counted);
  return 0;
}

/** Decodes batches on the main thread; the inverse of SourceItemEncoder, item for item. */
export class SourceItemDecoder {
  private server: string | null = null;

  decode(data: Encoded): SourceItem[] {
    const out: SourceItem[] = [];
    let oversized = false;
    let joins: number[] | null = null;
    let note: string | null = null;
    // Casts inline (no helper closures): this runs for every row of the input.
    for (let i = 0; i < data.length; ) {
      switch (data[i]) {
        case LINE: {
          const record: SourceRecord = {
            location: data[i + 1] as string, server: this.server, line: (data[i + 2] as string | null) ?? undefined,
            rowTime: data[i + 3] as string | null, rowPid: data[i + 4] as number | null,
          };
          const context = data[i + 5];
          if (context !== NO_COLUMN) record.rowContext = context as string | null;
          if (oversized) {
            record.oversized = true;
            oversized = false;
          }
          if (joins !== null) {
            record.joins = joins;
            joins = null;
          }
          if (note !== null) {
            record.note = note;
            note = null;
          }
          out.push({ record });
          i += 6;
          break;
        }
        case SERVER:
          this.server = data[i + 1] as string | null;
          i += 2;
          break;
        case FIELDS: {
          const record: SourceRecord = {
            location: data[i + 1] as string, server: this.server, rowTime: data[i + 2] as string | null, rowPid: data[i + 3] as number | null,
            fields: {
              time: data[i + 4] as string | null, pid: data[i + 5] as number | null, sessionId: data[i + 6] as string | null,
              sessionLine: data[i + 7] as number | null, user: data[i + 8] as string | null, database: data[i + 9] as string | null,
              application: data[i + 10] as string | null, client: data[i + 11] as string | null, severity: data[i + 12] as string,
              message: data[i + 13] as string, context: data[i + 14] as string | null,
            },
          };
          if (oversized) {
            record.oversized = true;
            oversized = false;
          }
          if (note !== null) {
            record.note = note;
            note = null;
          }
          out.push({ record });
          i += 15;
          break;
        }
        case OVERSIZED:
          oversized = true;
          i += 1;
          break;
        case JOINS: {
          const n = data[i + 1] as number;
          joins = data.slice(i + 2, i + 2 + n) as number[];
          i += 2 + n;
          break;
        }
        case NOTE:
          note = data[i + 1] as string;
          i += 2;
          break;
        case PROBLEM:
          out.push({ problem: { location: data[i + 1] as string, message: data[i + 2] as string } });
          i += 3;
          break;
        case COUNT_LINES:
        case COUNT_OTHERS: {
          const item = data[i] === COUNT_LINES ? COUNTED_LINE : COUNTED_OTHER;
          for (let n = data[i + 1] as number; n > 0; n--) out.push(item);
          i += 2;
          break;
        }
        default:
          throw new Error(`source worker batch: unknown item tag ${String(data[i])} at ${i}`);
      }
    }
    return out;
  }
}
