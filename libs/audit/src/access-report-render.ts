import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import PDFDocument from 'pdfkit';
import type { Checkpoint } from './audit-checkpointer.js';
import { csvCell } from '@app/kernel';
import type { AccessReportLine } from './audit-query.service.js';

/**
 * Says a message of the reader's language: `key` with its ICU arguments, or undefined for a key the
 * catalogue lacks (the code is then shown as it is).
 */
export type Say = (key: string, params?: Record<string, unknown>) => string | undefined;
/** `Say` with the key itself for a key the catalogue lacks. */
type Text = (key: string, params?: Record<string, unknown>) => string;

/** A calendar day (`YYYY-MM-DD`) as a moment that is that day in Brussels, for `{on, date, brussels}`. */
const day = (text: string) => new Date(`${text}T12:00:00Z`);

/**
 * The legal ground of one access in words, in the reader's language: the organisation's own file; the
 * handover, the consent or notice (with its date) and the cooperation agreement (with its reference)
 * a partner read under; or break-the-glass with the justification the user typed. Empty for a denied
 * attempt, which had none.
 */
export function groundInWords(line: Pick<AccessReportLine, 'ground' | 'groundDetail'>, say: Say): string {
  if (!line.ground) return '';
  const d = line.groundDetail ?? {};
  const kind = (fallback: string) => say(`report.ground.${line.ground}`) ?? fallback;
  if (line.ground === 'OWNER') return kind('OWNER');
  if (line.ground === 'BREAK_GLASS')
    return d.justification ? (say('report.ground.break-glass', { justification: d.justification }) ?? '') : kind('BREAK_GLASS');
  const parts = [
    d.handoverSentOn && say('report.ground.handover', { on: day(d.handoverSentOn) }),
    d.consentFrom && say(d.legalBasis === 'PUBLIC_TASK_NOTICE' ? 'report.ground.notice' : 'report.ground.consent', { on: day(d.consentFrom) }),
    d.agreementReference && say('report.ground.agreement', { reference: d.agreementReference }),
  ].filter((part): part is string => Boolean(part));
  return parts.length > 0 ? parts.join('; ') : kind(line.ground);
}

/** One line of the report in the reader's words, shared by the CSV and the PDF. */
function inWords(line: AccessReportLine, say: Say) {
  const label = (key: string, fallback: string) => say(key) ?? fallback;
  return {
    time: line.localTime,
    organisation: line.organisationName ?? line.organisationId ?? '',
    function: line.function.map((role) => label(`report.role.${role}`, role)).join(', '),
    purpose: line.purpose ? label(`report.purpose.${line.purpose}`, line.purpose) : '',
    categories: line.categories.map((c) => label(`report.category.${c}`, c)).join(', '),
    action: label(`report.action.${line.action}`, line.action),
    ground: groundInWords(line, say),
  };
}

/**
 * RFC 4180 CSV of the report, for the client, in the reader's language: Brussels local time, what each
 * person does rather than who, the ground in words. A cell that a spreadsheet would run as a formula
 * (`=`, `+`, `-`, `@`, tab, CR) is neutralised with a leading apostrophe (OWASP CSV injection). Written
 * a page of lines at a time, as they are read, so a long report never sits in memory whole.
 */
export async function* accessReportCsv(pages: AsyncIterable<AccessReportLine[]>, withEmployees: boolean, say: Say = () => undefined): AsyncGenerator<string> {
  const columns = ['date', 'organisation', 'function', 'purpose', 'categories', 'action', 'ground', ...(withEmployees ? ['employee'] : [])];
  yield columns.map((c) => csvCell(say(`report.column.${c}`) ?? c)).join(',') + '\r\n';
  for await (const lines of pages) {
    let chunk = '';
    for (const l of lines) {
      const w = inWords(l, say);
      chunk +=
        [w.time, w.organisation, w.function, w.purpose, w.categories, w.action, w.ground, ...(withEmployees ? [l.employeeId] : [])].map(csvCell).join(',') +
        '\r\n';
    }
    yield chunk;
  }
}

export interface AccessReportDocument {
  /** the lines, a page at a time as they are read */
  lines: AsyncIterable<AccessReportLine[]>;
  /** the client's name from the reporting organisation's own file (null once erased) */
  personName: string | null;
  personId: string;
  organisationName: string;
  period: { from?: string; to?: string };
  generatedAt: Date;
  /** per chain the report draws on, the first signed checkpoint at or after its last reported event (asked after the lines) */
  checkpoints: (events: ReadonlyArray<{ chain: string; seq: number }>) => Promise<Checkpoint[]>;
  publicKeyPem: string;
}

const FONTS = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');

/**
 * The who-saw-my-data report as a PDF to hand to the citizen, in their language: every access with
 * its Brussels date and time, organisation, function, purpose, data, action and ground in words, then
 * the signed checkpoints that cover the accesses listed, with the public key, so the citizen, a lawyer
 * or a court can check that the trail was not altered after the fact. DejaVu Sans (embedded) has every
 * accented letter of Dutch, French and the names of this country's residents. The checkpoints are also
 * attached as `checkpoints.json` for software. The document is a stream, written while the lines are
 * read a page at a time; the checkpoints come last, once the lines have named their events.
 */
export function accessReportPdf(report: AccessReportDocument, say: Say): Readable {
  const t: Text = (key, params) => say(key, params) ?? key;
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    lang: t('report.pdf.lang'),
    displayTitle: true,
    info: { Title: t('report.pdf.title'), Author: report.organisationName, CreationDate: report.generatedAt },
  });
  doc.registerFont('text', join(FONTS, 'DejaVuSans.ttf'));
  doc.registerFont('bold', join(FONTS, 'DejaVuSans-Bold.ttf'));
  doc.registerFont('mono', join(FONTS, 'DejaVuSansMono.ttf'));
  void writeReport(doc, report, t, say).catch((error: unknown) => doc.destroy(error instanceof Error ? error : new Error(String(error))));
  return doc;
}

async function writeReport(doc: PDFKit.PDFDocument, report: AccessReportDocument, t: Text, say: Say) {
  doc.font('bold').fontSize(18).text(t('report.pdf.title'));
  doc.moveDown(0.5).font('text').fontSize(10);
  doc.text(t('report.pdf.about', { name: report.personName ?? report.personId }));
  doc.text(t('report.pdf.issued', { organisation: report.organisationName, on: report.generatedAt }));
  const from = report.period.from ? day(report.period.from) : undefined;
  const to = report.period.to ? day(report.period.to) : undefined;
  doc.text(
    from && to
      ? t('report.pdf.period', { from, to })
      : from
        ? t('report.pdf.period-from', { from })
        : to
          ? t('report.pdf.period-to', { to })
          : t('report.pdf.period-all'),
  );
  doc.moveDown(0.5).text(t('report.pdf.intro'));
  doc.moveDown();

  // the highest event per chain the report names: the checkpoints must cover them
  const reached = new Map<string, number>();
  let index = 0;
  for await (const lines of report.lines) {
    for (const line of lines) {
      reached.set(line.event.chain, Math.max(line.event.seq, reached.get(line.event.chain) ?? 0));
      writeLine(doc, line, index++, t, say);
    }
  }
  if (index === 0) doc.font('bold').text(t('report.pdf.empty'));
  const checkpoints = await report.checkpoints([...reached].map(([chain, seq]) => ({ chain, seq })));

  doc.addPage();
  doc.font('bold').fontSize(14).text(t('report.pdf.check-title'));
  doc.moveDown(0.5).font('text').fontSize(9).text(t('report.pdf.check-intro'));
  for (const checkpoint of checkpoints) {
    doc.moveDown(0.6).font('mono').fontSize(7.5);
    doc.text(`chain: ${checkpoint.chain}`);
    doc.text(`seq: ${checkpoint.seq}`);
    doc.text(`headHash: ${checkpoint.headHash}`);
    doc.text(`time: ${checkpoint.time}`);
    doc.text(`keyId: ${checkpoint.keyId}`);
    doc.text(`signature: ${checkpoint.signature}`);
  }
  doc.moveDown().font('text').fontSize(9).text(t('report.pdf.public-key'));
  doc.font('mono').fontSize(7.5).text(report.publicKeyPem.trim());
  doc.file(Buffer.from(JSON.stringify({ checkpoints, publicKeyPem: report.publicKeyPem }, null, 2)), {
    name: 'checkpoints.json',
    type: 'application/json',
    description: t('report.pdf.check-title'),
  });
  doc.end();
}

function writeLine(doc: PDFKit.PDFDocument, line: AccessReportLine, index: number, t: Text, say: Say) {
  const w = inWords(line, say);
  if (doc.y > doc.page.height - 170) doc.addPage();
  doc
    .font('bold')
    .fontSize(10)
    .text(`${index + 1}. ${w.time}  ${w.organisation}`);
  doc.font('text').fontSize(9);
  const left = doc.page.margins.left + 14;
  const width = doc.page.width - doc.page.margins.right - left;
  const row = (label: string, value: string) =>
    value && doc.text(t('report.pdf.row', { label: t(`report.column.${label}`), value }), left, undefined, { width });
  row('function', w.function);
  row('purpose', w.purpose);
  row('categories', w.categories);
  row('action', w.action);
  row('ground', w.ground);
  doc
    .font('mono')
    .fontSize(7)
    .fillColor('#444')
    .text(t('report.pdf.event', { chain: line.event.chain, seq: line.event.seq }), left, undefined, { width });
  doc.fillColor('black').moveDown(0.4);
  doc.x = doc.page.margins.left;
}
