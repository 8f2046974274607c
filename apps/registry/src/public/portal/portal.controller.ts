import { Controller, Get, NotFoundException, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Request, Response } from 'express';
import { isUUID } from 'class-validator';
import { Public } from '../../auth/public.decorator.js';
import { AGENCY_KINDS } from '../../agencies/agency.entity.js';
import { ANNEX_III_POINTS, CRIME_AREAS, LIFECYCLES, RISK_CLASSES } from '../../declarations/schema/declaration.schema.js';
import { AppConfig } from '../../config/app-config.js';
import { originOf } from '../../http/origin.js';
import { LogSigning } from '../../log/log-signing.service.js';
import { LogStore } from '../../log/log-store.js';
import { PublicReportDto } from '../../declarations/reports/report.dto.js';
import { ReportsService } from '../../declarations/reports/reports.service.js';
import { FILTER_NAMES, PublicToolFilter } from '../api/public-tools.query.js';
import { PublicToolsService } from '../public-tools.service.js';
import { LANGUAGES } from './i18n.js';
import { PortalRenderer } from './portal-renderer.js';
import { difference } from './difference.js';
import { comparison, pageNumber, single } from './portal-query.js';

const PAGE_SIZE = 20;
// Beyond any result list (a million tools): a larger page number is simply past the end.
const LAST_PAGE_QUERIED = 50_000;
const CACHE = 'public, max-age=60, stale-while-revalidate=300';
const at = (suffix: string) => LANGUAGES.map((lang) => `${lang}${suffix}`);

/**
 * The public transparency portal (CONTRACT.md "Portal pages"): server-rendered HTML in four
 * languages that works without JavaScript, over the same projections as the public API.
 */
@ApiExcludeController()
@Controller()
@Public()
export class PortalController {
  constructor(
    private readonly tools: PublicToolsService,
    private readonly renderer: PortalRenderer,
    private readonly logStore: LogStore,
    private readonly signing: LogSigning,
    private readonly config: AppConfig,
    private readonly reports: ReportsService,
  ) {}

  @Get()
  chooseLanguage(@Req() request: Request, @Res() response: Response): void {
    const lang = request.acceptsLanguages(...LANGUAGES) || 'en';
    response.vary('Accept-Language').redirect(302, `/${lang}`);
  }

  @Get(at(''))
  async home(@Req() request: Request, @Res() response: Response): Promise<void> {
    const [stats, latest] = await Promise.all([this.tools.stats(), this.tools.search({}, { limit: 5, recent: true })]);
    this.send(response, this.renderer.render('home.njk', request, { stats, latest: latest.items }));
  }

  @Get(at('/statistics'))
  async statistics(@Req() request: Request, @Res() response: Response): Promise<void> {
    this.send(response, this.renderer.render('statistics.njk', request, { stats: await this.tools.stats() }));
  }

  @Get(at('/tools'))
  async search(@Req() request: Request, @Res() response: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const raw = Object.fromEntries(FILTER_NAMES.map((name) => [name, single(query[name])]).filter(([, value]) => value));
    const filter = plainToInstance(PublicToolFilter, raw);
    const errors = validateSync(filter).map((error) => error.property);
    // An invalid filter is shown as such and left out; the rest still apply.
    for (const name of errors) delete (filter as Record<string, unknown>)[name];
    const page = pageNumber(query.page);
    const link = (n: number) => `?${new URLSearchParams({ ...(raw as Record<string, string>), page: String(n) })}`;
    const t = this.renderer.t(request);
    if (page === undefined) {
      return this.message(request, response, 400, t('badRequest.title'), t('search.badPage', { value: single(query.page) }), [{ href: link(1), text: t('search.firstPage') }]);
    }
    const [results, facets, counts] = await Promise.all([
      this.tools.search(filter, { limit: PAGE_SIZE, offset: (Math.min(page, LAST_PAGE_QUERIED) - 1) * PAGE_SIZE }),
      this.tools.facets(),
      this.tools.facetCounts(filter),
    ]);
    // Past the bound the total is "more than": pages are then offered while there are more.
    const pages = results.totalExact ? Math.max(1, Math.ceil(results.total / PAGE_SIZE)) : undefined;
    if (pages !== undefined && page > pages) {
      return this.message(request, response, 404, t('notFound.title'), t('search.noSuchPage', { page, count: pages }), [{ href: link(pages), text: t('search.lastPage', { page: pages }) }]);
    }
    if (pages === undefined && page > 1 && results.items.length === 0) {
      return this.message(request, response, 404, t('notFound.title'), t('search.noSuchPageOpen', { page }), [{ href: link(1), text: t('search.firstPage') }]);
    }
    const show = this.renderer.presenter(this.renderer.languageOf(request));
    // Each choice of a filter with the number of tools it would find (GET /api/v1/public/facets).
    const counted = (facet: 'country' | 'agencyKind' | 'riskClass' | 'lifecycle' | 'crimeArea', options: Array<{ value: string; label: string }>) => {
      const count = new Map(counts[facet].map((c) => [c.value, c.count]));
      return options.map((o) => ({ ...o, label: `${o.label} (${show.number(count.get(o.value) ?? 0)})` }));
    };
    this.send(response, this.renderer.render('tools.njk', request, {
      filter: raw,
      errors,
      results,
      total: show.number(results.total),
      page,
      pages,
      previous: page > 1 ? link(page - 1) : null,
      next: (pages === undefined ? results.nextCursor !== null : page < pages) ? link(page + 1) : null,
      options: {
        country: counted('country', facets.countries.map((c) => ({ value: c, label: show.country(c) }))),
        agencyId: facets.agencies.map((a) => ({ value: a.id, label: a.name })),
        agencyKind: counted('agencyKind', labelled(AGENCY_KINDS, (k) => show.value('agencyKind', k))),
        riskClass: counted('riskClass', labelled(RISK_CLASSES, (k) => show.value('riskClass', k))),
        annexIII: labelled(ANNEX_III_POINTS, (k) => show.value('annexIII', k)),
        lifecycle: counted('lifecycle', labelled(LIFECYCLES, (k) => show.value('lifecycle', k))),
        crimeArea: counted('crimeArea', labelled(CRIME_AREAS, (k) => show.value('crimeArea', k)).sort((a, b) => a.label.localeCompare(b.label, show.lang))),
      },
    }));
  }

  @Get(at('/tools/:id'))
  async tool(@Req() request: Request, @Res() response: Response, @Param('id') id: string): Promise<void> {
    const [tool, checkpoint] = isUUID(id) ? await Promise.all([this.tools.tool(id), this.logStore.checkpoint()]) : [];
    if (!tool || !checkpoint) return this.notFound(request, response);
    const show = this.renderer.presenter(this.renderer.languageOf(request));
    this.send(response, this.renderer.render('tool.njk', request, {
      tool,
      sections: show.declaration(tool.content, tool.redactions),
      assessments: tool.assessments.filter((a) => a.current).map((a) => ({ ...a, fields: show.assessment(a.kind, a.content) })),
      superseded: tool.assessments.filter((a) => !a.current).length,
      checkpoint,
      ...this.verifierCommand(request),
    }));
  }

  @Get(at('/tools/:id/history'))
  async history(@Req() request: Request, @Res() response: Response, @Param('id') id: string, @Query() query: Record<string, unknown>): Promise<void> {
    const [tool, revisions] = isUUID(id) ? await Promise.all([this.tools.tool(id), this.tools.revisions(id)]) : [];
    if (!tool || !revisions) return this.notFound(request, response);
    const show = this.renderer.presenter(this.renderer.languageOf(request));
    const t = this.renderer.t(request);
    const { from, to, errors } = comparison(query, revisions.map((r) => r.revision));
    const view = (n: number) => {
      const revision = revisions.find((r) => r.revision === n)!;
      return show.declaration(revision.content, revision.redactions);
    };
    const html = this.renderer.render('history.njk', request, {
      tool,
      origin: originOf(request),
      revisions: [...revisions].reverse(),
      from,
      to,
      errors,
      existing: revisions.map((r) => r.revision).join(', '),
      changes: errors.length || from === to ? [] : difference(view(from), view(to), { colon: t('punctuation.colon'), semicolon: t('punctuation.semicolon') }),
    });
    this.send(response, html, errors.length ? 400 : 200);
  }

  @Get(at('/tools/:id/report'))
  async reportForm(@Req() request: Request, @Res() response: Response, @Param('id') id: string): Promise<void> {
    const tool = isUUID(id) ? await this.tools.tool(id) : undefined;
    if (!tool) return this.notFound(request, response);
    this.send(response, this.renderer.render('report.njk', request, { tool, values: {}, errors: [], fieldErrors: {} }));
  }

  /**
   * The report form, without JavaScript: the fields are checked as the API checks them; a
   * refusal shows the form again with what was typed and each error beside its field.
   */
  @Post(at('/tools/:id/report'))
  async report(@Req() request: Request, @Res() response: Response, @Param('id') id: string): Promise<void> {
    const tool = isUUID(id) ? await this.tools.tool(id) : undefined;
    if (!tool) return this.notFound(request, response);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { text: single(body.text) ?? '', contact: single(body.contact) ?? '', website: single(body.website) ?? '' };
    const dto = plainToInstance(PublicReportDto, { text: values.text, contact: values.contact || undefined, website: values.website || undefined });
    const t = this.renderer.t(request);
    // In the reader's language: the one thing each field can get wrong.
    const errors = validateSync(dto).map((e) => ({ field: e.property, message: t(e.property === 'contact' ? 'report.contactError' : 'report.textError') }));
    if (errors.length) {
      const fieldErrors = Object.fromEntries(errors.map((e) => [e.field, e.message]));
      return this.send(response, this.renderer.render('report.njk', request, { tool, values, errors, fieldErrors }), 400);
    }
    try {
      await this.reports.receive(id, dto, String(request.id));
    } catch (error) {
      if (error instanceof NotFoundException) return this.notFound(request, response);
      throw error;
    }
    this.send(response, this.renderer.render('report.njk', request, { tool, received: true }), 201);
  }

  @Get(at('/agencies/:id'))
  async agency(@Req() request: Request, @Res() response: Response, @Param('id') id: string): Promise<void> {
    const found = isUUID(id) ? await this.tools.agency(id) : undefined;
    if (!found) return this.notFound(request, response);
    this.send(response, this.renderer.render('agency.njk', request, found));
  }

  @Get(at('/verify'))
  async verify(@Req() request: Request, @Res() response: Response): Promise<void> {
    const checkpoint = await this.logStore.checkpoint();
    this.send(response, this.renderer.render('verify.njk', request, {
      checkpoint,
      ...this.verifierCommand(request),
    }));
  }

  /** What verifier-command.njk shows: this service, its log's key, and where to get the verifier. */
  private verifierCommand(request: Request) {
    return {
      verifierKey: this.signing.key.verifierKey,
      origin: originOf(request),
      sourceRepository: this.config.sourceRepository,
      witnesses: this.config.witnesses,
      witnessQuorum: this.config.witnessQuorum,
    };
  }

  private send(response: Response, html: string, status = 200): void {
    response.status(status).set('Cache-Control', status === 200 ? CACHE : 'no-store').type('html').send(html);
  }

  private notFound(request: Request, response: Response): void {
    const t = this.renderer.t(request);
    this.message(request, response, 404, t('notFound.title'), t('notFound.body'), [{ href: `/${this.renderer.languageOf(request)}/tools`, text: t('home.allTools') }]);
  }

  /** A page that only says something, e.g. why an address cannot be answered, with where to go instead. */
  private message(request: Request, response: Response, status: number, title: string, body: string, links: Array<{ href: string; text: string }>): void {
    this.send(response, this.renderer.render('message.njk', request, { title, body, links }), status);
  }
}

function labelled(values: readonly string[], label: (value: string) => string): Array<{ value: string; label: string }> {
  return values.map((value) => ({ value, label: label(value) }));
}
