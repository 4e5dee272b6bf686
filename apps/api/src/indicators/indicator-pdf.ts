import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import PDFDocument from 'pdfkit';
import { INDICATOR_LABELS, INDICATOR_SECTIONS, sectionColumns, type IndicatorReport, type IndicatorRow } from '@app/domain';

const FONTS = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');

type Say = (key: string, params?: Record<string, unknown>) => string;
type Language = keyof typeof INDICATOR_LABELS;

/**
 * The figures as a PDF for the steering group, in the reader's language: whose figures and for which
 * periods, when they were brought up to date, and per section of the dashboard the table of its
 * numbers (A4 landscape). Withheld figures are a dash, as on screen, with the rule said once on top.
 */
export function indicatorPdf(report: IndicatorReport, language: Language, say: Say, generatedAt: Date): Readable {
  const label = (key: string) => INDICATOR_LABELS[language][key] ?? key;
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 40,
    lang: language,
    displayTitle: true,
    info: { Title: say('indicators.pdf.title'), Author: report.organisation.name, CreationDate: generatedAt },
  });
  doc.registerFont('text', join(FONTS, 'DejaVuSans.ttf'));
  doc.registerFont('bold', join(FONTS, 'DejaVuSans-Bold.ttf'));
  const locale = language === 'nl' ? 'nl-BE' : language === 'fr' ? 'fr-BE' : 'en-GB';
  const day = (d: string | Date) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Europe/Brussels' }).format(typeof d === 'string' ? new Date(`${d}T12:00:00Z`) : d);

  doc.font('bold').fontSize(18).text(say('indicators.pdf.title'));
  doc.moveDown(0.4).font('text').fontSize(10);
  const whose =
    report.groupBy === 'organisation' || (report.groupBy === 'type' && report.rows[0]?.scope === 'ORGANISATION')
      ? report.organisation.name
      : (report.region?.name ?? '');
  doc.text(say(`indicators.pdf.view.${report.groupBy}`, { name: whose }));
  const last = report.rows.at(-1)?.periodEnd ?? report.to;
  doc.text(say('indicators.pdf.period', { from: day(report.from), to: day(last), period: say(`indicators.pdf.per.${report.period}`) }));
  doc.text(
    report.refreshedAt
      ? say('indicators.pdf.refreshed', {
          at: new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Brussels' }).format(report.refreshedAt),
        })
      : say('indicators.pdf.never'),
  );
  doc.text(say('indicators.pdf.issued', { organisation: report.organisation.name, on: day(generatedAt) }));
  doc.moveDown(0.4).fontSize(9).text(say('indicators.pdf.withheld'));

  const groups = new Set(report.rows.map((r) => `${r.key}|${r.type ?? ''}`));
  const periods = new Set(report.rows.map((r) => r.periodStart));
  const periodText = (row: IndicatorRow) => {
    const [y, m] = row.periodStart.split('-').map(Number) as [number, number];
    if (report.period === 'year') return String(y);
    if (report.period === 'quarter') return say('indicators.pdf.quarter', { quarter: Math.floor((m - 1) / 3) + 1, year: y });
    return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, 1));
  };
  const groupText = (row: IndicatorRow) => (row.type ? say(`indicators.pdf.type.${row.type}`) : row.name);
  const rowText = (row: IndicatorRow) => (groups.size > 1 ? (periods.size > 1 ? `${groupText(row)}, ${periodText(row)}` : groupText(row)) : periodText(row));
  const format = (key: string, value: number | null | undefined, suppressed: boolean) => {
    if (suppressed) return '—';
    if (value === null || value === undefined) return '';
    if (key.endsWith('Share')) return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value);
    return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
  };

  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  for (const section of INDICATOR_SECTIONS) {
    if (!report.rows.some((r) => r.values.some((v) => v.indicator === section.series[0]))) continue;
    const columns = sectionColumns(section);
    const first = 130;
    const cell = (width - first) / columns.length;
    if (doc.y > doc.page.height - 160) doc.addPage();
    doc
      .moveDown(0.8)
      .font('bold')
      .fontSize(12)
      .text(label(`indicators.section.${section.id}`), left, undefined, { width });
    doc.moveDown(0.3).font('bold').fontSize(7);
    const headerTop = doc.y;
    doc.text(say('indicators.pdf.column.row'), left, headerTop, { width: first - 6 });
    let bottom = doc.y;
    columns.forEach((key, i) => {
      doc.text(label(`indicator.${key}`), left + first + i * cell, headerTop, { width: cell - 6, align: 'right' });
      bottom = Math.max(bottom, doc.y);
    });
    doc
      .moveTo(left, bottom + 2)
      .lineTo(left + width, bottom + 2)
      .lineWidth(0.5)
      .stroke();
    doc.y = bottom + 5;
    doc.font('text').fontSize(8);
    for (const row of report.rows) {
      if (doc.y > doc.page.height - 60) doc.addPage();
      const top = doc.y;
      doc.text(rowText(row), left, top, { width: first - 6 });
      let rowBottom = doc.y;
      columns.forEach((key, i) => {
        const v = row.values.find((x) => x.indicator === key);
        doc.text(format(key, v?.value, v?.suppressed ?? false), left + first + i * cell, top, { width: cell - 6, align: 'right' });
        rowBottom = Math.max(rowBottom, doc.y);
      });
      doc.y = rowBottom + 2;
    }
    doc.x = left;
  }
  doc.end();
  return doc;
}
