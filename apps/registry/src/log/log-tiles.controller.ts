import { Controller, Get, Header, HttpStatus, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { parseTilePath, TILE_WIDTH, TlogError } from '@custodia/tlog';
import type { Request, Response } from 'express';
import { Public } from '../auth/public.decorator.js';
import { Roles } from '../auth/roles.decorator.js';
import { ProblemException } from '../http/problem.js';
import { LogStore } from './log-store.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const SHORT = 'public, max-age=2';

/**
 * The log as C2SP tlog-tiles clients read it: the signed checkpoint, hash tiles (public: they
 * reveal only the shape of the log) and entry bundles (oversight: they hold every entry).
 */
@ApiTags('log')
@Controller('log')
export class LogTilesController {
  constructor(private readonly store: LogStore) {}

  @Get('checkpoint')
  @Public()
  @Header('Cache-Control', SHORT)
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'The latest C2SP tlog-checkpoint, signed as a C2SP signed-note (Ed25519), with the witnesses\' cosignatures it has (C2SP tlog-cosignature lines)' })
  async checkpoint(@Res({ passthrough: true }) response: Response): Promise<string> {
    const { note } = await this.store.witnessedCheckpoint();
    response.type('text/plain; charset=utf-8');
    return note;
  }

  @Get('tile/entries/*path')
  @Roles('oversight')
  @ApiBearerAuth()
  @ApiProduces('application/octet-stream')
  @ApiOperation({ summary: 'A C2SP entry bundle tile/entries/<N>[.p/<W>] (oversight only)' })
  async entryBundle(@Req() request: Request, @Res() response: Response): Promise<void> {
    const parsed = parse(request);
    if (parsed.kind !== 'entries') throw notFound();
    const { size } = await this.store.checkpoint();
    const bundle = await this.store.entryBundle(parsed.index, parsed.width, size);
    if (!bundle) throw notFound();
    const full = parsed.width === TILE_WIDTH;
    send(response, bundle, full ? 'private, max-age=31536000, immutable' : 'private, max-age=2');
  }

  @Get('tile/*path')
  @Public()
  @ApiProduces('application/octet-stream')
  @ApiOperation({ summary: 'A C2SP hash tile tile/<L>/<N>[.p/<W>]; full tiles never change' })
  async tile(@Req() request: Request, @Res() response: Response): Promise<void> {
    const parsed = parse(request);
    if (parsed.kind !== 'hashes') throw notFound();
    const { size } = await this.store.checkpoint();
    const data = await this.store.tile(parsed.tile, size);
    if (!data) throw notFound();
    send(response, data, parsed.tile.width === TILE_WIDTH ? IMMUTABLE : SHORT);
  }
}

function parse(request: Request) {
  const path = request.path.replace(/^\/log\//, '');
  try {
    return parseTilePath(path);
  } catch (error) {
    if (!(error instanceof TlogError)) throw error;
    throw new ProblemException(HttpStatus.BAD_REQUEST, 'bad-tile-path', `${error.message}.`);
  }
}

function notFound(): ProblemException {
  return new ProblemException(HttpStatus.NOT_FOUND, 'tile-not-found', 'The log does not reach that tile yet.');
}

function send(response: Response, data: Buffer, cacheControl: string): void {
  response.status(200).setHeader('Cache-Control', cacheControl).type('application/octet-stream').send(data);
}
