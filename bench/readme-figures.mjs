// Copies the figures of the newest committed benchmark report into the README, between
// <!-- bench:begin --> and <!-- bench:end -->, so that no figure there is typed by hand:
//   npm run bench:readme            (node bench/readme-figures.mjs) rewrites the block
//   node bench/readme-figures.mjs --check
//                                   exits 1 when the README's block is not what the script would write
// A report counts when it is committed (read from HEAD, not from the working tree), written by this
// bench (benchVersion 2 or later), on a clean tree, on audit chains that verified; the newest by its date.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const README = resolve(ROOT, 'README.md');
const BEGIN = '<!-- bench:begin -->';
const END = '<!-- bench:end -->';

const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });

/** The committed reports that are results, newest first. */
export function committedReports() {
  const files = git('ls-tree', '-r', '--name-only', 'HEAD', '--', 'bench/results')
    .split('\n')
    .filter((f) => f.endsWith('.json'));
  const reports = [];
  for (const file of files) {
    let report;
    try {
      report = JSON.parse(git('show', `HEAD:${file}`));
    } catch {
      continue; // not a report
    }
    if (!(report.benchVersion >= 2) || report.dirty || report.chains?.gate?.ok !== true || !report.verdicts) continue;
    reports.push({ file, report });
  }
  return reports.sort((a, b) => b.report.date.localeCompare(a.report.date) || a.file.localeCompare(b.file));
}

const num = (x) => (typeof x === 'number' && Math.abs(x) >= 10_000 ? Math.round(x).toLocaleString('en') : x);
const fmt = (s) => (s?.median === null || s?.median === undefined ? '–' : `${num(s.median)} (${num(s.min)}–${num(s.max)})`);
const atLeast = (s, deadlineMs) => (s?.median !== null && s?.median >= deadlineMs ? '≥ ' : '');

/** The README block for one report: its provenance, the scenarios, the ratios and the targets. */
export function block(entry) {
  const out = [BEGIN, '<!-- written by `npm run bench:readme` from the newest committed report in bench/results; do not edit by hand -->'];
  if (!entry) {
    out.push(
      'No committed report of this bench yet: run `npm run bench` on a clean tree, commit `bench/results/<date>-<scale>.json` and `.md`, then `npm run bench:readme`.',
      END,
    );
    return out.join('\n');
  }
  const { file, report: r } = entry;
  const c = r.meta.counts;
  const deadlineMs = r.deadlineMs ?? 5000;
  out.push(
    `From [\`${file.replace(/\.json$/, '.md')}\`](${file.replace(/\.json$/, '.md')}): scale ${r.scale} (${c.persons.toLocaleString('en')} persons, ` +
      `${c.auditEvents.toLocaleString('en')} audit events, generator v${r.meta.generatorVersion}), commit \`${r.commit.slice(0, 10)}\`, ${r.date.slice(0, 10)}; ` +
      `${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, PostgreSQL ${r.postgres}, Node ${r.machine.node}` +
      `${r.machine.loadAverageAtStart ? `, load average ${r.machine.loadAverageAtStart[0]} at the start` : ''}; ` +
      `${r.duration} s per run, median of ${r.repeats} runs (min–max).`,
    '',
    '| scenario | open-loop rate /s | p95 ms | p99 ms | closed-loop connections | per second |',
    '|---|---:|---:|---:|---:|---:|',
  );
  for (const s of Object.values(r.scenarios))
    out.push(
      `| ${s.label} | ${s.rate}${s.saturated ? ' (saturated)' : ''} | ${atLeast(s.open.p95, deadlineMs)}${fmt(s.open.p95)} | ${atLeast(s.open.p99, deadlineMs)}${fmt(s.open.p99)} | ${s.connections} | ${fmt(s.closed.perSecond)} |`,
    );
  out.push('');
  const x = r.ratios ?? {};
  const facts = [];
  if (r.ceiling?.tps) facts.push(`ceiling (pgbench, minimal work of a dossier read, ${r.ceiling.clients} clients) ${fmt(r.ceiling.tps)} tps`);
  if (x.S1toCeiling) facts.push(`S1 / ceiling ${x.S1toCeiling.value}${x.S1toCeiling.invalid ? ' (INVALID: above 1)' : ''}`);
  if (x.S1oneOrganisation) facts.push(`S1 all from VDAB / spread ${x.S1oneOrganisation.value}`);
  if (x.S2flandersToMedium) facts.push(`S2 p95 flanders / medium ${x.S2flandersToMedium.value}`);
  if (r.S6) facts.push(`verification ${fmt(r.S6.eventsPerSecond)} events/s`);
  if (r.W) facts.push(`audited writes ${fmt(r.W.eventsPerSecond)} events/s`);
  facts.push(`cold start ${fmt(r.api.coldStartMs)} ms, idle RSS ${r.api.idleRssMb} MB`);
  out.push(`${facts.join('; ')}.`, '', '| target (issue 15) | measured | met |', '|---|---|---|');
  for (const v of r.verdicts) out.push(`| ${v.target} | ${v.measured} | ${v.met === null ? '–' : v.met ? 'yes' : '**no**'} |`);
  out.push(END);
  return out.join('\n');
}

/** The README with its block replaced. */
export function withBlock(readme, text) {
  const from = readme.indexOf(BEGIN);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`README.md has no ${BEGIN} ... ${END} block`);
  return readme.slice(0, from) + text + readme.slice(to + END.length);
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename);
if (isMain) {
  const [newest] = committedReports();
  const readme = readFileSync(README, 'utf8');
  const wanted = withBlock(readme, block(newest));
  if (process.argv.includes('--check')) {
    if (wanted !== readme) {
      console.error(
        `README.md's benchmark figures are not those of ${newest ? newest.file : 'the committed reports (none)'}: run npm run bench:readme and commit the README.`,
      );
      process.exit(1);
    }
    console.log(`README.md's benchmark figures are those of ${newest ? newest.file : 'no committed report (none yet)'}.`);
  } else {
    writeFileSync(README, wanted);
    console.log(`README.md: benchmark figures from ${newest ? newest.file : 'no committed report (none yet)'}.`);
  }
}
