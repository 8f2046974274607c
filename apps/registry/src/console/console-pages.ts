import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import i18next, { type TFunction } from 'i18next';
import nunjucks from 'nunjucks';
import type { AuthUser } from '../auth/auth-user.js';
import { AppConfig } from '../config/app-config.js';
import { type Language, LANGUAGES } from '../public/portal/i18n.js';
import { I18N_DIR, VIEWS_DIR } from '../public/portal/portal-files.js';
import { LANGUAGE_NAMES, PortalRenderer } from '../public/portal/portal-renderer.js';
import type { Presenter, SchemaNode } from '../public/portal/present.js';
import { csrfToken } from './console-session.js';
import { inPlainWords } from './plain-words.js';
import { errorSummary, type FieldErrors, type FormField, formFields, type FormLabels } from './schema-form.js';


/**
 * Renders the console's pages (views/console/*.njk, autoescaped) in the language of their path
 * (/console/<lang>/...): the console's text (i18n/<lang>/console.json, the portal's as fallback),
 * the signed-in person, the session's CSRF token for every form, and the portal's presenter for
 * values, so a value reads the same in the console as on the public page.
 */
@Injectable()
export class ConsolePages {
  private readonly i18n = i18next.createInstance();
  /** The schemas' help texts translated (i18n/<lang>/help.json), each with the English text it translates. */
  private readonly help = new Map<Language, Record<string, { en: string; text: string }>>();
  private readonly env = new nunjucks.Environment(new nunjucks.FileSystemLoader(VIEWS_DIR), { autoescape: true, throwOnUndefined: false });

  constructor(
    private readonly portal: PortalRenderer,
    private readonly config: AppConfig,
  ) {
    const read = (lang: Language, file: string) => JSON.parse(readFileSync(join(I18N_DIR, lang, file), 'utf8')) as object;
    for (const lang of LANGUAGES) {
      if (existsSync(join(I18N_DIR, lang, 'help.json'))) this.help.set(lang, read(lang, 'help.json') as Record<string, { en: string; text: string }>);
    }
    void this.i18n.init({
      resources: Object.fromEntries(LANGUAGES.map((lang) => [lang, { console: read(lang, 'console.json'), portal: read(lang, 'portal.json') }])),
      initAsync: false,
      fallbackLng: 'en',
      ns: ['console', 'portal'],
      defaultNS: 'console',
      fallbackNS: 'portal',
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  }

  languageOf(request: Request): Language {
    const lang = request.originalUrl.split('/')[2];
    return (LANGUAGES as readonly string[]).includes(lang) ? (lang as Language) : 'en';
  }

  t(request: Request): TFunction {
    return this.i18n.getFixedT(this.languageOf(request));
  }

  /** A validator's message in the reader's words (form.errors), or as it is when unknown. */
  inWords(request: Request): (message: string) => string {
    const t = this.t(request);
    return (message) => inPlainWords(message, t);
  }

  show(request: Request): Presenter {
    return this.portal.presenter(this.languageOf(request));
  }

  /** Labels for a schema form: fields under a prefix of fields.json ("declaration", "assessment.fria"), values from its lists. */
  labels(request: Request, prefix: string): FormLabels {
    const show = this.show(request);
    const help = this.help.get(this.languageOf(request));
    return {
      label: (path) => show.label(`${prefix}.${path}`),
      value: (list, value) => show.value(list, value),
      // A translation is used only while it translates the schema's current text; else the English.
      help: (path, english) => {
        const translated = help?.[`${prefix}.${path}`];
        return translated && translated.en === english ? translated.text : english;
      },
    };
  }

  /** A form generated from a schema, its field labels under `prefix` of fields.json, with its errors and their summary. */
  form(request: Request, schema: SchemaNode, prefix: string, content: Record<string, unknown>, errors: FieldErrors = new Map()): { fields: FormField[]; summary: ReturnType<typeof errorSummary> } {
    const show = this.show(request);
    return { fields: formFields(schema, content, this.labels(request, prefix), errors), summary: errorSummary(errors, (path) => show.label(`${prefix}.${path}`)) };
  }

  /** Sends a page; never cached (it shows what one person may see), never framed. */
  send(request: Request, response: Response, template: string, context: Record<string, unknown> = {}, status = 200): void {
    const lang = this.languageOf(request);
    // express-session saves the session as the answer ends, with the message gone and the token kept.
    const flash = request.session?.flash;
    if (flash) delete request.session.flash;
    const rest = request.originalUrl.replace(/^\/console\/[a-z]{2}(?=\/|\?|$)/, '');
    const t = this.i18n.getFixedT(lang);
    const html = this.env.render(`console/${template}`, {
      ...context,
      lang,
      t,
      show: this.portal.presenter(lang),
      user: request.user as AuthUser | undefined,
      csrf: request.session ? csrfToken(request) : undefined,
      devSignIn: this.config.auth.mode === 'development',
      flash: flash ? t(flash.key, flash.values) : undefined,
      path: request.originalUrl.split('?')[0],
      base: `/console/${lang}`,
      languages: LANGUAGES.map((code) => ({ code, name: LANGUAGE_NAMES[code], href: `/console/${code}${rest}`, current: code === lang })),
    });
    this.allowSignOutAtProvider(response);
    response.status(status).set('Cache-Control', 'no-store').type('html').send(html);
  }

  /**
   * Signing out is a form post that ends at the provider's end-session endpoint: the page's CSP
   * must let its forms lead there (form-action also governs where a form's redirects go).
   */
  private allowSignOutAtProvider(response: Response): void {
    if (this.config.auth.mode !== 'oidc' || !this.config.console.clientId) return;
    const policy = response.getHeader('Content-Security-Policy');
    if (typeof policy !== 'string') return;
    response.setHeader('Content-Security-Policy', policy.replace("form-action 'self'", `form-action 'self' ${new URL(this.config.auth.issuer).origin}`));
  }

  /** After a form post: 303 to the page to show, with a message for it. */
  redirect(request: Request, response: Response, to: string, flash?: { key: string; values?: Record<string, string | number> }): void {
    if (flash) request.session.flash = flash;
    response.set('Cache-Control', 'no-store').redirect(303, to);
  }
}
