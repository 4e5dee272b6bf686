import { Anchor, Button, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, download, problemText, type Problem, type Schemas } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { usePageTitle } from '../ui/usePageTitle';
import { ProblemAlert } from '../ui/ProblemAlert';

/**
 * Who saw my data: for one client of the privacy officer's organisation, every access to its data by
 * anyone (which organisation, function, purpose, categories, on which ground), in a period; the same as
 * the CSV and the signed PDF the citizen receives.
 */
export function AccessReportPage() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  usePageTitle(t('report.title'));
  const period = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
  const report = useQuery({
    queryKey: ['access-report', id, from, to],
    queryFn: async () => {
      const { data, error } = await api.GET('/clients/{id}/access-report', { params: { path: { id }, query: { ...period, limit: 200 } } });
      if (error) throw error;
      return data as Schemas['AccessReportPageDto']; // JSON here; CSV and PDF are downloads
    },
  });
  const file = (format: 'csv' | 'pdf') => {
    const query = new URLSearchParams({ format, lang: language, ...period });
    void download(`/clients/${id}/access-report?${query}`, `access-report-${id}.${format}`).then(setProblem);
  };
  return (
    <Stack>
      <Anchor component={Link} to="/privacy" size="sm">
        {t('report.back')}
      </Anchor>
      <Title order={1} size="h2">
        {t('report.title')}
      </Title>
      <Group align="end">
        <TextInput type="date" label={t('report.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput type="date" label={t('report.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        <Button variant="default" onClick={() => file('csv')}>
          {t('report.csv')}
        </Button>
        <Button variant="default" onClick={() => file('pdf')}>
          {t('report.pdf')}
        </Button>
      </Group>
      {(problem || report.isError) && <ProblemAlert>{problemText(problem ?? report.error)}</ProblemAlert>}
      {report.isPending ? (
        <Loader aria-label={t('app.loading')} />
      ) : (
        report.data && (
          <>
            <Table striped>
              <Table.Caption>{t('report.caption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('report.when')}</Table.Th>
                  <Table.Th scope="col">{t('report.organisation')}</Table.Th>
                  <Table.Th scope="col">{t('report.function')}</Table.Th>
                  <Table.Th scope="col">{t('report.categories')}</Table.Th>
                  <Table.Th scope="col">{t('report.ground')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.data.items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={5}>{t('report.empty')}</Table.Td>
                  </Table.Tr>
                )}
                {report.data.items.map((line) => (
                  <Table.Tr key={`${line.event.chain}-${line.event.seq}`}>
                    <Table.Td>{line.localTime}</Table.Td>
                    <Table.Td>{line.organisationName}</Table.Td>
                    <Table.Td>
                      {([] as string[])
                        .concat(line.function ?? [])
                        .map((role) => t(`role.${role}`))
                        .join(', ')}
                    </Table.Td>
                    <Table.Td>{line.categories.map((c) => t(`category.${c}`)).join(', ')}</Table.Td>
                    <Table.Td>{line.groundText}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {report.data.nextCursor && <Text size="sm">{t('report.more')}</Text>}
          </>
        )
      )}
    </Stack>
  );
}
