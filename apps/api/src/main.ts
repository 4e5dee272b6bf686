import 'reflect-metadata';
import { seedDemoPartnership, demoUsers, DEMO_PASSWORD } from '@app/domain';
import type { DataSource } from 'typeorm';
import { createApp, DOCS_PATH, OPENAPI_PATH } from './app.factory.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { createDataSource, MigrationFailed, runMigrations } from './database/data-source.js';
import { startEmbeddedPostgres, type RunningDatabase } from './database/embedded-postgres.js';
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
  let embedded: RunningDatabase | undefined;
  let dataSource: DataSource | undefined;
  let closing: Promise<void> | undefined;

  const shutdown = (exitCode: number) => {
    closing ??= (async () => {
      await app?.close().catch(() => undefined);
      if (dataSource?.isInitialized) await dataSource.destroy().catch(() => undefined);
      await embedded?.stop().catch(() => undefined);
      process.exit(exitCode);
    })();
    return closing;
  };
  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  try {
    if (!config.databaseUrl) {
      embedded = await startEmbeddedPostgres(config.embedded);
      logger.info({ dataDir: config.embedded.dataDir, port: config.embedded.port }, 'embedded PostgreSQL 18 started');
    }
    dataSource = createDataSource(config.databaseUrl ?? embedded!.url);
    await dataSource.initialize();
    const applied = await runMigrations(dataSource);
    logger.info({ applied }, applied.length ? 'migrations applied' : 'database schema is up to date');
    if (config.seedDemo) {
      const outcome = await seedDemoPartnership(dataSource, { production: config.production });
      logger.info({ outcome }, 'demo partnership seed');
    }
    app = await createApp(config, dataSource, logger);
    await app.listen(config.port, config.host);
  } catch (error) {
    const message = error instanceof MigrationFailed || error instanceof Error ? error.message : String(error);
    console.error(`\nCasework could not start: ${message}\n`);
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

void main();
