import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The OpenAPI document linted with Spectral and the OWASP API Security Top 10 ruleset (.spectral.yaml).
 * The findings are counted per rule against owasp-baseline.json: a change may lower a count (then
 * lower the baseline) but never raise one or add a rule. The baseline is the debt still to pay.
 */
describe('OpenAPI document against the OWASP ruleset', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('has no more OWASP findings per rule than the recorded baseline', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'casework-openapi-')), 'openapi.json');
    writeFileSync(file, (await t.http.get('/docs/openapi.json')).text);
    const root = resolve(import.meta.dirname, '../..');
    let output: string;
    try {
      output = execFileSync(join(root, 'node_modules/.bin/spectral'), ['lint', file, '--ruleset', join(root, '.spectral.yaml'), '-f', 'json', '--quiet'], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (error) {
      output = (error as { stdout: string }).stdout; // spectral exits 1 when it finds errors
    }
    const counts: Record<string, number> = {};
    for (const finding of JSON.parse(output) as Array<{ code: string; severity: number }>) {
      if (finding.severity === 0) counts[finding.code] = (counts[finding.code] ?? 0) + 1; // errors
    }
    const baseline: Record<string, number> = JSON.parse(readFileSync(join(import.meta.dirname, 'owasp-baseline.json'), 'utf8'));
    console.log(`OWASP findings: ${JSON.stringify(counts)}`);
    const worse = Object.entries(counts)
      .filter(([code, n]) => n > (baseline[code] ?? 0))
      .map(([code, n]) => `${code}: ${n} (baseline ${baseline[code] ?? 0})`);
    if (worse.length > 0) {
      // where the rules that got worse find something, to point at the change
      const codes = new Set(worse.map((w) => w.split(':').slice(0, 3).join(':')));
      const where = (JSON.parse(output) as Array<{ code: string; path: string[] }>)
        .filter((f) => codes.has(f.code))
        .map((f) => `${f.code} ${f.path.join('.')}`);
      console.log(where.join('\n'));
    }
    expect(worse).toEqual([]);
  }, 120_000);
});
