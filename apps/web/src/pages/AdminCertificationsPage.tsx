import { Card, Loader, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, problemText } from '../api/client';
import { useOrganisations } from '../api/hooks';
import { formatDay, useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { CertificationForm, CertificationMeanings } from '../ui/AdminCertification';
import { usePageTitle } from '../ui/usePageTitle';
import { ProblemAlert } from '../ui/ProblemAlert';

/**
 * VDAB's admins record the partner-portal training of case workers of any organisation: they pick the
 * organisation, then the person (the case workers VDAB works with under an active agreement), then the
 * dates. The certification of a partner's case worker is not shown to VDAB beforehand (the API keeps
 * accounts within their organisation); recording the same kind again renews it.
 */
export function AdminCertificationsPage() {
  const { t, locale } = useI18n();
  const { me } = useSession();
  usePageTitle(t('adminCert.title'));
  const organisations = useOrganisations();
  const choices = (organisations.data ?? []).filter((o) => o.kind !== 'PLATFORM').sort((a, b) => a.name.localeCompare(b.name, locale));
  const [organisationId, setOrganisationId] = useState('');
  const [userId, setUserId] = useState('');
  const [recorded, setRecorded] = useState<string | null>(null);
  const staff = useQuery({
    queryKey: ['admin-staff', organisationId],
    enabled: Boolean(organisationId),
    queryFn: async () => {
      const { data, error } = await api.GET('/organisations/{id}/staff', { params: { path: { id: organisationId } } });
      if (error) throw error;
      return data;
    },
  });
  const people = (staff.data ?? []).filter((p) => p.id !== me?.id);
  const person = people.find((p) => p.id === userId);
  // reached by its address without being VDAB's admin: say who records certificates, offer no form that would fail
  if (me?.organisation.kind !== 'VDAB')
    return (
      <Stack maw={820}>
        <Title order={1} size="h2">
          {t('adminCert.title')}
        </Title>
        <Text>{t('adminUser.certByVdab')}</Text>
        <CertificationMeanings />
      </Stack>
    );
  return (
    <Stack maw={820}>
      <Title order={1} size="h2">
        {t('adminCert.title')}
      </Title>
      <Text>{t('adminCert.intro')}</Text>
      <CertificationMeanings />
      <NativeSelect
        label={t('adminCert.organisation')}
        value={organisationId}
        onChange={(event) => {
          setOrganisationId(event.currentTarget.value);
          setUserId('');
          setRecorded(null);
        }}
        data={[{ value: '', label: t('adminCert.chooseOrganisation') }, ...choices.map((o) => ({ value: o.id, label: o.name }))]}
      />
      {staff.isError && <ProblemAlert>{t('app.error', { detail: problemText(staff.error) })}</ProblemAlert>}
      {staff.isFetching && <Loader aria-label={t('app.loading')} />}
      {organisationId && staff.data && people.length === 0 && <Text>{t('adminCert.noStaff')}</Text>}
      {people.length > 0 && (
        <NativeSelect
          label={t('adminCert.person')}
          description={t('adminCert.personHelp')}
          value={userId}
          onChange={(event) => {
            setUserId(event.currentTarget.value);
            setRecorded(null);
          }}
          data={[
            { value: '', label: t('adminCert.choosePerson') },
            ...people.map((p) => ({ value: p.id, label: `${p.displayName} (${p.roles.map((r) => t(`role.${r}`)).join(', ')})` })),
          ]}
        />
      )}
      <div role="status">{recorded && <Text fw={500}>{recorded}</Text>}</div>
      {person && (
        <Card withBorder>
          <CertificationForm
            key={person.id}
            userId={person.id}
            personName={person.displayName}
            onRecorded={(c) =>
              setRecorded(
                t('adminCert.recorded', {
                  name: person.displayName,
                  kind: t(`certification.${c.kind}`),
                  day: formatDay(c.expiresOn, locale),
                }),
              )
            }
          />
        </Card>
      )}
      {person && (
        <Table>
          <Table.Caption>{t('adminCert.contact', { name: person.displayName })}</Table.Caption>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th scope="row">{t('adminUsers.email')}</Table.Th>
              <Table.Td>{person.email ?? '—'}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">{t('adminUsers.workPhone')}</Table.Th>
              <Table.Td>{person.workPhone ?? '—'}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
