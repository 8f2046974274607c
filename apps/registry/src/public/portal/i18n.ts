import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { I18N_DIR } from './portal-files.js';

/** The interface languages (CONTRACT.md "Portal pages"); declarations keep their own. */
export const LANGUAGES = ['en', 'es', 'pt', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

type Labels = Record<string, unknown>;

const read = (lang: Language, file: string) => JSON.parse(readFileSync(join(I18N_DIR, lang, file), 'utf8')) as Labels;

/**
 * Interface text through i18next (interpolation, plurals), one catalogue per language in
 * i18n/<lang>/portal.json; field and value labels in i18n/<lang>/fields.json. A missing
 * translation falls back to English.
 */
export class PortalI18n {
  private readonly i18n = i18next.createInstance();
  private readonly fields = new Map<Language, Labels>();

  constructor() {
    const resources = Object.fromEntries(LANGUAGES.map((lang) => [lang, { portal: read(lang, 'portal.json') }]));
    void this.i18n.init({
      resources,
      initAsync: false,
      fallbackLng: 'en',
      ns: ['portal'],
      defaultNS: 'portal',
      interpolation: { escapeValue: false }, // the templates escape everything they print
      returnNull: false,
    });
    for (const lang of LANGUAGES) this.fields.set(lang, read(lang, 'fields.json'));
  }

  t(lang: Language): TFunction {
    return this.i18n.getFixedT(lang);
  }

  /** The label at a dotted path of fields.json (an object's label is its "_"), or undefined. */
  label(lang: Language, path: string): string | undefined {
    const found = lookup(this.fields.get(lang)!, path) ?? lookup(this.fields.get('en')!, path);
    if (typeof found === 'string') return found;
    if (found && typeof found === 'object' && typeof (found as Labels)._ === 'string') return (found as Labels)._ as string;
    return undefined;
  }
}

function lookup(labels: Labels, path: string): unknown {
  let node: unknown = labels;
  for (const step of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Labels)[step];
  }
  return node;
}
