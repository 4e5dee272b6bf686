// Preloaded into the API (node --import) by bench/support/probe-s5.mjs: each statement's time from send to
// answer at the driver, summed by its first 70 characters, printed to stderr when the process exits.
import pg from 'pg';
const sums = new Map();
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function timed(config, values, callback) {
  const text = typeof config === 'string' ? config : config?.text;
  const key = typeof text === 'string' ? text.replace(/\s+/g, ' ').slice(0, 70) : '?';
  const t = process.hrtime.bigint();
  const result = original.call(this, config, values, callback);
  if (result && typeof result.then === 'function')
    result.then(
      () => {
        const s = sums.get(key) ?? { n: 0, ms: 0 };
        s.n += 1;
        s.ms += Number(process.hrtime.bigint() - t) / 1e6;
        sums.set(key, s);
      },
      () => {},
    );
  return result;
};
process.on('exit', () => {
  const rows = [...sums.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25);
  for (const [k, s] of rows) console.error(`${String(s.n).padStart(6)} x ${(s.ms / s.n).toFixed(2).padStart(7)} ms  ${k}`);
});
