import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import type { Checkpoint } from './audit-checkpointer.js';
import type { AccessReportLine } from './audit-query.service.js';

/**
 * Says a message of the reader's language: `key` with its ICU arguments, or undefined for a key the
 * catalogue lacks (the code is then shown as it is).
 */
export type Say = (key: string, params?: Record<string, unknown>) => string | undefined;

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
 * (`=`, `+`, `-`, `@`, tab, CR) is neutralised with a leading apostrophe (OWASP CSV injection).
 */
export function accessReportCsv(lines: AccessReportLine[], say: Say = () => undefined): string {
  const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
  const cell = (value: unknown) => {
    let t = text(value);
    if (/^[=+\-@\t\r]/.test(t)) t = `'${t}`;
    return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  };
  const withEmployees = lines.some((l) => 'employeeId' in l);
  const columns = ['date', 'organisation', 'function', 'purpose', 'categories', 'action', 'ground', ...(withEmployees ? ['employee'] : [])];
  const header = columns.map((c) => say(`report.column.${c}`) ?? c);
  const body = lines.map((l) => {
    const w = inWords(l, say);
    return [w.time, w.organisation, w.function, w.purpose, w.categories, w.action, w.ground, ...(withEmployees ? [l.employeeId] : [])].map(cell).join(',');
  });
  return [header.map(cell).join(','), ...body].join('\r\n') + '\r\n';
}

export interface AccessReportDocument {
  lines: AccessReportLine[];
  /** the client's name from the reporting organisation's own file (null once erased) */
  personName: string | null;
  personId: string;
  organisationName: string;
  period: { from?: string; to?: string };
  generatedAt: Date;
  /** per chain the report draws on, the first signed checkpoint at or after its last reported event */
  checkpoints: Checkpoint[];
  publicKeyPem: string;
}

const FONTS = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');

/**
 * The who-saw-my-data report as a PDF to hand to the citizen, in their language: every access with
 * its Brussels date and time, organisation, function, purpose, data, action and ground in words, then
 * the signed checkpoints that cover the accesses listed, with the public key, so the citizen, a lawyer
 * or a court can check that the trail was not altered after the fact. DejaVu Sans (embedded) has every
 * accented letter of Dutch, French and the names of this country's residents. The checkpoints are also
 * attached as `checkpoints.json` for software.
 */
export function accessReportPdf(report: AccessReportDocument, say: Say): Promise<Buffer> {
  const t = (key: string, params?: Record<string, unknown>) => say(key, params) ?? key;
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
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

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

  if (report.lines.length === 0) doc.font('bold').text(t('report.pdf.empty'));
  report.lines.forEach((line, index) => {
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
  });

  doc.addPage();
  doc.font('bold').fontSize(14).text(t('report.pdf.check-title'));
  doc.moveDown(0.5).font('text').fontSize(9).text(t('report.pdf.check-intro'));
  for (const checkpoint of report.checkpoints) {
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
  doc.file(Buffer.from(JSON.stringify({ checkpoints: report.checkpoints, publicKeyPem: report.publicKeyPem }, null, 2)), {
    name: 'checkpoints.json',
    type: 'application/json',
    description: t('report.pdf.check-title'),
  });
  doc.end();
  return done;
}
