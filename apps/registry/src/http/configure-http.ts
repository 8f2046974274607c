import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { type NextFunction, type Request, type Response, urlencoded } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '../config/app-config.js';
import { ASSETS_DIR } from '../public/portal/portal-files.js';
import { useRateLimits } from '../public/public-rate-limit.js';
import { compressAnswers } from './compression.js';
import { PROBLEM_BASE, problemFor, sendProblem } from './problem.js';
import { assignRequestId } from './request-logging.js';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// The portal's report form (/{lang}/tools/{id}/report) and the console's forms post form fields;
// every API write is JSON.
const HTML_FORM = /^\/(en|es|pt|fr)\/tools\/[^/]+\/report$|^\/console\//;

/** The HTTP edges shared by the service and the tests: parsing, headers, CORS, OpenAPI. */
export function configureHttp(app: NestExpressApplication, config: AppConfig): void {
  app.use(assignRequestId);
  app.disable('x-powered-by');
  // Which X-Forwarded-For hops tell the client's address (TRUST_PROXY): the rate limits count by it.
  app.set('trust proxy', config.trustProxy);
  app.use(helmet());
  app.use(compressAnswers());
  useRateLimits(app, config);
  if (config.corsOrigins.length > 0) {
    app.enableCors({ origin: config.corsOrigins, exposedHeaders: ['ETag', 'X-Log-Entry', 'X-Request-Id', 'Location'] });
  }
  // The portal's stylesheet and its one script (the in-browser verification).
  app.useStaticAssets(ASSETS_DIR, { prefix: '/assets/', maxAge: '1h', index: false });
  app.use(requireJsonBodies);
  app.useBodyParser('json', { limit: config.bodyLimitBytes, type: ['application/json', 'application/*+json'] });
  // The HTML forms, which work without JavaScript: the console's (a whole declaration, hence the
  // API's body limit) and the portal's error report.
  app.use('/console', urlencoded({ limit: config.bodyLimitBytes, extended: false, parameterLimit: 5000 }));
  app.useBodyParser('urlencoded', { limit: 16_384, extended: false });
  app.use(refuseHostileJson);
  setUpOpenApi(app);
}

/** A write with a body must send JSON: anything else is 415, before it is parsed. */
function requireJsonBodies(request: Request, response: Response, next: NextFunction): void {
  const hasBody = request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
  const form = request.method === 'POST' && HTML_FORM.test(request.path) && request.is('application/x-www-form-urlencoded');
  if (WRITE_METHODS.has(request.method) && hasBody && !form && !request.is(['application/json', 'application/*+json'])) {
    sendProblem(response, { ...problemFor(415, 'Send the request body as application/json.'), requestId: request.id });
    return;
  }
  next();
}

// No valid body nests deeper than a handful of levels; the declaration needs five.
const MAX_BODY_DEPTH = 32;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Bodies nested absurdly deep (which would exhaust the stack of whatever walks them) and keys
 * that aim at object prototypes are refused with a 400 before any code reads them.
 */
function refuseHostileJson(request: Request, response: Response, next: NextFunction): void {
  const found = hostility(request.body, '', 0);
  if (!found) return next();
  sendProblem(response, {
    ...problemFor(400, found.detail),
    type: `${PROBLEM_BASE}validation`,
    errors: [{ field: found.field, message: found.detail }],
    requestId: request.id,
  });
}

function hostility(value: unknown, path: string, depth: number): { field: string; detail: string } | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= MAX_BODY_DEPTH) return { field: path, detail: `The request body is nested more than ${MAX_BODY_DEPTH} levels deep.` };
  for (const key of Object.keys(value)) {
    const field = path ? `${path}.${key}` : key;
    if (FORBIDDEN_KEYS.has(key)) return { field, detail: `${field} is not a field of any request: "${key}" is refused.` };
    const found = hostility((value as Record<string, unknown>)[key], field, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function setUpOpenApi(app: NestExpressApplication): void {
  const document = new DocumentBuilder()
    .setTitle('Custodia')
    .setDescription(
      'Registry of the AI tools used by justice and security agencies, with a verifiable audit log. ' +
        'Errors are RFC 9457 application/problem+json, with Cache-Control: no-store. Lists take ?limit= (1-100, default 20) and ?cursor=. ' +
        'Requests without a valid token to the public reads and to the log are limited per client address (429 with Retry-After).',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token (RS256, ES256 or EdDSA)' })
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, document), {
    jsonDocumentUrl: 'api/openapi.json',
    yamlDocumentUrl: 'api/openapi.yaml',
  });
}
