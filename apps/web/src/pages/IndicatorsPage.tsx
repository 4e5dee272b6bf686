import { Alert, Button, Group, Loader, NativeSelect, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Bar, BarChart, CartesianGrid, LabelList, Legend, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { INDICATOR_SECTIONS, sectionColumns, type IndicatorSection as Section } from '../../../../libs/domain/src/indicators/indicator-presentation';
import { api, download, problemText, type Problem, type Schemas } from '../api/client';
import { useI18n, type Translate } from '../i18n/i18n';
import { ProblemAlert } from '../ui/ProblemAlert';
import { usePageTitle } from '../ui/usePageTitle';

type Report = Schemas['IndicatorReportDto'];
type Row = Schemas['IndicatorRowDto'];
type Period = Report['period'];

/** What the page shows: whose figures, split how (the API's groupBy, and its scope for a split by type). */
const VIEWS = {
  organisation: { groupBy: 'organisation', scope: undefined },
  region: { groupBy: 'region', scope: undefined },
  municipality: { groupBy: 'municipality', scope: undefined },
  type: { groupBy: 'type', scope: 'organisation' },
  typeRegion: { groupBy: 'type', scope: 'region' },
} as const;
type View = keyof typeof VIEWS;

/** Bar colours: dark enough for the white numbers on them (WCAG AA), told apart by the legend and the table too. */
const COLOURS = ['#1864ab', '#c92a2a', '#5f3dc4', '#a61e4d', '#2b8a3e', '#d9480f', '#0b7285'];
const WITHHELD_COLOUR = '#495057';

const valueOf = (row: Row, indicator: string) => row.values.find((v) => v.indicator === indicator);

/**
 * The cooperation's figures for the steering group and the team lead: handovers, trajectories, work
 * after 6 to 24 months, obstacles, signals, consents and agreements, for the own organisation, the
 * region or its municipalities, per period. Each chart has a table of the same numbers; a figure of
 * fewer than five persons, or one that would give such a figure away, is withheld.
 */
export function IndicatorsPage() {
  const { t, locale, language } = useI18n();
  usePageTitle(t('indicators.title'));
  // a link may open a view (the steering group's "figures since the last meeting")
  const [params] = useSearchParams();
  const [view, setView] = useState<View>(() => ((params.get('view') ?? '') in VIEWS ? (params.get('view') as View) : 'organisation'));
  const [period, setPeriod] = useState<Period>(() =>
    ['month', 'quarter', 'year'].includes(params.get('period') ?? '') ? (params.get('period') as Period) : 'quarter',
  );
  const [from, setFrom] = useState(() => (/^\d{4}-\d{2}-\d{2}$/.test(params.get('from') ?? '') ? params.get('from')! : ''));
  const [to, setTo] = useState(() => (/^\d{4}-\d{2}-\d{2}$/.test(params.get('to') ?? '') ? params.get('to')! : ''));
  const [problem, setProblem] = useState<Problem | null>(null);
  const { groupBy, scope } = VIEWS[view];
  const query = { groupBy, period, ...(scope ? { scope } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) } as const;
  const report = useQuery({
    queryKey: ['indicators', query],
    queryFn: async () => {
      const { data, error } = await api.GET('/indicators', { params: { query } });
      if (error) throw error;
      return data as Report; // JSON here; the CSV is a download
    },
  });
  const file = (format: 'csv' | 'pdf') => {
    const params = new URLSearchParams({ ...query, format, ...(format === 'pdf' ? { lang: language } : {}) } as Record<string, string>);
    void download(`/indicators?${params}`, `indicators-${groupBy}-${period}.${format}`).then(setProblem);
  };
  const rows = report.data?.rows ?? [];
  const groups = new Set(rows.map((r) => `${r.key}|${r.type ?? ''}`));
  const periods = new Set(rows.map((r) => r.periodStart));
  const periodText = (row: Row) => periodLabel(period, row.periodStart, locale, t);
  const groupText = (row: Row) => (row.type ? t(`trajectoryType.${row.type}`) : row.name);
  const label = (row: Row) => (groups.size > 1 ? (periods.size > 1 ? `${groupText(row)}, ${periodText(row)}` : groupText(row)) : periodText(row));
  const sections = INDICATOR_SECTIONS.filter((s) => rows.some((r) => s.series.some((k) => valueOf(r, k))));
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('indicators.title')}
      </Title>
      <Text maw={760}>{t('indicators.intro')}</Text>
      <Group align="end">
        <NativeSelect
          label={t('indicators.view')}
          value={view}
          onChange={(e) => setView(e.currentTarget.value as View)}
          data={(Object.keys(VIEWS) as View[]).map((v) => ({ value: v, label: t(`indicators.view.${v}`) }))}
        />
        <NativeSelect
          label={t('indicators.period')}
          value={period}
          onChange={(e) => setPeriod(e.currentTarget.value as Period)}
          data={(['month', 'quarter', 'year'] as const).map((p) => ({ value: p, label: t(`indicators.period.${p}`) }))}
        />
        <TextInput type="date" label={t('indicators.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput type="date" label={t('indicators.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        <Button variant="default" onClick={() => file('csv')}>
          {t('indicators.csv')}
        </Button>
        <Button variant="default" onClick={() => file('pdf')}>
          {t('indicators.pdf')}
        </Button>
      </Group>
      {(problem || report.isError) && <ProblemAlert>{t('app.error', { detail: problemText(problem ?? report.error) })}</ProblemAlert>}
      {report.isPending ? (
        <Loader aria-label={t('app.loading')} />
      ) : (
        report.data && (
          <>
            <Text size="sm" role="status">
              {report.data.refreshedAt
                ? t('indicators.refreshed', { at: new Date(report.data.refreshedAt).toLocaleString(locale, { dateStyle: 'long', timeStyle: 'short' }) })
                : t('indicators.neverRefreshed')}
            </Text>
            <Alert variant="light" color="gray" title={t('indicators.withheldTitle')} maw={760}>
              {t('indicators.withheld')}
            </Alert>
            {rows.length === 0 ? (
              <Text>{view === 'organisation' ? t('indicators.empty') : t('indicators.noRegion')}</Text>
            ) : (
              sections.map((section) => <IndicatorSection key={section.id} section={section} rows={rows} label={label} />)
            )}
          </>
        )
      )}
    </Stack>
  );
}

interface BarLabelProps {
  x?: number | string;
  y?: number | string;
  width?: number | string;
  height?: number | string;
  value?: unknown;
}

/** The number on a bar (in a stacked bar, in its middle, white on the dark colour), named by its series for the tests. */
function BarLabel({ x, y, width, height, value, series, inside, text }: BarLabelProps & { series: string; inside: boolean; text: (value: number) => string }) {
  if (typeof value !== 'number' || value <= 0) return null;
  const [left, top, w, h] = [x, y, width, height].map(Number);
  return (
    <text
      x={left + w / 2}
      y={inside ? top + h / 2 : top - 6}
      textAnchor="middle"
      dominantBaseline={inside ? 'central' : 'auto'}
      fill={inside ? '#ffffff' : '#212529'}
      fontSize={12}
      data-series={series}
    >
      {text(value)}
    </text>
  );
}

function periodLabel(period: Period, start: string, locale: string, t: Translate): string {
  const [y, m] = start.split('-').map(Number);
  if (period === 'year') return String(y);
  if (period === 'quarter') return t('indicators.quarter', { quarter: Math.floor((m - 1) / 3) + 1, year: y });
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, 1));
}

function IndicatorSection({ section, rows, label }: { section: Section; rows: Row[]; label: (row: Row) => string }) {
  const { t, locale } = useI18n();
  const headingId = useId();
  const withheldKey = `${section.id}.withheld`;
  const data = rows.map((row) => {
    const point: Record<string, string | number | null> = { label: label(row) };
    for (const key of section.series) {
      const v = valueOf(row, key);
      point[key] = v && !v.suppressed && v.value !== null ? (section.share ? Math.round(v.value * 1000) / 10 : v.value) : null;
    }
    if (section.total) {
      // what the total holds besides the parts shown: the withheld parts together (never fewer than five persons, or none)
      const total = valueOf(row, section.total);
      const shown = section.series.reduce((sum, key) => sum + (Number(point[key]) || 0), 0);
      point[withheldKey] = total && !total.suppressed && total.value !== null && total.value > shown ? total.value - shown : null;
    }
    return point;
  });
  const bars = [...section.series, ...(section.total ? [withheldKey] : [])];
  const name = (key: string) => (key === withheldKey ? t('indicators.withheldPart') : t(`indicator.${key}`));
  const format = (key: string, value: number | null | undefined) => {
    if (value === null || value === undefined) return '';
    if (key.endsWith('Share')) return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value);
    if (key.endsWith('.median') || key.endsWith('.p90')) return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
    return new Intl.NumberFormat(locale).format(value);
  };
  const columns = sectionColumns(section);
  return (
    <section aria-labelledby={headingId} data-section={section.id}>
      <Title order={2} size="h3" id={headingId} mb="xs">
        {t(`indicators.section.${section.id}`)}
      </Title>
      {/* the chart repeats the table below it for the eye; screen readers read the table */}
      <div role="img" aria-label={t('indicators.chartLabel', { section: t(`indicators.section.${section.id}`) })} style={{ width: '100%', height: 280 }}>
        <ResponsiveContainer>
          <BarChart data={data} margin={{ top: 20, right: 16, bottom: 8, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fill: '#212529', fontSize: 12 }} />
            <YAxis
              allowDecimals={false}
              tick={{ fill: '#212529', fontSize: 12 }}
              unit={section.share ? '%' : undefined}
              domain={section.share ? [0, 100] : undefined}
            />
            <Legend itemSorter={null} formatter={(value: string) => <span style={{ color: '#212529' }}>{name(value)}</span>} />
            {bars.map((key, i) => (
              <Bar
                key={key}
                dataKey={key}
                name={key}
                className={`bar-${key.replace(/\./g, '-')}`}
                stackId={section.total ? 'parts' : undefined}
                fill={key === withheldKey ? WITHHELD_COLOUR : COLOURS[i % COLOURS.length]}
                isAnimationActive={false}
              >
                <LabelList
                  dataKey={key}
                  content={(props) => (
                    <BarLabel
                      {...(props as BarLabelProps)}
                      series={key}
                      inside={Boolean(section.total)}
                      text={(v) => (section.share ? `${format('x', v)}%` : format('x', v))}
                    />
                  )}
                />
              </Bar>
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      {/* a wide table scrolls sideways; the scrolling box takes the focus so it can be scrolled by keyboard */}
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={headingId}>
        <Table striped withTableBorder miw={560}>
          <Table.Caption>{t(`indicators.section.${section.id}`)}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('indicators.column.row')}</Table.Th>
              {columns.map((key) => (
                <Table.Th scope="col" key={key} data-indicator={key}>
                  {t(`indicator.${key}`)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={`${row.periodStart}|${row.key}|${row.type ?? ''}`}>
                <Table.Th scope="row">{label(row)}</Table.Th>
                {columns.map((key) => {
                  const v = valueOf(row, key);
                  return (
                    <Table.Td key={key} data-indicator={key}>
                      {v?.suppressed ? (
                        <>
                          <span aria-hidden="true">—</span>
                          <VisuallyHidden>{t('indicators.withheldCell')}</VisuallyHidden>
                        </>
                      ) : (
                        format(key, v?.value)
                      )}
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
    </section>
  );
}
