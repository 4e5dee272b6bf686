// The same application module on Nest's Fastify adapter, for the adapter comparison of bench/run
// (--compare-adapters) only. The service itself runs on Express (see docs/scaling.md for why): its
// controllers and problem filter use Express's response API, which this file bridges with a thin shim
// (setHeader and get) so that S1 and S7 run unchanged. Request logging and helmet run as they do on
// Express, on the raw request, so both adapters do the same work per request.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import helmet from 'helmet';
import { AppModule } from '../../dist/apps/api/src/app.module.js';
import { loadConfig } from '../../dist/apps/api/src/config/app-config.js';
import { openMigratedDatabase } from '../../dist/apps/api/src/database/open-database.js';
import { PinoNestLogger, createLogger, requestLogging } from '../../dist/apps/api/src/http/logging.js';
import { createValidationPipe } from '../../dist/apps/api/src/http/validation.js';

const config = loadConfig(process.env);
const logger = createLogger(config.logLevel);
const database = await openMigratedDatabase(config);
const adapter = new FastifyAdapter({ trustProxy: config.trustProxy, bodyLimit: 100 * 1024 });
const fastify = adapter.getInstance();
fastify.decorateRequest('get', function get(name) {
  return this.headers[String(name).toLowerCase()];
});
fastify.decorateReply('setHeader', function setHeader(name, value) {
  this.header(name, value);
  return this;
});
const logRequest = requestLogging(logger);
const secureHeaders = helmet();
fastify.addHook('onRequest', (request, reply, done) => {
  logRequest(request.raw, reply.raw);
  secureHeaders(request.raw, reply.raw, done);
});
const app = await NestFactory.create(AppModule.forRoot(config, database.dataSource), adapter, { logger: new PinoNestLogger(logger) });
app.useGlobalPipes(createValidationPipe());
await app.listen(config.port, config.host);
const shutdown = async () => {
  await app.close().catch(() => undefined);
  await database.close();
  process.exit(0);
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
