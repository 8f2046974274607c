import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { DataSource, type EntityManager, QueryFailedError, type Repository } from 'typeorm';
import type { Actor } from '../auth/auth-user.js';
import { LogStore } from '../log/log-store.js';
import { type Logged, LogWriter } from '../log/log-writer.service.js';
import { decodeCursor, type Page, toPage } from '../pagination/page.js';
import { Agency } from './agency.entity.js';
import type { CreateAgencyDto, UpdateAgencyDto } from './dto/create-agency.dto.js';
import { agencyPublicContent, AgencyView } from './dto/agency.view.js';
import type { ListAgenciesQuery } from './dto/list-agencies.query.js';

@Injectable()
export class AgenciesService {
  constructor(
    @InjectRepository(Agency) private readonly agencies: Repository<Agency>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: LogWriter,
    private readonly logStore: LogStore,
  ) {}

  async create(dto: CreateAgencyDto, actor: Actor): Promise<Logged<AgencyView>> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const agency = await manager.getRepository(Agency).save(manager.create(Agency, dto));
        return { value: AgencyView.of(agency), logEntry: await this.logged(manager, agency, 'agency.create', actor) };
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictException(`An agency named "${dto.name}" already exists in ${dto.country}.`);
      }
      throw error;
    }
  }

  /** Renames an agency or corrects its kind; its tools keep their references. */
  async update(id: string, dto: UpdateAgencyDto, actor: Actor): Promise<Logged<AgencyView>> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const repository = manager.getRepository(Agency);
        const agency = await repository.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!agency) throw new NotFoundException('No such agency.');
        const saved = await repository.save(Object.assign(agency, { name: dto.name, kind: dto.kind }));
        return { value: AgencyView.of(saved), logEntry: await this.logged(manager, saved, 'agency.update', actor) };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictException(`Another agency of the same country is named "${dto.name}".`);
      throw error;
    }
  }

  /** The agency's state in the log, in the same transaction: agencies are public records. */
  private logged(manager: EntityManager, agency: Agency, action: string, actor: Actor): Promise<string> {
    const content = agencyPublicContent(agency);
    return this.log.append(manager, {
      actor,
      action,
      subject: { type: 'agency', id: agency.id },
      content,
      publicContent: content,
      public: true,
      requestId: actor.requestId,
    });
  }

  async list(query: ListAgenciesQuery): Promise<Page<AgencyView>> {
    const qb = this.agencies.createQueryBuilder('a').orderBy('a.name', 'ASC').addOrderBy('a.id', 'ASC');
    if (query.country) qb.andWhere('a.country = :country', { country: query.country });
    if (query.kind) qb.andWhere('a.kind = :kind', { kind: query.kind });
    if (query.cursor) {
      const [name, id] = decodeCursor(query.cursor, ['string', 'string']);
      qb.andWhere('(a.name, a.id) > (:name, CAST(:id AS uuid))', { name, id: asUuidOrNil(id as string) });
    }
    const rows = await qb.take(query.limit + 1).getMany();
    const positions = await this.logStore.latestEntries(rows.slice(0, query.limit).map((a) => a.id));
    return toPage(rows, query.limit, (a) => AgencyView.of(a, positions.get(a.id) ?? null), (a) => [a.name, a.id]);
  }

  async get(id: string): Promise<AgencyView> {
    const agency = await this.agencies.findOneBy({ id });
    if (!agency) throw new NotFoundException('No such agency.');
    const positions = await this.logStore.latestEntries([agency.id]);
    return AgencyView.of(agency, positions.get(agency.id) ?? null);
  }
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505';
}

// A forged cursor must not reach PostgreSQL as an invalid uuid (that would be a 500).
function asUuidOrNil(value: string): string {
  return isUUID(value)
    ? value
    : '00000000-0000-0000-0000-000000000000';
}
