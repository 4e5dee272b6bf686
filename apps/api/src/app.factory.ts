import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { RateLimits } from '@app/auth';
import { AppModule } from './app.module.js';
import { UNLIMITED, addressRateLimit } from './http/rate-limit.js';
import { documentRateLimitHeaders } from './http/openapi.js';
import type { AppConfig } from './config/app-config.js';
import { jsonBody } from './http/json-body.js';
import { PinoNestLogger, requestLogging } from './http/logging.js';
import { createValidationPipe } from './http/validation.js';

export const DOCS_PATH = 'docs';
export const OPENAPI_PATH = 'docs/openapi.json';

/** Builds the HTTP application; main.ts and the e2e tests use exactly this. */
export async function createApp(config: AppConfig, dataSource: DataSource, logger: Logger): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, dataSource), {
    bodyParser: false,
    logger: new PinoNestLogger(logger),
  });
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  app.use(requestLogging(logger));
  app.use(helmet());
  app.use(addressRateLimit(app.get(RateLimits)));
  if (config.corsOrigins.length > 0) app.enableCors({ origin: config.corsOrigins, credentials: false });
  app.use(jsonBody);
  app.useGlobalPipes(createValidationPipe());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Casework: partner case management for Flemish job-shops')
      .setDescription(
        'Every error is an RFC 9457 problem document (application/problem+json); messages follow Accept-Language (en, nl). ' +
          'Sign in with POST /auth/login and send the access token as a Bearer token.',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  documentRateLimitHeaders(document, UNLIMITED);
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: OPENAPI_PATH, yamlDocumentUrl: 'docs/openapi.yaml' });
  return app;
}
