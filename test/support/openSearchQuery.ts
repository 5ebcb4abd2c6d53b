/**
 * The query side of the OpenSearch stand-in (fakeOpenSearch): what it understands of a search request, and
 * the refusal of anything else (400, as the service refuses what it cannot parse).
 */
export interface StoredDoc {
  _index: string;
  _id: string;
  _source: Record<string, unknown>;
}

export interface SearchRequest {
  size?: number;
  query?: Query;
  sort?: Record<string, { order?: string; unmapped_type?: string }>[];
  search_after?: unknown[];
  pit?: { id: string; keep_alive?: string };
  track_total_hits?: boolean;
}

type Query = Record<string, unknown>;

export class Refused extends Error {}

export function search(request: SearchRequest, source: Map<string, StoredDoc[]>): unknown[] {
  const docs = [...source.values()].flat().filter((d) => matches(request.query ?? { match_all: {} }, d._source));
  const size = request.size ?? 10;
  if (size > 10_000) throw new Refused(`size ${size} is over index.max_result_window`);
  if (request.sort === undefined) {
    if (request.search_after !== undefined) throw new Refused('search_after needs a sort');
    return docs.slice(0, size).map((d) => ({ ...d, _score: 1 }));
  }
  if (request.sort.length !== 1) throw new Refused('the stand-in sorts on one field');
  const [field, spec] = Object.entries(request.sort[0]!)[0]!;
  if ((spec.order ?? 'asc') !== 'asc') throw new Refused('the stand-in sorts ascending');
  const keyed = docs.map((d) => ({ d, t: dateMs(d._source[field]) ?? Number.MAX_SAFE_INTEGER }));
  // Ties in the stand-in's own order: unlike OpenSearch, which breaks them by shard and doc id per PIT.
  keyed.sort((a, b) => a.t - b.t);
  const after = request.search_after;
  if (after !== undefined && (after.length !== 1 || typeof after[0] !== 'number')) throw new Refused('search_after must match the sort (one number)');
  const from = after === undefined ? keyed : keyed.filter((k) => k.t > (after[0] as number));
  return from.slice(0, size).map(({ d, t }) => ({ ...d, _score: null, sort: [t] }));
}

function matches(query: Query, doc: Record<string, unknown>): boolean {
  const entries = Object.entries(query);
  if (entries.length !== 1) throw new Refused(`a query clause has ${entries.length} keys`);
  const [kind, spec] = entries[0]! as [string, Record<string, unknown>];
  switch (kind) {
    case 'match_all':
      return true;
    case 'bool': {
      const list = (key: string): Query[] => {
        const v = spec[key];
        return v === undefined ? [] : Array.isArray(v) ? (v as Query[]) : [v as Query];
      };
      for (const key of Object.keys(spec)) if (!['filter', 'must', 'should', 'must_not', 'minimum_should_match'].includes(key)) throw new Refused(`bool.${key}`);
      const should = list('should');
      const min = Number(spec.minimum_should_match ?? (list('filter').length + list('must').length > 0 ? 0 : 1));
      return (
        list('filter').every((q) => matches(q, doc)) &&
        list('must').every((q) => matches(q, doc)) &&
        !list('must_not').some((q) => matches(q, doc)) &&
        (should.length === 0 || should.filter((q) => matches(q, doc)).length >= min)
      );
    }
    case 'range': {
      const [field, bounds] = Object.entries(spec)[0]! as [string, Record<string, unknown>];
      const t = dateMs(doc[field]);
      if (t === null) return false;
      for (const op of Object.keys(bounds)) if (!['gt', 'gte', 'lt', 'lte', 'format'].includes(op)) throw new Refused(`range.${op}`);
      const bound = (op: string) => (bounds[op] === undefined ? null : dateMs(bounds[op]));
      const gt = bound('gt'), gte = bound('gte'), lt = bound('lt'), lte = bound('lte');
      return (gt === null || t > gt) && (gte === null || t >= gte) && (lt === null || t < lt) && (lte === null || t <= lte);
    }
    case 'match_phrase': {
      const [field, phrase] = Object.entries(spec)[0]! as [string, unknown];
      if (typeof phrase !== 'string') throw new Refused('match_phrase takes a string here');
      const value = doc[field];
      // A multi-valued field matches when one of its values does.
      const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
      const want = tokens(phrase);
      return values.some((text) => {
        const words = tokens(text);
        for (let i = 0; i + want.length <= words.length; i++) if (want.every((w, j) => words[i + j] === w)) return true;
        return false;
      });
    }
    default:
      throw new Refused(`query type [${kind}] is not supported by the stand-in`);
  }
}

function tokens(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter((t) => t !== '');
}

function dateMs(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
