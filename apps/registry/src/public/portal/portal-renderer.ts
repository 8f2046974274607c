import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { TFunction } from 'i18next';
import nunjucks from 'nunjucks';
import { type Language, LANGUAGES, PortalI18n } from './i18n.js';
import { VIEWS_DIR } from './portal-files.js';
import { Presenter } from './present.js';

export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Español', pt: 'Português', fr: 'Français' };

/**
 * Renders the portal's Nunjucks templates (views/) with autoescaping on: nothing a declaration
 * says can become markup. Every page gets the interface text in its language, the language
 * switch pointing at the same page, and a presenter for values.
 */
@Injectable()
export class PortalRenderer {
  readonly i18n = new PortalI18n();
  private readonly env = new nunjucks.Environment(new nunjucks.FileSystemLoader(VIEWS_DIR), {
    autoescape: true,
    throwOnUndefined: false,
  });

  constructor() {
    // A CSS string literal for a <style> block: every character but letters, digits and spaces
    // as a CSS escape, so nothing can end the string or the element.
    this.env.addFilter('cssString', (value: unknown) =>
      new nunjucks.runtime.SafeString(`"${String(value).replace(/[^A-Za-z0-9 ]/gu, (c) => `\\${c.codePointAt(0)!.toString(16)} `)}"`),
    );
  }

  /** The interface language of a portal request: the first segment of its path. */
  languageOf(request: Request): Language {
    const lang = pathOf(request).split('/')[1];
    return (LANGUAGES as readonly string[]).includes(lang) ? (lang as Language) : 'en';
  }

  /** The interface text in the language of a portal request. */
  t(request: Request): TFunction {
    return this.i18n.t(this.languageOf(request));
  }

  // One per language: a presenter holds only its language's formatters, which cost more to make
  // (Intl) than to use — about 4 % of a tool page's time when made for each page.
  private readonly presenters = new Map<Language, Presenter>();

  presenter(lang: Language): Presenter {
    let presenter = this.presenters.get(lang);
    if (!presenter) this.presenters.set(lang, (presenter = new Presenter(this.i18n, lang)));
    return presenter;
  }

  render(template: string, request: Request, context: Record<string, unknown>): string {
    const lang = this.languageOf(request);
    const rest = request.originalUrl.replace(/^\/[a-z]{2}(?=\/|\?|$)/, '');
    return this.env.render(template, {
      ...context,
      lang,
      t: this.i18n.t(lang),
      show: this.presenter(lang),
      path: pathOf(request),
      languages: LANGUAGES.map((code) => ({ code, name: LANGUAGE_NAMES[code], href: `/${code}${rest}`, current: code === lang })),
    });
  }
}

// The full path, also inside middleware mounted under a prefix (where request.path is relative).
function pathOf(request: Request): string {
  return request.originalUrl.split('?')[0];
}
