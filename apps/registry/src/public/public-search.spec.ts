import { describe, expect, it } from '@jest/globals';
import { SEARCHED_PATHS } from '../../../../migrations/1764900000000-FullTextSearch.js';
import { DECLARATION_SCHEMA } from '../declarations/schema/declaration.schema.js';
import { queryWords, searchConfigs, searchVariants } from './public-search.js';

const read = (text: string) => `'${text}'`;

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  'x-visibility'?: string;
}

/** Every free-text field whose own level and every enclosing one is `public`, as a JSON path. */
function publicTextPaths(node: SchemaNode, path = '$'): string[] {
  if (node.type === 'string') return !node.enum && !node.format && !node.pattern ? [path] : [];
  if (node.items) return publicTextPaths(node.items, `${path}[*]`);
  return Object.entries(node.properties ?? {})
    .filter(([, child]) => child['x-visibility'] === 'public')
    .flatMap(([name, child]) => publicTextPaths(child, `${path}.${name}`));
}

describe('the text the public search indexes', () => {
  it("is exactly the declaration schema's public free text: nothing restricted, and nothing public left out", () => {
    // A field made restricted must leave the index (this fails until a migration takes it out);
    // a public field added must enter it.
    const indexed = Object.values(SEARCHED_PATHS).flat().sort();
    expect(indexed).toEqual(publicTextPaths(DECLARATION_SCHEMA as unknown as SchemaNode).sort());
  });
});

describe('the words of a search', () => {
  it('tells the words asked for from those excluded, in websearch syntax', () => {
    expect(queryWords('"facial recognition" metro -pilot or trial')).toEqual({
      wanted: ['facial', 'recognition', 'metro', 'trial'],
      excluded: ['pilot'],
      asked: '"facial recognition" metro or trial',
    });
    expect(queryWords('-"number plates" cameras')).toEqual({ wanted: ['cameras'], excluded: ['number', 'plates'], asked: 'cameras' });
    expect(queryWords('  ')).toEqual({ wanted: [], excluded: [], asked: '' });
    expect(queryWords('"unclosed quote')).toEqual({ wanted: ['unclosed', 'quote'], excluded: [], asked: '"unclosed quote' });
  });

  it('tries all the words, then any of them, then similar names; a single word skips "any"', () => {
    expect(searchVariants({ q: 'reconhecimento facial' }, read).map((v) => v.match)).toEqual(['all', 'any', 'similar']);
    expect(searchVariants({ q: 'transcritor' }, read).map((v) => v.match)).toEqual(['all', 'similar']);
    // Only words to leave out: every tool (websearch_to_tsquery reads "-pilot" alone as nothing).
    expect(searchVariants({ q: '-pilot' }, read).map((v) => v.match)).toEqual([undefined]);
    const [plain] = searchVariants({ riskClass: 'high_risk', crimeArea: 'fraud' }, read);
    expect([plain!.where, plain!.params]).toEqual(['s.risk_class = $1 AND s.crime_areas @> ARRAY[$2]::text[]', ['high_risk', 'fraud']]);
  });

  it("reads a query in the declarations' languages that the database has a stemmer for", () => {
    expect(searchConfigs(['simple', 'custodia_simple', 'custodia_english', 'custodia_estonian', 'custodia_klingon'])).toEqual(['custodia_english', 'custodia_estonian', 'custodia_simple']);
    expect(searchConfigs(['simple', 'english', 'custodia_english', 'custodia_simple'])).toEqual(['custodia_english', 'custodia_simple']);
    const [all] = searchVariants({ q: 'plates' }, read);
    expect([all!.where, all!.params]).toEqual(['(s.document @@ $1::tsquery)', ["'plates'"]]);
  });

  it('passes what the reader typed only as parameters, never into the SQL', () => {
    const typed = `x'); DROP TABLE tools; --`;
    for (const variant of searchVariants({ q: `${typed} other`, country: 'CR' }, read)) {
      expect(variant.where).not.toContain('DROP');
      const params: unknown[] = [];
      expect(variant.score!((value) => `$${params.push(value)}`)).not.toContain('DROP');
      expect(variant.params.join(' ')).toContain('DROP');
    }
  });
});
