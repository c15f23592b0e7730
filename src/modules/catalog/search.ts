import MiniSearch, { type SearchResult } from 'minisearch';
import { syllables } from '../../platform/text/fold.ts';

/**
 * Procedure search: accent-free, typo-tolerant, ranked. Rules that matter for Vietnamese:
 * - words are syllables, so two-syllable words ("khai sinh") are indexed as bigrams too and a
 *   phrase match outranks scattered syllables;
 * - "y" and "i" are interchangeable in spelling (ký/kí, lý/lí), so both fold to "i";
 * - citizens' everyday words ("bằng lái", "sổ đỏ", "cccd") expand to the official terms.
 */
export interface SearchDoc {
  code: string;
  name: string;
  nameEn: string;
  keywords: string[];
  domainName: string;
  domainCode: string;
  onlineLevel: string;
  levels: string[];
}

export interface SearchFilters {
  domain?: string;
  onlineLevel?: string;
  level?: string;
}

const spellingVariant = (s: string) => s.replace(/y/g, 'i');

/** Syllables plus adjacent-syllable bigrams, folded. */
export function searchTerms(text: string): string[] {
  const words = syllables(text).map(spellingVariant);
  const terms = [...words];
  for (let i = 0; i + 1 < words.length; i++) terms.push(`${words[i]}_${words[i + 1]}`);
  return terms;
}

export class SynonymTable {
  private readonly entries: { key: string[]; expansion: string }[] = [];
  constructor(map: Record<string, string[]>) {
    for (const [key, values] of Object.entries(map)) {
      const keyWords = syllables(key).map(spellingVariant);
      for (const value of values) this.entries.push({ key: keyWords, expansion: value });
    }
    // Longest keys first, so "bằng lái xe" wins over "lái xe".
    this.entries.sort((a, b) => b.key.length - a.key.length);
  }

  /** The official phrases that the query's everyday words stand for. */
  expand(query: string): string[] {
    const words = syllables(query).map(spellingVariant);
    const out = new Set<string>();
    for (const { key, expansion } of this.entries) {
      if (key.length && containsRun(words, key)) out.add(expansion);
    }
    return [...out];
  }
}

function containsRun(words: string[], run: string[]): boolean {
  outer: for (let i = 0; i + run.length <= words.length; i++) {
    for (let j = 0; j < run.length; j++) if (words[i + j] !== run[j]) continue outer;
    return true;
  }
  return false;
}

// "Thủ tục" opens many names and says nothing about which procedure it is.
const filler = new Set(['thu', 'tuc']);
function nameWords(name: string): string[] {
  return syllables(name)
    .map(spellingVariant)
    .filter((w) => !filler.has(w));
}

/** The share of the name's words that the citizen typed: "đăng ký kết hôn" covers all of one name. */
function coverage(words: string[] | undefined, asked: Set<string>): number {
  if (!words?.length) return 0;
  return words.filter((w) => asked.has(w)).length / words.length;
}

export class ProcedureIndex {
  private readonly mini: MiniSearch<SearchDoc>;
  readonly size: number;

  constructor(
    docs: SearchDoc[],
    private readonly synonyms: SynonymTable,
  ) {
    this.mini = new MiniSearch<SearchDoc>({
      idField: 'code',
      fields: ['name', 'keywordText', 'domainName', 'code', 'nameEn'],
      storeFields: ['code', 'domainCode', 'onlineLevel', 'levels', 'nameWords'],
      extractField: (doc, field) => {
        if (field === 'keywordText') return doc.keywords.join(' | ');
        if (field === 'nameWords') return nameWords(doc.name) as unknown as string;
        return (doc as unknown as Record<string, unknown>)[field] as string;
      },
      tokenize: (text, field) => (field === 'code' ? [text] : text.split(' | ').flatMap(searchTerms)),
      processTerm: (term) => term,
      searchOptions: { tokenize: searchTerms, processTerm: (t) => t },
    });
    this.mini.addAll(docs);
    this.size = docs.length;
  }

  search(query: string, filters: SearchFilters = {}): SearchResult[] {
    const q = query.trim();
    if (!q) return [];
    const filter = (r: SearchResult) =>
      (!filters.domain || r.domainCode === filters.domain) &&
      (!filters.onlineLevel || r.onlineLevel === filters.onlineLevel) &&
      (!filters.level || (r.levels as string[]).includes(filters.level));
    const expansions = this.synonyms.expand(q);
    const asked = new Set([q, ...expansions].flatMap((text) => syllables(text).map(spellingVariant)));
    const queries = [q, ...expansions].map((text) => ({
      queries: searchTerms(text),
      combineWith: 'OR' as const,
    }));
    const results = this.mini.search(
      { queries, combineWith: 'OR' },
      {
        boost: { name: 3, keywordText: 2.5, code: 5, domainName: 0.5, nameEn: 1 },
        // Bigrams weigh double: "khai sinh" together means more than "khai" and "sinh" apart.
        boostTerm: (term) => (term.includes('_') ? 2 : 1),
        // Short syllables are exact; longer terms and bigrams forgive one typo.
        fuzzy: (term) => (term.length >= 6 ? 0.2 : term.length >= 4 && !/^\d+$/.test(term) ? 1 : false),
        prefix: (term, i, terms) => i === terms.length - 1 && term.length >= 2,
        weights: { fuzzy: 0.45, prefix: 0.6 },
        // Between equally good matches the shorter name is the general procedure
        // ("đăng ký kết hôn" before "đăng ký kết hôn lưu động").
        boostDocument: (_id, _term, stored) => 1 + 0.5 * coverage(stored?.nameWords as string[] | undefined, asked),
        // Weak length normalisation: a procedure with many everyday keywords is not penalised for them.
        bm25: { k: 1.2, b: 0.3, d: 0.5 },
        filter,
      },
    );
    // Drop the long tail of results that share only a common syllable ("đăng", "ký") with the query.
    const top = results[0]?.score ?? 0;
    return results.filter((r) => r.score >= top * 0.25);
  }
}
