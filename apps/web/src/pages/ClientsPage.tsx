import { Anchor, Badge, Button, Group, Loader, Stack, Table, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, problemText } from '../api/client';
import { formatDay, useI18n } from '../i18n/i18n';
import { purposeHeader, useSession } from '../session/session';
import { usePageTitle } from '../ui/usePageTitle';
import { ProblemAlert } from '../ui/ProblemAlert';
import { Worklist } from '../ui/Worklist';

/** My caseload: the organisation's clients and the partner files the purpose on screen opens, searchable. */
export function ClientsPage() {
  const { t, locale } = useI18n();
  const { purpose } = useSession();
  const [search, setSearch] = useState('');
  const [term] = useDebouncedValue(search.trim(), 300);
  usePageTitle(t('clients.title'));
  const clients = useInfiniteQuery({
    queryKey: ['clients', term, purpose],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => {
      const { data, error } = await api.GET('/clients', {
        params: { query: { search: term || undefined, cursor: pageParam, limit: 100 }, header: purposeHeader(purpose) },
      });
      if (error) throw error;
      return data;
    },
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = clients.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('clients.title')}
        </Title>
        <Button component={Link} to="/clients/new">
          {t('register.title')}
        </Button>
      </Group>
      <Worklist />
      <TextInput
        label={t('clients.search')}
        description={t('clients.searchHelp')}
        type="search"
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
        maw={480}
      />
      {clients.isError && <ProblemAlert>{t('app.error', { detail: problemText(clients.error) })}</ProblemAlert>}
      {clients.isPending ? (
        <Loader aria-label={t('app.loading')} />
      ) : (
        <Table striped highlightOnHover aria-busy={clients.isFetching}>
          <Table.Caption>{t('clients.caption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('clients.name')}</Table.Th>
              <Table.Th scope="col">{t('clients.birthDate')}</Table.Th>
              <Table.Th scope="col">{t('clients.file')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={3}>{t('clients.empty')}</Table.Td>
              </Table.Tr>
            )}
            {items.map((client) => (
              <Table.Tr key={client.id}>
                <Table.Th scope="row" fw="normal">
                  <Anchor component={Link} to={`/clients/${client.id}`}>
                    {client.name ? `${client.name.lastName}, ${client.name.firstName}` : t('clients.unnamed')}
                  </Anchor>
                </Table.Th>
                <Table.Td>{client.name ? formatDay(client.name.birthDate, locale) : ''}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={client.ownFile ? 'blue' : 'grape'}>
                    {client.ownFile ? t('clients.ownFile') : t('clients.partnerFile')}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {clients.hasNextPage && (
        <Button variant="default" w="fit-content" loading={clients.isFetchingNextPage} onClick={() => void clients.fetchNextPage()}>
          {t('clients.more')}
        </Button>
      )}
    </Stack>
  );
}
