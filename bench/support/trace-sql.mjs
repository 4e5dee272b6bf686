// Preloaded into an API process by bench/run (node --import) to record the SQL it sends, so pgbench
// can replay exactly the statements of one request. Active only when BENCH_SQL_TRACE names a file;
// used on generated data only, never in the service itself.
import { appendFileSync } from 'node:fs';
import pg from 'pg';

const file = process.env.BENCH_SQL_TRACE;
if (file) {
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function traced(config, values, callback) {
    const text = typeof config === 'string' ? config : config?.text;
    const params = Array.isArray(values) ? values : Array.isArray(config?.values) ? config.values : [];
    if (typeof text === 'string') {
      const encoded = params.map((value) => (Buffer.isBuffer(value) ? { bytea: value.toString('hex') } : value instanceof Date ? value.toISOString() : value));
      appendFileSync(file, JSON.stringify({ at: Date.now(), pid: this.processID ?? null, text, params: encoded }) + '\n');
    }
    return original.call(this, config, values, callback);
  };
}
