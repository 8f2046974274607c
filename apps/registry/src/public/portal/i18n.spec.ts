import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ASSESSMENT_SCHEMAS } from '../../declarations/assessments/assessment.schemas.js';
import { INCIDENT_SCHEMA } from '../../declarations/incidents/incident.schema.js';
import { AUTHORISATION_SCHEMA } from '../../declarations/authorisations/authorisation.schema.js';
import { fieldVisibilities } from '../../declarations/schema/declaration-validator.js';
import { DECLARATION_SCHEMA } from '../../declarations/schema/declaration.schema.js';
import type { SchemaNode } from './present.js';
import { LANGUAGES, PortalI18n } from './i18n.js';
import { I18N_DIR, VIEWS_DIR } from './portal-files.js';

const keys = (value: unknown, prefix = ''): string[] =>
  value !== null && typeof value === 'object'
    ? Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k))
    : [prefix];
// The t('section.key') calls of the templates in a folder.
const usedKeys = (dir: string) => readdirSync(dir).filter((file) => file.endsWith('.njk'))
  .flatMap((file) => [...readFileSync(join(dir, file), 'utf8').matchAll(/\bt\('([a-zA-Z]+\.[a-zA-Z.-]*[a-zA-Z])'/g)].map((m) => m[1]));
const catalogue = (lang: string, file: string) => JSON.parse(readFileSync(join(I18N_DIR, lang, file), 'utf8')) as Record<string, unknown>;

describe('the portal translations', () => {
  it.each(['portal.json', 'fields.json', 'console.json'])('%s has the same keys in every language', (file) => {
    const english = keys(catalogue('en', file)).sort();
    for (const lang of LANGUAGES) expect([lang, keys(catalogue(lang, file)).sort()]).toEqual([lang, english]);
  });

  it.each(['portal.json', 'console.json'])('%s keeps every placeholder of the English text', (file) => {
    const english = catalogue('en', file);
    for (const lang of LANGUAGES) {
      const translated = catalogue(lang, file);
      for (const key of keys(english)) {
        const get = (root: Record<string, unknown>) => key.split('.').reduce<unknown>((node, step) => (node as Record<string, unknown>)[step], root) as string;
        const placeholders = (text: string) => (text.match(/\{\{\w+\}\}/g) ?? []).sort();
        expect([lang, key, placeholders(get(translated))]).toEqual([lang, key, placeholders(get(english))]);
      }
    }
  });

  it('has every interface text the templates use', () => {
    const english = new Set(keys(catalogue('en', 'portal.json')).map((key) => key.replace(/_(one|other)$/, '')));
    const used = usedKeys(VIEWS_DIR);
    expect(used.length).toBeGreaterThan(100);
    expect(used.filter((key) => !english.has(key))).toEqual([]);
  });

  it("has every text the console's templates and pages use, in its own catalogue or the portal's", () => {
    const known = new Set([...keys(catalogue('en', 'console.json')), ...keys(catalogue('en', 'portal.json'))].map((key) => key.replace(/_(one|other)$/, '')));
    const sources = join(VIEWS_DIR, '..', '..', 'console');
    const inCode = readdirSync(sources).filter((file) => file.endsWith('.ts')).flatMap((file) =>
      [...readFileSync(join(sources, file), 'utf8').matchAll(/(?:key: |\bt\()'([a-zA-Z]+\.[a-zA-Z.-]*[a-zA-Z])'/g)].map((m) => m[1]));
    const used = [...usedKeys(join(VIEWS_DIR, 'console')), ...inCode];
    expect(used.length).toBeGreaterThan(150);
    expect(used.filter((key) => !known.has(key))).toEqual([]);
  });

  it('labels every field of the declaration, the assessments and the authorisations', () => {
    const i18n = new PortalI18n();
    const paths = [
      ...[...fieldVisibilities().keys()].map((path) => `declaration.${path}`),
      ...Object.entries(ASSESSMENT_SCHEMAS).flatMap(([kind, schema]) => [...fieldVisibilities(schema).keys()].map((path) => `assessment.${kind}.${path}`)),
      ...[...fieldVisibilities(AUTHORISATION_SCHEMA).keys()].map((path) => `authorisation.${path}`),
      ...[...fieldVisibilities(INCIDENT_SCHEMA).keys()].map((path) => `incident.${path}`),
    ].map((path) => path.replace(/\[\]/g, ''));
    for (const lang of LANGUAGES) {
      expect([lang, paths.filter((path) => !i18n.label(lang, path))]).toEqual([lang, []]);
    }
  });

  it("translates the console's help of every field of the schemas, as the schemas say it now", () => {
    const english = new Map<string, string>();
    const walk = (node: SchemaNode, prefix: string, path = ''): void => {
      for (const [name, child] of Object.entries(node.properties ?? {})) {
        const at = path ? `${path}.${name}` : name;
        if (child.description) english.set(`${prefix}.${at}`, child.description);
        if (child.type === 'object') walk(child, prefix, at);
        if (child.type === 'array' && child.items?.type === 'object') walk(child.items, prefix, at);
      }
    };
    walk(DECLARATION_SCHEMA as unknown as SchemaNode, 'declaration');
    for (const [kind, schema] of Object.entries(ASSESSMENT_SCHEMAS)) walk(schema as unknown as SchemaNode, `assessment.${kind}`);
    walk(AUTHORISATION_SCHEMA as unknown as SchemaNode, 'authorisation');
    walk(INCIDENT_SCHEMA as unknown as SchemaNode, 'incident');
    expect(english.size).toBeGreaterThan(150);
    for (const lang of LANGUAGES.filter((l) => l !== 'en')) {
      const help = catalogue(lang, 'help.json') as Record<string, { en: string; text: string }>;
      // A schema text changed since it was translated shows in English until translated again.
      expect([lang, [...english.keys()].filter((path) => help[path]?.en !== english.get(path))]).toEqual([lang, []]);
      expect([lang, Object.keys(help).filter((path) => !english.has(path) || !help[path].text)]).toEqual([lang, []]);
    }
  });
});
