import { Anchor, Badge, Group, Loader, SegmentedControl, Stack, Table, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, problemText } from '../api/client';
import { useOrganisationName } from '../api/hooks';
import { formatDay, useI18n } from '../i18n/i18n';
import { usePageTitle } from '../ui/usePageTitle';
import { ProblemAlert } from '../ui/ProblemAlert';

type Box = 'inbox' | 'outbox';

/** Handovers received (inbox) and sent (outbox): counts per state, deadlines, overdue marked. */
export function HandoversPage() {
  const { t, locale } = useI18n();
  const nameOf = useOrganisationName();
  const [box, setBox] = useState<Box>('inbox');
  usePageTitle(t(`handovers.${box}`));
  const queue = useQuery({
    queryKey: ['handovers', box],
    queryFn: async () => {
      const { data, error } = await api.GET('/handovers', { params: { query: { box, limit: 50 } } });
      if (error) throw error;
      return data;
    },
  });
  const counts = Object.entries((queue.data?.counts ?? {}) as Record<string, number>).filter(([, n]) => n > 0);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('handovers.title')}
      </Title>
      <SegmentedControl
        w="fit-content"
        value={box}
        onChange={(v) => setBox(v as Box)}
        data={[
          { value: 'inbox', label: t('handovers.inbox') },
          { value: 'outbox', label: t('handovers.outbox') },
        ]}
      />
      {counts.length > 0 && (
        <Group gap="xs" aria-label={t('handovers.counts')}>
          {counts.map(([status, n]) => (
            <Badge key={status} variant="light">
              {t(`status.${status}`)}: {n}
            </Badge>
          ))}
        </Group>
      )}
      {queue.isError && <ProblemAlert>{t('app.error', { detail: problemText(queue.error) })}</ProblemAlert>}
      {queue.isPending ? (
        <Loader aria-label={t('app.loading')} />
      ) : (
        <Table striped highlightOnHover>
          <Table.Caption>{t(`handovers.${box}`)}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('handovers.kind')}</Table.Th>
              <Table.Th scope="col">{box === 'inbox' ? t('handovers.from') : t('handovers.to')}</Table.Th>
              <Table.Th scope="col">{t('handovers.status')}</Table.Th>
              <Table.Th scope="col">{t('handovers.due')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {queue.data?.items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={4}>{t('handovers.empty')}</Table.Td>
              </Table.Tr>
            )}
            {queue.data?.items.map((h) => (
              <Table.Tr key={h.id}>
                <Table.Th scope="row" fw="normal">
                  <Anchor component={Link} to={`/handovers/${h.id}`}>
                    {t(`kind.${h.kind}`)}, {t('handovers.sentOn', { on: new Date(h.sentAt ?? h.createdAt) })}
                  </Anchor>
                </Table.Th>
                <Table.Td>{nameOf(box === 'inbox' ? h.fromOrganisationId : h.toOrganisationId)}</Table.Td>
                <Table.Td>{t(`status.${h.status}`)}</Table.Td>
                <Table.Td>
                  {h.dueDate ? formatDay(h.dueDate, locale) : ''}
                  {h.overdue && (
                    <Badge ml="xs" color="red">
                      {t('handovers.overdue')}
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
