import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppSettings } from './app.module.js';
import { configureHttp } from './http/configure-http.js';

/** Builds the application exactly as it runs, for `main.ts` and for the end-to-end tests. */
export async function createApp(settings: AppSettings): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(settings), {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  configureHttp(app, settings.config);
  return app;
}
