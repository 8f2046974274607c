import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AgenciesService } from '../agencies/agencies.service.js';
import { AGENCY_KINDS } from '../agencies/agency.entity.js';
import { CreateAgencyDto, UpdateAgencyDto } from '../agencies/dto/create-agency.dto.js';
import { ListAgenciesQuery } from '../agencies/dto/list-agencies.query.js';
import { Roles } from '../auth/roles.decorator.js';
import { AppConfig } from '../config/app-config.js';
import { AlertsService } from '../declarations/alerts/alerts.service.js';
import { ValidationProblem } from '../http/problem.js';
import { problemOf } from '../http/problem.filter.js';
import { uuidParam } from '../http/uuid.pipe.js';
import { Integrator } from '../log/integrator.service.js';
import { LogSigning } from '../log/log-signing.service.js';
import { LogStore } from '../log/log-store.js';
import { WitnessCollector } from '../log/witness-collector.service.js';
import { actorOf } from './console-auth.js';
import { allAgencies, asDto, byField, ConsoleController, definedOnly, type Form, LanguagePipe, nextPage, posted, text } from './console-common.js';
import { ConsolePages } from './console-pages.js';

/** Alerts and agencies a console page lists at a time. */
const ALERTS_PAGE = 50;
const AGENCIES_PAGE = 50;

/**
 * The oversight body's dashboard (the alerts of GET /api/v1/oversight/alerts, each linking to its
 * record), the log's state for oversight and administrators, and the administrators' agencies.
 */
@ConsoleController()
export class ConsoleOversightController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly alerts: AlertsService,
    private readonly agencies: AgenciesService,
    private readonly logStore: LogStore,
    private readonly signing: LogSigning,
    private readonly integrator: Integrator,
    private readonly witnesses: WitnessCollector,
    private readonly config: AppConfig,
  ) {}

  @Get('alerts')
  @Roles('oversight')
  async alertsPage(@Param('lang', LanguagePipe) lang: string, @Query() raw: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    const kind = text(raw.kind);
    const page = text(raw.page) === undefined ? 1 : Number(text(raw.page));
    if (!Number.isSafeInteger(page) || page < 1) throw new ValidationProblem([{ field: 'page', message: 'page must be a whole number from 1' }]);
    const alerts = await this.alerts.alerts();
    const agencies = new Map((await allAgencies(this.agencies)).map((a) => [a.id, a]));
    // The alerts are worked out whole, each time: the page shows a slice of them.
    const matching = alerts.items.filter((a) => !kind || a.kind === kind);
    const from = (page - 1) * ALERTS_PAGE;
    const items = matching.slice(from, from + ALERTS_PAGE).map((a) => ({ ...a, agency: agencies.get(a.agencyId) }));
    const at = (n: number) => `/console/${lang}/alerts?${new URLSearchParams(definedOnly({ kind, page: n > 1 ? String(n) : undefined })).toString()}`;
    this.pages.send(request, response, 'alerts.njk', {
      alerts: items,
      log: alerts.log,
      counts: alerts.counts,
      kind,
      shown: { from: from + 1, to: from + items.length, total: matching.length },
      previous: page > 1 ? at(page - 1) : undefined,
      next: from + ALERTS_PAGE < matching.length ? at(page + 1) : undefined,
    });
  }

  @Get('log')
  @Roles('oversight', 'admin')
  async logPage(@Param('lang', LanguagePipe) _lang: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const [checkpoint, integrator, witnesses] = await Promise.all([
      this.logStore.latestCheckpointTime(),
      this.integrator.liveness().catch(() => ({ alive: false, message: 'cannot read the integrator state' })),
      this.witnesses.status(),
    ]);
    const { signer, verifierKey } = this.signing.key;
    const ageSeconds = checkpoint ? Math.max(0, Math.round((Date.now() - Date.parse(checkpoint.signedAt)) / 1000)) : undefined;
    this.pages.send(request, response, 'log.njk', {
      checkpoint,
      ageSeconds,
      integrator,
      witnesses,
      quorum: this.config.witnessQuorum,
      key: { origin: signer.name, verifierKey, configured: this.config.logSigningKey !== undefined },
    });
  }

  @Get('agencies')
  @Roles('admin')
  async agenciesPage(@Param('lang', LanguagePipe) _lang: string, @Query() raw: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    this.pages.send(request, response, 'agencies.njk', { ...(await this.agencyList(raw)), kinds: AGENCY_KINDS, values: {}, errors: {} });
  }

  /** A page of the agencies (by name), filtered by country and kind as the API's list is. */
  private async agencyList(raw: Record<string, unknown>) {
    const filters = { country: text(raw.country), kind: text(raw.kind), cursor: text(raw.cursor) };
    const page = await this.agencies.list(await asDto(ListAgenciesQuery, { ...definedOnly(filters), limit: String(AGENCIES_PAGE) }, 'query'));
    const next = nextPage(filters, page.nextCursor);
    return { agencies: page.items, filters, next };
  }

  @Post('agencies')
  @Roles('admin')
  async createAgency(@Param('lang', LanguagePipe) lang: string, @Body() body: Form, @Req() request: Request, @Res() response: Response): Promise<void> {
    const values = { name: posted(body, 'name') ?? '', country: posted(body, 'country') ?? '', kind: posted(body, 'kind') ?? '' };
    try {
      const { value } = await this.agencies.create(await asDto(CreateAgencyDto, values), actorOf(request));
      this.pages.redirect(request, response, `/console/${lang}/agencies`, { key: 'done.agencyCreated', values: { name: value.name } });
    } catch (error) {
      this.pages.send(request, response, 'agencies.njk', { ...(await this.agencyList({})), kinds: AGENCY_KINDS, values, errors: byField(error, this.pages.inWords(request)) }, problemOf(error).status);
    }
  }

  @Get('agencies/:id/edit')
  @Roles('admin')
  async editAgency(@Param('lang', LanguagePipe) _lang: string, @Param('id', uuidParam()) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const agency = await this.agencies.get(id);
    this.pages.send(request, response, 'agency-edit.njk', { agency, kinds: AGENCY_KINDS, values: agency, errors: {} });
  }

  @Post('agencies/:id')
  @Roles('admin')
  async updateAgency(@Param('lang', LanguagePipe) lang: string, @Param('id', uuidParam()) id: string, @Body() body: Form, @Req() request: Request, @Res() response: Response): Promise<void> {
    const agency = await this.agencies.get(id);
    const values = { name: posted(body, 'name') ?? '', kind: posted(body, 'kind') ?? '' };
    try {
      const { value } = await this.agencies.update(id, await asDto(UpdateAgencyDto, values), actorOf(request));
      this.pages.redirect(request, response, `/console/${lang}/agencies`, { key: 'done.agencyUpdated', values: { name: value.name } });
    } catch (error) {
      this.pages.send(request, response, 'agency-edit.njk', { agency, kinds: AGENCY_KINDS, values: { ...agency, ...values }, errors: byField(error, this.pages.inWords(request)) }, problemOf(error).status);
    }
  }
}
