import { Badge, Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, problemText, type Problem, type Schemas } from '../api/client';
import { useOrganisationName, usePartners } from '../api/hooks';
import { PURPOSES } from '../../../../libs/kernel/src/sharing';
import { formatDay, useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { focusHeading } from './focus';
import { ProblemAlert } from './ProblemAlert';

type Capacity = Schemas['CreateInvolvementDto']['capacity'];
const CAPACITIES: Capacity[] = ['EXECUTOR', 'DIRECTOR', 'ADVISOR'];

/**
 * Who takes part in the client's guidance, as our organisation recorded it: one of the three grounds a
 * partner needs to read our data (with an agreement and a consent). Recording one for a partner and
 * ending it are ours to do; registering the client made us OWNER.
 */
export function ClientInvolvements({ clientId }: { clientId: string }) {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const nameOf = useOrganisationName();
  const partners = usePartners();
  const queries = useQueryClient();
  const [ending, setEnding] = useState<string | null>(null);
  // no partner is chosen for the user: an involvement opens our file to the partner it names
  const [partner, setPartner] = useState('');
  const involvements = useQuery({
    queryKey: ['involvements', clientId],
    queryFn: async () => {
      const { data, error } = await api.GET('/clients/{id}/involvements', { params: { path: { id: clientId } } });
      if (error) throw error;
      return data;
    },
  });
  const changed = async () => {
    setEnding(null);
    setPartner('');
    focusHeading();
    await queries.invalidateQueries({ queryKey: ['involvements', clientId] });
  };
  const record = useMutation({
    mutationFn: async (body: Schemas['CreateInvolvementDto']) => {
      const { data, error } = await api.POST('/clients/{id}/involvements', { params: { path: { id: clientId } }, body });
      if (error) throw error;
      return data;
    },
    onSuccess: changed,
  });
  const end = useMutation({
    mutationFn: async ({ id, reason }: { id: string; reason: string }) => {
      const { data, error } = await api.POST('/involvements/{id}/end', { params: { path: { id } }, body: { reason: reason || undefined } });
      if (error) throw error;
      return data;
    },
    onSuccess: changed,
  });
  const fieldError = (field: string) => (record.error as Problem | null)?.errors?.find((e) => e.field === field)?.message;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    record.mutate({
      organisationId: String(form.get('organisationId')),
      capacity: String(form.get('capacity')) as Capacity,
      purpose: String(form.get('purpose')) as Schemas['CreateInvolvementDto']['purpose'],
      validUntil: String(form.get('validUntil') ?? '') || undefined,
    });
  };

  if (involvements.isError) return <ProblemAlert>{t('app.error', { detail: problemText(involvements.error) })}</ProblemAlert>;
  return (
    <Stack>
      <Table.ScrollContainer minWidth={680}>
        <Table aria-busy={involvements.isFetching}>
          <Table.Caption>{t('involvements.caption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('involvements.organisation')}</Table.Th>
              <Table.Th scope="col">{t('involvements.role')}</Table.Th>
              <Table.Th scope="col">{t('consents.period')}</Table.Th>
              <Table.Th scope="col">{t('consents.state')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {involvements.data?.map((i) => (
              <Table.Tr key={i.id}>
                <Table.Th scope="row" fw="normal">
                  {nameOf(i.organisationId)}
                </Table.Th>
                <Table.Td>
                  {t(`involvements.capacity.${i.capacity}`)}, {t(`purpose.${i.purpose}`)}
                </Table.Td>
                <Table.Td>
                  {t('consents.from', { day: formatDay(i.validFrom, locale) })}
                  {i.validUntil ? ` ${t('consents.until', { day: formatDay(i.validUntil, locale) })}` : ''}
                </Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    <Badge variant="light" color={i.active ? 'green' : 'gray'}>
                      {i.active ? t('consents.active') : t('involvements.ended')}
                    </Badge>
                    {i.endReason && <Text size="sm">{i.endReason}</Text>}
                    {i.active && i.capacity !== 'OWNER' && i.recordedByOrganisationId === me?.organisation.id && ending !== i.id && (
                      <Button size="xs" variant="default" onClick={() => (end.reset(), setEnding(i.id))}>
                        {t('involvements.end')}
                      </Button>
                    )}
                  </Group>
                  {ending === i.id && (
                    <form
                      onSubmit={(event) => {
                        event.preventDefault();
                        end.mutate({ id: i.id, reason: String(new FormData(event.currentTarget).get('reason') ?? '').trim() });
                      }}
                    >
                      <Group align="end" mt="xs">
                        <TextInput name="reason" label={t('involvements.endReason')} autoFocus size="xs" />
                        <Button type="submit" size="xs" color="red" loading={end.isPending}>
                          {t('involvements.endConfirm')}
                        </Button>
                        <Button size="xs" variant="default" onClick={() => (setEnding(null), focusHeading())}>
                          {t('consents.cancel')}
                        </Button>
                      </Group>
                    </form>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {end.isError && <ProblemAlert focus>{problemText(end.error)}</ProblemAlert>}
      <form onSubmit={submit} noValidate aria-labelledby="involvement-new">
        <Stack maw={720}>
          <Title order={3} size="h5" id="involvement-new">
            {t('involvements.add')}
          </Title>
          <Text size="sm">{t('involvements.addHelp')}</Text>
          {record.isError && !fieldError('organisationId') && <ProblemAlert focus>{problemText(record.error)}</ProblemAlert>}
          <Group align="start" grow>
            <NativeSelect
              name="organisationId"
              label={t('involvements.organisation')}
              required
              data={[{ value: '', label: t('involvements.choose') }, ...partners.map((o) => ({ value: o.id, label: o.name }))]}
              value={partner}
              onChange={(event) => setPartner(event.currentTarget.value)}
              error={fieldError('organisationId')}
            />
            <NativeSelect name="capacity" label={t('involvements.role')} data={CAPACITIES.map((c) => ({ value: c, label: t(`involvements.capacity.${c}`) }))} />
          </Group>
          <Group align="start" grow>
            <NativeSelect name="purpose" label={t('involvements.purpose')} data={PURPOSES.map((p) => ({ value: p, label: t(`purpose.${p}`) }))} />
            <TextInput name="validUntil" type="date" label={t('involvements.until')} error={fieldError('validUntil')} />
          </Group>
          <Button type="submit" variant="default" w="fit-content" loading={record.isPending} disabled={!partner}>
            {t('involvements.record')}
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}
