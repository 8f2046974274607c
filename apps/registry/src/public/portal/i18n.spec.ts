import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ASSESSMENT_SCHEMAS } from '../../declarations/assessments/assessment.schemas.js';
import { INCIDENT_SCHEMA } from '../../declarations/incidents/incident.schema.js';
import { AUTHORISATION_SCHEMA } from '../../declarations/authorisations/authorisation.schema.js';
import { fieldVisibilities } from '../../declarations/schema/declaration-validator.js';
import { LANGUAGES, PortalI18n } from './i18n.js';
import { I18N_DIR, VIEWS_DIR } from './portal-files.js';

const keys = (value: unknown, prefix = ''): string[] =>
  value !== null && typeof value === 'object'
    ? Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k))
    : [prefix];
const catalogue = (lang: string, file: string) => JSON.parse(readFileSync(join(I18N_DIR, lang, file), 'utf8')) as Record<string, unknown>;

describe('the portal translations', () => {
  it.each(['portal.json', 'fields.json'])('%s has the same keys in every language', (file) => {
    const english = keys(catalogue('en', file)).sort();
    for (const lang of LANGUAGES) expect([lang, keys(catalogue(lang, file)).sort()]).toEqual([lang, english]);
  });

  it('keeps every placeholder of the English text', () => {
    const english = catalogue('en', 'portal.json');
    for (const lang of LANGUAGES) {
      const translated = catalogue(lang, 'portal.json');
      for (const key of keys(english)) {
        const get = (root: Record<string, unknown>) => key.split('.').reduce<unknown>((node, step) => (node as Record<string, unknown>)[step], root) as string;
        const placeholders = (text: string) => (text.match(/\{\{\w+\}\}/g) ?? []).sort();
        expect([lang, key, placeholders(get(translated))]).toEqual([lang, key, placeholders(get(english))]);
      }
    }
  });

  it('has every interface text the templates use', () => {
    const english = new Set(keys(catalogue('en', 'portal.json')).map((key) => key.replace(/_(one|other)$/, '')));
    const used = readdirSync(VIEWS_DIR).flatMap((file) => [...readFileSync(join(VIEWS_DIR, file), 'utf8').matchAll(/\bt\('([a-zA-Z]+\.[a-zA-Z.]+)'/g)].map((m) => m[1]));
    expect(used.length).toBeGreaterThan(100);
    expect(used.filter((key) => !english.has(key))).toEqual([]);
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
});
