import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import { HttpException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { RateLimits } from '@app/auth';
import { AppModule } from './app.module.js';
import { UNLIMITED, addressRateLimit } from './http/rate-limit.js';
import { documentCommonAnswers } from './http/openapi.js';
import type { AppConfig } from './config/app-config.js';
import { asExpressSent } from './http/send.js';
import { MAX_BODY_BYTES, registerJsonBody } from './http/json-body.js';
import { PinoNestLogger, requestLogging } from './http/logging.js';
import { sendProblem, toProblem } from './http/problem.js';
import { createValidationPipe } from './http/validation.js';
import { serveWebApp } from './http/web-app.js';
import { REFRESH_COOKIE } from './auth/session-cookie.js';

export const DOCS_PATH = 'docs';
export const OPENAPI_PATH = 'docs/openapi.json';

/**
 * TRUST_PROXY as Express read it: true, addresses/subnets (comma-separated), or a number of hops to
 * trust. Fastify 5 reads a bare number as "trust no hop", so the hop count is handed over as Express's
 * own rule (the n nearest addresses are proxies).
 */
function trustProxy(setting: AppConfig['trustProxy']): boolean | string | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

/** Builds the HTTP application; main.ts and the e2e tests use exactly this. */
export async function createApp(config: AppConfig, dataSource: DataSource, logger: Logger): Promise<NestFastifyApplication> {
  const logging = requestLogging(logger);
  // helmet's own headers and defaults, on the raw response (Fastify merges them into what it sends);
  // they cover the web app under /app/ too (script-src 'self': its scripts are files, never inline).
  // upgrade-insecure-requests only in production: Safari upgrades http://localhost too, and the app's
  // scripts would then be asked for over https from `npm start`, which speaks plain http.
  const secureHeaders = helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: config.production ? [] : null } } });
  const beforeAnything = (request: FastifyRequest, reply: FastifyReply, then: () => void) => {
    logging.tag(request, reply);
    // Answers carry client data: no browser or proxy keeps a copy on disk (a shared OCMW computer keeps
    // nothing after sign-out). The web app's own files set their caching themselves (http/web-app.ts).
    reply.raw.setHeader('Cache-Control', 'no-store');
    secureHeaders(request.raw, reply.raw, then);
  };
  const adapter = new FastifyAdapter({
    trustProxy: trustProxy(config.trustProxy),
    bodyLimit: MAX_BODY_BYTES,
    // Our own UUID per request (logging.ts): a caller's X-Request-Id is never taken as it.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // Express matched paths case-insensitively and with or without a trailing slash; clients keep that.
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true },
    // A URL the router cannot read (a broken %-escape) is answered before any hook: as a problem document too.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) =>
      beforeAnything(request, reply, () => sendProblem(request, reply, toProblem(new HttpException(error.message, error.statusCode ?? 400)))),
  });
  const fastify = adapter.getInstance();
  fastify.addHook('onRequest', (request, reply, done) => beforeAnything(request, reply, () => done()));
  fastify.addHook('onResponse', logging.onResponse);
  fastify.addHook('onRequestAbort', logging.onRequestAbort);
  fastify.addHook('onSend', asExpressSent);
  registerJsonBody(fastify);

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, dataSource), adapter, {
    bodyParser: false,
    logger: new PinoNestLogger(logger),
  });
  fastify.addHook('onRequest', addressRateLimit(app.get(RateLimits)));
  if (config.corsOrigins.length > 0) app.enableCors({ origin: config.corsOrigins, credentials: false });
  await app.register(multipart);
  // The maintained Fastify plugin for the browser session's refresh cookie (apps/api/src/auth/session-cookie.ts).
  await app.register(cookie);
  await serveWebApp(fastify, config.webRoot);
  app.useGlobalPipes(createValidationPipe());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Casework: partner case management for Flemish job-shops')
      .setDescription(
        'Every error is an RFC 9457 problem document (application/problem+json); messages follow Accept-Language (en, nl). ' +
          'Sign in with POST /auth/login and send the access token as a Bearer token. ' +
          'The web app signs in with POST /auth/session instead: its refresh token stays in an HttpOnly cookie.',
      )
      .setOpenAPIVersion('3.1.0')
      .setVersion('0.1.0')
      .addBearerAuth()
      .addCookieAuth(
        REFRESH_COOKIE,
        { type: 'apiKey', in: 'cookie', name: REFRESH_COOKIE, description: 'Set by POST /auth/session; HttpOnly' },
        'refresh-cookie',
      )
      .build(),
  );
  documentCommonAnswers(document, UNLIMITED);
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: OPENAPI_PATH, yamlDocumentUrl: 'docs/openapi.yaml' });
  return app;
}
