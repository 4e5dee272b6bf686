import { Anchor, List, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, problemText } from '../api/client';
import { formatDay, useI18n } from '../i18n/i18n';
import { usePageTitle } from '../ui/usePageTitle';
import { ProblemAlert } from '../ui/ProblemAlert';

/** The privacy officer looks up a client of the organisation, to answer who saw her data. */
export function PrivacyPage() {
  const { t, locale } = useI18n();
  const [search, setSearch] = useState('');
  const [term] = useDebouncedValue(search.trim(), 300);
  usePageTitle(t('privacy.title'));
  const found = useQuery({
    queryKey: ['privacy-lookup', term],
    enabled: term.length >= 2,
    queryFn: async () => {
      const { data, error } = await api.GET('/clients', { params: { query: { search: term, limit: 25 } } });
      if (error) throw error;
      return data.items;
    },
  });
  return (
    <Stack maw={720}>
      <Title order={1} size="h2">
        {t('privacy.title')}
      </Title>
      <Text>{t('privacy.intro')}</Text>
      <TextInput type="search" label={t('clients.search')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
      {found.isError && <ProblemAlert>{t('app.error', { detail: problemText(found.error) })}</ProblemAlert>}
      {found.data && (
        <List aria-label={t('privacy.results')}>
          {found.data.length === 0 && <List.Item>{t('clients.empty')}</List.Item>}
          {found.data.map((client) => (
            <List.Item key={client.id}>
              <Anchor component={Link} to={`/privacy/clients/${client.id}`}>
                {client.name ? `${client.name.lastName}, ${client.name.firstName} (${formatDay(client.name.birthDate, locale)})` : t('clients.unnamed')}
              </Anchor>
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}
