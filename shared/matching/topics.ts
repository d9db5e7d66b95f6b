import pluralize from 'pluralize';
import builtInSynonyms from './topic-synonyms.json' with { type: 'json' };

/** Canonical topic → the other ways people write it. */
export type SynonymTable = Readonly<Record<string, readonly string[]>>;

/** Alias key → canonical key, both normalized. */
export type SynonymIndex = ReadonlyMap<string, string>;

/** Short words are mostly acronyms (AWS, GIS, iOS): stripping an "s" would break them. */
const shortestPlural = 4;

/** Case, accents, punctuation and plurals removed: "Data-Visualisations!" → "data visualisation". */
export function normalizeTopic(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replaceAll('&', ' and ')
    .replace(/[^a-z0-9+#]+/g, ' ')
    .trim()
    .split(' ')
    .map((word) => (word.length >= shortestPlural && /^[a-z]+$/.test(word) ? pluralize.singular(word) : word))
    .join(' ');
}

/** Tandem's synonym table plus the program's own, keyed the way topics are compared. */
export function synonymIndex(programSynonyms: SynonymTable = {}): SynonymIndex {
  const index = new Map<string, string>();
  const add = (table: SynonymTable) => {
    for (const [canonical, aliases] of Object.entries(table)) {
      const target = normalizeTopic(canonical);
      const resolved = index.get(target) ?? target;
      for (const alias of aliases) index.set(normalizeTopic(alias), resolved);
    }
  };
  add(builtInSynonyms);
  add(programSynonyms);
  return index;
}

/** The key two topics share when they mean the same thing. */
export function topicKey(text: string, synonyms: SynonymIndex): string {
  const normalized = normalizeTopic(text);
  return synonyms.get(normalized) ?? normalized;
}
