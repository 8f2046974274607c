import { describe, expect, it } from '@jest/globals';
import i18next from 'i18next';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { I18N_DIR } from '../public/portal/portal-files.js';
import { inPlainWords } from './plain-words.js';

const t = i18next.createInstance();
await t.init({
  lng: 'es',
  initAsync: false,
  resources: Object.fromEntries(['en', 'es'].map((lang) => [lang, { translation: JSON.parse(readFileSync(join(I18N_DIR, lang, 'console.json'), 'utf8')) }])),
  interpolation: { escapeValue: false },
});

describe("the validators' messages in plain words", () => {
  it.each([
    ['identity.name is required', 'Este dato es obligatorio.'],
    ['reason must not be empty', 'Este dato es obligatorio.'],
    ['must be integer', 'Escriba un número entero.'],
    ['must match format "date"', 'Escriba una fecha como AAAA-MM-DD.'],
    ['must match format "uri"', 'Escriba un enlace completo, que empiece por https://.'],
    ['must match pattern "^[A-Z]{2}$"', 'Escriba las dos letras mayúsculas de un país (ISO 3166-1), p. ej. CR, ES, BR.'],
    ['must NOT have more than 300 characters', 'Demasiado largo: 300 caracteres como máximo.'],
    ['must be <= 1', 'Como máximo 1.'],
    ['must be one of draft, submitted', 'Elija uno de los valores de la lista.'],
  ])('%s → %s', (message, words) => {
    expect(inPlainWords(message, t.getFixedT('es'))).toBe(words);
  });

  it('shows a message it does not know as it is', () => {
    expect(inPlainWords('is not a field of the declaration schema', t.getFixedT('es'))).toBe('is not a field of the declaration schema');
  });
});
