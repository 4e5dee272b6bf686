import { Badge, Button, Group, Stack, Table, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, problemText, type Problem, type Schemas } from '../api/client';
import { useOrganisationName } from '../api/hooks';
import { formatDay, useI18n } from '../i18n/i18n';
import { focusHeading } from './focus';
import { ProblemAlert } from './ProblemAlert';

type Consent = Schemas['ConsentDto'];

/**
 * The history of the client's consents and notices recorded by our organisation: to whom, for what,
 * which data, on which basis, how long; each active one can be revoked with the reason the client gave.
 * A revocation closes the partners' access at once (the sharing rule reads only active consents).
 */
export function ClientConsents({ clientId }: { clientId: string }) {
  const { t, locale } = useI18n();
  const nameOf = useOrganisationName();
  const queries = useQueryClient();
  const [revoking, setRevoking] = useState<string | null>(null);
  const consents = useQuery({
    queryKey: ['consents', clientId],
    queryFn: async () => {
      const { data, error } = await api.GET('/clients/{id}/consents', { params: { path: { id: clientId } } });
      if (error) throw error;
      return data;
    },
  });
  const revoke = useMutation({
    mutationFn: async ({ id, reason }: { id: string; reason: string }) => {
      const { data, error } = await api.POST('/consents/{id}/revoke', { params: { path: { id } }, body: { reason } });
      if (error) throw error;
      return data;
    },
    onSuccess: async () => {
      setRevoking(null);
      focusHeading();
      await queries.invalidateQueries({ queryKey: ['consents', clientId] });
      await queries.invalidateQueries({ queryKey: ['client', clientId] });
    },
  });
  const reasonError = (revoke.error as Problem | null)?.errors?.find((e) => e.field === 'reason')?.message;
  const submit = (event: FormEvent<HTMLFormElement>, id: string) => {
    event.preventDefault();
    revoke.mutate({ id, reason: String(new FormData(event.currentTarget).get('reason') ?? '').trim() });
  };
  const state = (c: Consent) =>
    c.revokedAt ? (
      <Badge color="red" variant="light">
        {t('consents.revokedOn', { on: new Date(c.revokedAt) })}
      </Badge>
    ) : c.active ? (
      <Badge color="green" variant="light">
        {t('consents.active')}
      </Badge>
    ) : (
      <Badge color="gray" variant="light">
        {t('consents.notActive')}
      </Badge>
    );

  if (consents.isError) return <ProblemAlert>{t('app.error', { detail: problemText(consents.error) })}</ProblemAlert>;
  return (
    <Stack>
      <Group>
        <Button component={Link} to={`/clients/${clientId}/consents/new`} variant="default" w="fit-content">
          {t('consent.title')}
        </Button>
      </Group>
      <Table.ScrollContainer minWidth={760}>
        <Table aria-busy={consents.isFetching}>
          <Table.Caption>{t('consents.caption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('consents.recipients')}</Table.Th>
              <Table.Th scope="col">{t('consents.what')}</Table.Th>
              <Table.Th scope="col">{t('consents.basis')}</Table.Th>
              <Table.Th scope="col">{t('consents.period')}</Table.Th>
              <Table.Th scope="col">{t('consents.state')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {consents.data?.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={5}>{t('consents.none')}</Table.Td>
              </Table.Tr>
            )}
            {consents.data?.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Th scope="row" fw="normal">
                  {c.recipientOrganisationIds.map(nameOf).join(', ')}
                </Table.Th>
                <Table.Td>
                  <Text size="sm">{c.purposes.map((p) => t(`purpose.${p}`)).join(', ')}</Text>
                  <Text size="sm" c="dimmed">
                    {c.categories.map((k) => t(`category.${k}`)).join(', ')}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{t(`consent.basis.${c.legalBasis}`)}</Text>
                  <Text size="sm" c="dimmed">
                    {t(`consent.method.${c.method}`)}
                    {c.evidenceReference ? `, ${c.evidenceReference}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {t('consents.from', { day: formatDay(c.validFrom, locale) })}
                  {c.validUntil ? ` ${t('consents.until', { day: formatDay(c.validUntil, locale) })}` : ''}
                </Table.Td>
                <Table.Td>
                  <Stack gap={4} align="start">
                    {state(c)}
                    {c.revocationReason && <Text size="sm">{c.revocationReason}</Text>}
                    {c.active && revoking !== c.id && (
                      <Button size="xs" variant="default" onClick={() => (revoke.reset(), setRevoking(c.id))}>
                        {t('consents.revoke')}
                      </Button>
                    )}
                  </Stack>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {revoking && (
        <form onSubmit={(event) => submit(event, revoking)} noValidate aria-labelledby="revoke-title">
          <Stack maw={560}>
            <Text fw={600} id="revoke-title">
              {t(consents.data?.find((c) => c.id === revoking)?.legalBasis === 'PUBLIC_TASK_NOTICE' ? 'consents.endNoticeTitle' : 'consents.revokeTitle', {
                recipients:
                  consents.data
                    ?.find((c) => c.id === revoking)
                    ?.recipientOrganisationIds.map(nameOf)
                    .join(', ') ?? '',
              })}
            </Text>
            <Textarea
              name="reason"
              label={t('consents.reason')}
              description={t('consents.reasonHelp')}
              required
              autosize
              minRows={2}
              error={reasonError}
              data-autofocus
              autoFocus
            />
            {revoke.isError && !reasonError && <ProblemAlert focus>{problemText(revoke.error)}</ProblemAlert>}
            <Group>
              <Button type="submit" color="red" loading={revoke.isPending}>
                {t('consents.revokeConfirm')}
              </Button>
              <Button variant="default" onClick={() => (setRevoking(null), focusHeading())}>
                {t('consents.cancel')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
