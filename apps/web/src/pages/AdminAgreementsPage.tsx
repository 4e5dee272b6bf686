import { Anchor, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, problemText } from '../api/client';
import { useOrganisationName, useOrganisations } from '../api/hooks';
import { formatDay, useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { AgreementStatus, isFull, nextStep } from '../ui/AdminAgreement';
import { usePageTitle } from '../ui/usePageTitle';
import { ProblemAlert } from '../ui/ProblemAlert';

/** The agreements my organisation is party to: with whom, for what, their state and who must act next. */
export function AdminAgreementsPage() {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const nameOf = useOrganisationName();
  // the parties are named, not numbered: the directory first
  const directory = useOrganisations();
  usePageTitle(t('adminAgreements.title'));
  const agreements = useQuery({
    queryKey: ['agreements'],
    queryFn: async () => {
      const { data, error } = await api.GET('/agreements');
      if (error) throw error;
      return data;
    },
  });
  const mine = me!.organisation.id;
  const partners = (ids: string[]) =>
    ids
      .filter((id) => id !== mine)
      .map((id) => nameOf(id))
      .join(', ');
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('adminAgreements.title')}
        </Title>
        <Button component={Link} to="/admin/agreements/new">
          {t('adminAgreements.new')}
        </Button>
      </Group>
      <Text>{t('adminAgreements.intro')}</Text>
      {agreements.isError && <ProblemAlert>{t('app.error', { detail: problemText(agreements.error) })}</ProblemAlert>}
      {agreements.isPending || directory.isPending ? (
        <Loader aria-label={t('app.loading')} />
      ) : (
        <Table striped>
          <Table.Caption>{t('adminAgreements.caption', { organisation: me!.organisation.name })}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('adminAgreements.partners')}</Table.Th>
              <Table.Th scope="col">{t('adminAgreements.purposes')}</Table.Th>
              <Table.Th scope="col">{t('adminAgreements.period')}</Table.Th>
              <Table.Th scope="col">{t('adminAgreements.status')}</Table.Th>
              <Table.Th scope="col">{t('adminAgreements.next')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {agreements.data?.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={5}>{t('adminAgreements.empty')}</Table.Td>
              </Table.Tr>
            )}
            {agreements.data?.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Th scope="row" fw="normal">
                  <Anchor component={Link} to={`/admin/agreements/${a.id}`}>
                    {partners(a.partyOrganisationIds) || t('adminAgreements.unnamed')}
                  </Anchor>
                  {isFull(a) && (
                    <Text size="sm" c="dimmed">
                      {a.documentReference}
                    </Text>
                  )}
                </Table.Th>
                <Table.Td>{isFull(a) ? a.purposes.map((p) => t(`purpose.${p}`)).join(', ') : ''}</Table.Td>
                <Table.Td>
                  {isFull(a) ? t('adminAgreements.fromTo', { from: formatDay(a.validFrom, locale), until: formatDay(a.validUntil, locale) }) : ''}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <AgreementStatus status={a.status} t={t} />
                </Table.Td>
                <Table.Td>{isFull(a) ? nextStep(a, mine, nameOf, t, locale) : ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
